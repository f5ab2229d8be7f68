package threatmodel

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/rules"
)

// Options name the model.
type Options struct {
	Title   string
	Sources []string
}

// builder holds the indexes of one Build.
type builder struct {
	g       *graph.Graph
	m       *Model
	ids     map[string]string // key -> ID, for uniqueness
	used    map[string]string // ID -> key
	element map[*graph.Resource]*Element
	owner   map[*graph.Resource]*Element // folded resource -> its element
	zoneID  map[*graph.Zone]string
	ext     map[string]*Element // party key -> external entity
	mits    map[string]*Mitigation
	flows   map[string]*Flow
	// zones and elems index what the model holds so far by ID.
	zoneByID map[string]*Zone
	elems    map[string]*Element
}

// Build makes the threat model of a graph and the findings of the rules
// that ran over it. Notes (a rule that cannot decide) are not threats.
func Build(g *graph.Graph, findings []rules.Finding, opts Options) *Model {
	b := &builder{
		g: g, m: &Model{Title: opts.Title, Sources: slices.Clone(opts.Sources)},
		ids: map[string]string{}, used: map[string]string{},
		element: map[*graph.Resource]*Element{}, owner: map[*graph.Resource]*Element{},
		zoneID: map[*graph.Zone]string{}, ext: map[string]*Element{},
		mits: map[string]*Mitigation{}, flows: map[string]*Flow{},
		zoneByID: map[string]*Zone{}, elems: map[string]*Element{},
	}
	b.zones()
	b.elements()
	b.fold()
	b.dataFlows()
	for _, d := range g.OmittedFlows() {
		b.m.Omitted = append(b.m.Omitted, d.Range.String()+": "+d.Summary+": "+d.Detail)
	}
	b.genericThreats()
	b.findingThreats(findings)
	b.finish()
	return b.m
}

// id derives a readable, stable ID from a key: its characters folded to
// [a-z0-9-], with a hash of the key appended only when two keys fold to
// the same text.
func (b *builder) id(key string) string {
	if id, ok := b.ids[key]; ok {
		return id
	}
	var sb strings.Builder
	dash := false
	for _, c := range strings.ToLower(key) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			sb.WriteRune(c)
			dash = false
		} else if !dash && sb.Len() > 0 {
			sb.WriteByte('-')
			dash = true
		}
	}
	id := strings.TrimSuffix(sb.String(), "-")
	if id == "" || (id[0] >= '0' && id[0] <= '9') {
		id = "x-" + id
	}
	if other, taken := b.used[id]; taken && other != key {
		h := fnv.New32a()
		h.Write([]byte(key))
		id = fmt.Sprintf("%s-%08x", id, h.Sum32())
	}
	b.ids[key], b.used[id] = id, key
	return id
}

func rangeOf(r graph.Range) (string, int) { return r.Filename, int(r.Start.Line) }

func (b *builder) zones() {
	for _, z := range b.g.Zones() {
		b.zoneID[z] = b.id("zone:" + z.ID)
	}
	for _, z := range b.g.Zones() {
		mz := &Zone{ID: b.zoneID[z], Kind: string(z.Kind), Name: z.Name, External: z.External,
			Container: z.Kind != graph.ZoneSecurityGroup, TrustRating: trustRating(z)}
		if z.Parent != nil {
			mz.Parent = b.zoneID[z.Parent]
		}
		if z.Resource != nil {
			mz.Address = z.Resource.Addr.String()
			mz.File, mz.Line = rangeOf(z.Resource.Range)
		}
		for _, s := range z.SCPs {
			mz.SCPs = append(mz.SCPs, s.Addr.String())
		}
		if z.Kind == graph.ZoneSecurityGroup {
			for _, in := range z.Resource.Facets.SecurityGroup().Ingress {
				mz.Ingress = append(mz.Ingress, in.Describe())
			}
		}
		mz.Description = zoneDescription(z)
		b.m.Zones = append(b.m.Zones, mz)
		b.zoneByID[mz.ID] = mz
	}
}

func zoneDescription(z *graph.Zone) string {
	switch z.Kind {
	case graph.ZoneInternet:
		return "Everything outside AWS: anonymous callers, attackers, third-party services."
	case graph.ZoneSubnet:
		return "Subnet " + z.Resource.Addr.String() + ": " + z.Reason + "."
	case graph.ZoneAccount:
		switch {
		case z.External:
			return "An AWS account named in policies or trust documents; nothing in the scanned code deploys to it."
		case z.ID == graph.UnknownAccountID:
			return "Resources whose provider or stack does not tell their account."
		}
	}
	if z.Resource != nil {
		return "Defined by " + z.Resource.Addr.String() + "."
	}
	return ""
}

// trustRating is OTM's 0 (untrusted) to 100 (fully trusted).
func trustRating(z *graph.Zone) int {
	switch z.Kind {
	case graph.ZoneInternet:
		return 0
	case graph.ZoneAccount:
		if z.External {
			return 20
		}
		return 80
	case graph.ZoneSubnet:
		if z.Public.Is(true) {
			return 40
		}
		return 70
	case graph.ZoneOrg, graph.ZoneOU:
		return 90
	}
	return 70
}

// elementKind classifies a resource as a DFD element; 0 for plumbing and
// for zone-defining resources.
func elementKind(r *graph.Resource) mappings.ElementKind {
	f := &r.Facets
	switch {
	case f.DataStore() != nil, f.LogGroup() != nil:
		return mappings.DataStore
	case f.Role() != nil, f.InstanceNetwork() != nil, f.LambdaFunction() != nil, f.Endpoint() != nil,
		f.Placement() != nil && f.Placement().InternetFacing.State != graph.Absent:
		return mappings.Process
	case f.User() != nil:
		return mappings.ExternalEntity
	}
	return typeKinds[r.Type()]
}

// typeKinds classifies types without a facet that decides.
var typeKinds = map[string]mappings.ElementKind{
	"aws_autoscaling_group": mappings.Process, "AWS::AutoScaling::AutoScalingGroup": mappings.Process,
	"aws_ecs_service": mappings.Process, "AWS::ECS::Service": mappings.Process,
	"aws_eks_cluster": mappings.Process, "AWS::EKS::Cluster": mappings.Process,
	"aws_eks_node_group": mappings.Process, "AWS::EKS::Nodegroup": mappings.Process,
	"aws_batch_compute_environment": mappings.Process, "AWS::Batch::ComputeEnvironment": mappings.Process,
	"aws_sfn_state_machine": mappings.Process, "AWS::StepFunctions::StateMachine": mappings.Process,
	"aws_codebuild_project": mappings.Process, "AWS::CodeBuild::Project": mappings.Process,
	"AWS::Serverless::Function": mappings.Process,
	"aws_ebs_volume":            mappings.DataStore, "AWS::EC2::Volume": mappings.DataStore,
	"aws_efs_file_system": mappings.DataStore, "AWS::EFS::FileSystem": mappings.DataStore,
	"aws_elasticache_cluster": mappings.DataStore, "AWS::ElastiCache::CacheCluster": mappings.DataStore,
	"aws_elasticache_replication_group": mappings.DataStore, "AWS::ElastiCache::ReplicationGroup": mappings.DataStore,
	"aws_ecr_repository": mappings.DataStore, "AWS::ECR::Repository": mappings.DataStore,
	"aws_kinesis_stream": mappings.DataStore, "AWS::Kinesis::Stream": mappings.DataStore,
	"aws_redshift_cluster": mappings.DataStore, "AWS::Redshift::Cluster": mappings.DataStore,
	"aws_opensearch_domain": mappings.DataStore, "AWS::OpenSearchService::Domain": mappings.DataStore,
	"aws_ssm_parameter": mappings.DataStore, "AWS::SSM::Parameter": mappings.DataStore,
	"aws_backup_vault": mappings.DataStore, "AWS::Backup::BackupVault": mappings.DataStore,
}

// zoneResource reports whether r defines or configures a zone: it is
// drawn as the zone, not as an element.
func zoneResource(r *graph.Resource) bool {
	f := &r.Facets
	return f.VPC() != nil || f.Subnet() != nil || f.SecurityGroup() != nil || f.SecurityGroupRule() != nil ||
		f.OrgNode() != nil || f.SCP() != nil || f.SCPAttachment() != nil || f.RouteTable() != nil ||
		f.RouteEntry() != nil || f.RouteAssociation() != nil || f.InternetGateway() != nil || f.NetworkACL() != nil
}

func (b *builder) elements() {
	logBuckets := map[*graph.Resource]bool{}
	for _, r := range b.g.Resources {
		if tb := r.Facets.TrailBucket(); tb != nil && tb.Resolved != nil {
			logBuckets[tb.Resolved] = true
		}
	}
	for _, r := range b.g.Resources {
		z := b.g.ZoneOf(r)
		k := elementKind(r)
		if z == nil || k == 0 {
			continue
		}
		e := &Element{ID: b.id(r.Key()), Name: r.Addr.String(), Kind: k, KindName: k.String(), Type: r.Type(),
			Zone: b.zoneID[z], Address: r.Addr.String(), HoldsLogs: r.Facets.LogGroup() != nil || logBuckets[r]}
		e.File, e.Line = rangeOf(r.Range)
		for _, gz := range b.g.GroupsOf(r) {
			e.Groups = append(e.Groups, b.zoneID[gz])
		}
		b.element[r] = e
		b.m.Elements = append(b.m.Elements, e)
		b.elems[e.ID] = e
	}
}

// fold gives each plumbing resource an owner: the first element it
// refers to, else the first element that refers to it; then, round by
// round, resources reached only through other plumbing (a managed policy
// through its attachment, a target group through its listener). A policy
// folds into its role, a function URL into its function, an API route
// into its API.
func (b *builder) fold() {
	referrers := map[*graph.Resource][]*graph.Resource{}
	for _, e := range b.g.Edges {
		if e.Kind == graph.References {
			referrers[e.To] = append(referrers[e.To], e.From)
		}
	}
	var pending []*graph.Resource
	for _, r := range b.g.Resources {
		if b.element[r] == nil && !zoneResource(r) && b.g.ZoneOf(r) != nil {
			pending = append(pending, r)
		}
	}
	ownerOf := func(r *graph.Resource) *Element {
		byRef := func() *Element {
			for _, ref := range r.Refs {
				for _, t := range b.g.ResolveRef(r, ref) {
					if e := b.of(t); e != nil {
						return e
					}
				}
			}
			return nil
		}
		byReferrer := func() *Element {
			for _, t := range referrers[r] {
				if e := b.of(t); e != nil {
					return e
				}
			}
			return nil
		}
		// A template of compute (a task definition, a launch template)
		// belongs to what runs it, not to the role it names.
		if r.Facets.RoleUse() != nil {
			if e := byReferrer(); e != nil {
				return e
			}
		}
		if e := byRef(); e != nil {
			return e
		}
		return byReferrer()
	}
	for progress := true; progress && len(pending) > 0; {
		progress = false
		found := map[*graph.Resource]*Element{}
		rest := pending[:0]
		for _, r := range pending {
			if e := ownerOf(r); e != nil {
				found[r] = e
				progress = true
			} else {
				rest = append(rest, r)
			}
		}
		// Owners found in one round are recorded together, so that the
		// order of resources does not decide who owns what.
		for r, e := range found {
			b.owner[r] = e
			e.Folded = append(e.Folded, r.Addr.String())
		}
		pending = rest
	}
	b.m.Plumbing = len(pending)
}

// of returns the element a resource is, or is folded into.
func (b *builder) of(r *graph.Resource) *Element {
	if e := b.element[r]; e != nil {
		return e
	}
	return b.owner[r]
}

// party returns the element of a flow's end, making external entities
// on first use.
func (b *builder) party(p graph.Party) *Element {
	if p.Resource != nil {
		return b.of(p.Resource)
	}
	key := p.Key()
	if e := b.ext[key]; e != nil {
		return e
	}
	zone := ""
	if p.Zone != nil {
		zone = b.zoneID[p.Zone]
	} else {
		zone = b.awsZone()
	}
	name := p.Name
	switch p.Kind {
	case "service":
		name = "AWS service " + p.Name
	case "oidc":
		name = "OIDC provider " + p.Name
	case "saml":
		name = "SAML provider " + p.Name
	case "any-principal":
		name = "any AWS principal"
	case "account":
		name = "principal " + p.Name
	case "unknown":
		name = "principal that cannot be known"
	}
	e := &Element{ID: b.id("ext:" + key), Name: name, Kind: mappings.ExternalEntity, KindName: mappings.ExternalEntity.String(), Type: p.Kind, Zone: zone}
	b.ext[key] = e
	b.m.Elements = append(b.m.Elements, e)
	b.elems[e.ID] = e
	return e
}

// awsZone is the zone of AWS service principals, made on first use.
func (b *builder) awsZone() string {
	id := b.id("zone:aws")
	if b.zoneByID[id] == nil {
		z := &Zone{ID: id, Kind: "aws", Name: "AWS services", TrustRating: 60, Container: true,
			Description: "AWS service principals that roles trust; they act on behalf of whoever can use the service."}
		b.m.Zones = append(b.m.Zones, z)
		b.zoneByID[id] = z
	}
	return id
}

func (b *builder) dataFlows() {
	for _, f := range b.g.Flows() {
		from, to := b.party(f.From), b.party(f.To)
		if from == nil || to == nil || from == to {
			continue
		}
		key := from.ID + ">" + to.ID + ">" + string(f.Kind)
		mf := b.flows[key]
		if mf == nil {
			mf = &Flow{ID: b.id("flow:" + key), Kind: string(f.Kind), From: from.ID, To: to.ID}
			mf.File, mf.Line = rangeOf(f.Range)
			b.flows[key] = mf
			b.m.Flows = append(b.m.Flows, mf)
		}
		for _, l := range f.Labels {
			if !slices.Contains(mf.Labels, l) {
				mf.Labels = append(mf.Labels, l)
			}
		}
		for _, z := range f.Crosses {
			if id := b.zoneID[z]; !slices.Contains(mf.Crosses, id) {
				mf.Crosses = append(mf.Crosses, id)
			}
		}
		if f.From.Kind == "internet" {
			mf.FromInternet = true
			to.Exposed = true
		}
	}
	for _, f := range b.m.Flows {
		slices.Sort(f.Labels)
		f.Label = strings.Join(f.Labels, ", ")
	}
}

// crossesAccount reports whether a flow crosses an account boundary.
func (b *builder) crossesAccount(f *Flow) bool {
	for _, id := range f.Crosses {
		if z := b.zoneByID[id]; z != nil && z.Kind == string(graph.ZoneAccount) {
			return true
		}
	}
	return false
}

func (b *builder) mitigation(id, title, desc string, reduction int) string {
	if b.mits[id] == nil {
		b.mits[id] = &Mitigation{ID: id, Title: title, Description: desc, RiskReduction: reduction}
		b.m.Mitigations = append(b.m.Mitigations, b.mits[id])
	}
	return id
}

// genericThreats applies STRIDE per element to every element, and per
// flow to every flow that crosses a boundary.
func (b *builder) genericThreats() {
	for _, e := range b.m.Elements {
		likelihood, impact := 20, 50
		if e.Exposed {
			likelihood += 30
		}
		if e.Kind == mappings.ExternalEntity {
			impact = 30
		}
		for _, s := range mappings.PerElement(e.Kind, e.HoldsLogs) {
			gt, _ := mappings.Generic(e.Kind, s)
			t := b.generic(e.ID, e.Name, e.Kind, s, gt, likelihood, impact)
			t.File, t.Line = e.File, e.Line
			e.Threats = append(e.Threats, t.ID)
		}
	}
	for _, f := range b.m.Flows {
		if !f.Crossing() {
			continue
		}
		likelihood := 20
		if f.FromInternet {
			likelihood += 30
		}
		if b.crossesAccount(f) {
			likelihood += 10
		}
		name := fmt.Sprintf("the %s flow from %s to %s (%s)", f.Kind, b.elems[f.From].Name, b.elems[f.To].Name, f.Label)
		for _, s := range mappings.PerElement(mappings.DataFlow, false) {
			gt, _ := mappings.Generic(mappings.DataFlow, s)
			t := b.generic(f.ID, name, mappings.DataFlow, s, gt, likelihood, 50)
			t.OnFlow = true
			t.File, t.Line = f.File, f.Line
			var crossed []string
			for _, id := range f.Crosses {
				crossed = append(crossed, b.zoneByID[id].Name)
			}
			t.Description += " It crosses: " + strings.Join(crossed, "; ") + "."
			f.Threats = append(f.Threats, t.ID)
		}
	}
}

func (b *builder) generic(target, name string, k mappings.ElementKind, s mappings.STRIDE, gt mappings.GenericThreat, likelihood, impact int) *Threat {
	fill := func(text string) string { return strings.ReplaceAll(text, "%s", name) }
	kind := strings.ReplaceAll(k.String(), " ", "-")
	mit := b.mitigation("mit-"+kind+"-"+strings.ToLower(s.Letter()), s.Violates()+" for a "+k.String(), gt.Mitigation, 50)
	t := &Threat{ID: target + "." + s.Letter(), Title: fill(gt.Title), Description: fill(gt.Description),
		Categories: []mappings.STRIDE{s}, Target: target, Likelihood: likelihood, Impact: impact, Mitigation: mit}
	t.Risk = likelihood * impact / 100
	t.Severity = severityOf(t.Risk)
	b.m.Threats = append(b.m.Threats, t)
	return t
}

func severityOf(risk int) rules.Severity {
	switch {
	case risk >= 80:
		return rules.Critical
	case risk >= 60:
		return rules.High
	case risk >= 25:
		return rules.Medium
	}
	return rules.Low
}

// findingThreats attaches each finding to its element (or the element
// its resource is folded into, or for a security group the elements it
// guards) as a specific threat.
func (b *builder) findingThreats(findings []rules.Finding) {
	byRule := map[string]int{}
	for _, f := range findings {
		if f.Note || f.Rule == nil || f.Resource == nil {
			continue
		}
		var targets []*Element
		if e := b.of(f.Resource); e != nil {
			targets = append(targets, e)
		} else if z := b.g.Zone("sg:" + f.Resource.Key()); z != nil {
			for _, m := range z.Members {
				if e := b.of(m); e != nil && !slices.Contains(targets, e) {
					targets = append(targets, e)
				}
			}
		}
		rule := f.Rule
		mit := b.mitigation("mit-"+strings.ToLower(rule.ID), "Fix: "+rule.Title, rule.Remediation, 80)
		likelihood, impact := ruleRisk(f.EffectiveSeverity())
		resID := b.id(f.Resource.Key())
		mk := func(target string) *Threat {
			key := strings.ToLower(rule.ID) + "@" + resID
			if target != "" && target != resID {
				key += "@" + target
			}
			byRule[key]++
			id := key
			if n := byRule[key]; n > 1 {
				id = fmt.Sprintf("%s#%d", key, n)
			}
			t := &Threat{ID: id, Title: rule.Title, Description: f.Message, Categories: slices.Clone(rule.STRIDE),
				Target: target, Severity: f.EffectiveSeverity(), Likelihood: likelihood, Impact: impact,
				Risk: likelihood * impact / 100, Rule: rule.ID, ATTACK: slices.Clone(rule.ATTACK), Mitigation: mit}
			t.File, t.Line = rangeOf(f.Range)
			b.m.Threats = append(b.m.Threats, t)
			return t
		}
		if len(targets) == 0 {
			// A finding on a zone (a VPC without flow logs, an
			// organization without guardrails) belongs to the zone.
			t := mk("")
			t.Zone = b.zoneOfFinding(f.Resource)
			continue
		}
		for _, e := range targets {
			e.Threats = append(e.Threats, mk(e.ID).ID)
		}
	}
}

// zoneOfFinding is the zone a resource defines, else the zone it is in.
func (b *builder) zoneOfFinding(r *graph.Resource) string {
	for _, z := range b.g.Zones() {
		if z.Resource == r {
			return b.zoneID[z]
		}
	}
	if z := b.g.ZoneOf(r); z != nil {
		return b.zoneID[z]
	}
	return ""
}

// ruleRisk ranks rule findings above generic threats, in severity order.
func ruleRisk(s rules.Severity) (likelihood, impact int) {
	switch s {
	case rules.Critical:
		return 95, 100
	case rules.High:
		return 85, 95
	case rules.Medium:
		return 70, 85
	}
	return 50, 80
}

func (b *builder) finish() {
	m := b.m
	slices.SortFunc(m.Zones, func(x, y *Zone) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(m.Elements, func(x, y *Element) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(m.Flows, func(x, y *Flow) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(m.Mitigations, func(x, y *Mitigation) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortStableFunc(m.Threats, func(x, y *Threat) int {
		return cmp.Or(cmp.Compare(y.Risk, x.Risk), cmp.Compare(x.ID, y.ID))
	})
	for _, e := range m.Elements {
		slices.Sort(e.Folded)
		slices.Sort(e.Threats)
		e.Threats = slices.Compact(e.Threats)
	}
	for _, f := range m.Flows {
		slices.Sort(f.Threats)
	}
}
