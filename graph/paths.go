package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// Entry kinds of attack paths.
const (
	EntryInternet     = "internet"
	EntryAccessKey    = "access key"
	EntryOtherAccount = "other account"
	EntryOIDC         = "OIDC identity"
)

// MaxPathsPerTarget caps the paths kept for one crown jewel, shortest
// first.
const MaxPathsPerTarget = 3

// PathStep is one hop of an attack path, at the place in the code that
// makes it possible.
type PathStep struct {
	Resource *Resource
	Range    Range
	// Description says what the attacker does at this step.
	Description string
	// Technique is the ATT&CK technique of the step.
	Technique string
}

// AttackPath leads from an entry point to a crown jewel.
type AttackPath struct {
	// Entry is one of the Entry kinds.
	Entry string
	// Start is where the path starts in the code: the instance, the
	// user, the role that trusts outsiders.
	Start *Resource
	// Target is the crown jewel: the administrator-equivalent principal
	// or the data store reached.
	Target *Resource
	// Jewel says what the target is: "administrator", or a data store
	// kind (StoreBucket, …).
	Jewel string
	Steps []PathStep

	// n is the number of steps and write builds them: paths are ranked
	// and cut by their length, and only those kept are written out.
	n     int
	write func() []PathStep
}

// AttackPaths returns the attack paths, ranked: those that reach an
// administrator first, then shortest first, then by target and start.
func (g *Graph) AttackPaths() []*AttackPath { return g.paths }

// entry is where an attacker starts: the principal whose credentials the
// entry hands out, and the steps that lead to them.
type entry struct {
	kind      string
	start     *Resource
	principal *Principal
	steps     []PathStep
	// data: the entry is untrusted enough that reaching a data store is
	// worth a path (not a user's own access key).
	data bool
}

// jewel is a data store an attack path may end at, with the action that
// takes it.
type jewel struct {
	res       *Resource
	kind      string
	action    string
	arn       string
	technique string
	verb      string
}

// pathsPass finds paths from entry points to administrator-equivalent
// principals and, for entries outside the organization's control, to
// data stores.
func pathsPass(g *Graph, _ []*Resource) Diagnostics {
	// Each target keeps its best MaxPathsPerTarget paths as they are
	// found: a few outside entries that read every store of a large tree
	// would otherwise hold a path per entry and store until the end.
	best := map[*Resource][]*AttackPath{}
	jewels := dataJewels(g)
	for _, e := range g.entries() {
		if g.access.admin[e.principal] {
			hops, target := g.pathToAdmin(e.principal)
			if target == nil {
				continue
			}
			steps := append(slices.Clone(e.steps), g.hopSteps(e.principal, hops, target)...)
			p := AttackPath{Entry: e.kind, Start: e.start, Target: target.Resource, Jewel: "administrator", Steps: steps, n: len(steps)}
			keepPath(best, p)
			continue
		}
		if !e.data {
			continue
		}
		g.pathsToData(e.principal, jewels, func(dp dataPath) {
			p := AttackPath{Entry: e.kind, Start: e.start, Target: dp.jewel.res, Jewel: dp.jewel.kind,
				n: len(e.steps) + len(dp.hops) + 1}
			if kept := keepPath(best, p); kept != nil {
				kept.write = func() []PathStep { return append(slices.Clone(e.steps), g.dataSteps(e.principal, dp)...) }
			}
		})
	}
	var paths []*AttackPath
	for _, ps := range best {
		paths = append(paths, ps...)
	}
	// No two targets share a key, so this order is total across targets;
	// within one, keepPath kept the order they were found in for ties.
	slices.SortStableFunc(paths, comparePaths)
	for _, p := range paths {
		if p.write != nil {
			p.Steps, p.write = p.write(), nil
		}
	}
	g.paths = paths
	return nil
}

// comparePaths ranks paths: what a path reaches first (administrators,
// then data stores), then its length, then target, start and entry.
func comparePaths(a, b *AttackPath) int {
	if c := cmp.Compare(jewelRank(a.Jewel), jewelRank(b.Jewel)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.n, b.n); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Target.Key(), b.Target.Key()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Start.Key(), b.Start.Key()); c != 0 {
		return c
	}
	return cmp.Compare(a.Entry, b.Entry)
}

// keepPath adds p to its target's best paths when it ranks among the
// first MaxPathsPerTarget, after those it ties with, and returns the kept
// copy; nil when it does not rank.
func keepPath(best map[*Resource][]*AttackPath, p AttackPath) *AttackPath {
	ps := best[p.Target]
	i := 0
	for i < len(ps) && comparePaths(ps[i], &p) <= 0 {
		i++
	}
	if i >= MaxPathsPerTarget {
		return nil
	}
	kept := new(AttackPath)
	*kept = p
	ps = slices.Insert(ps, i, kept)
	if len(ps) > MaxPathsPerTarget {
		ps = ps[:MaxPathsPerTarget]
	}
	best[p.Target] = ps
	return kept
}

func jewelRank(j string) int {
	if j == "administrator" {
		return 0
	}
	return 1
}

// entries lists the entry points in graph order.
func (g *Graph) entries() []entry {
	var out []entry
	known := map[string]bool{}
	for _, p := range g.principals {
		if p.Account != "" {
			known[p.Account] = true
		}
	}
	// Internet-exposed instances whose role credentials IMDSv1 hands out.
	for _, r := range g.Resources {
		n := r.Facets.InstanceNetwork()
		if n == nil || n.Profile == nil || !n.Public().Is(true) {
			continue
		}
		m := r.Facets.IMDS()
		if m == nil {
			continue
		}
		eff, decider := m.Effective, r
		if eff.Status == IMDSInherited && eff.Via != nil && eff.Via.Facets.IMDS() != nil {
			// The launch template decides; point at its setting.
			decider = eff.Via
			eff = eff.Via.Facets.IMDS().Effective
			eff.Reason = "its launch template " + m.Effective.Via.Addr.String() + " says so: " + eff.Reason
		}
		if eff.Status != IMDSv1Reachable {
			continue
		}
		rule, sg := exposedIngress(n)
		if sg == nil {
			continue
		}
		for _, prof := range g.InstanceProfiles(r) {
			for _, l := range prof.Facets.InstanceProfile().Roles {
				for _, role := range g.resolvePrincipal(prof, l, PrincipalRole) {
					out = append(out, entry{kind: EntryInternet, start: r, principal: role, data: true, steps: []PathStep{
						{Resource: rule.Declared, Range: rule.Range, Technique: "T1190",
							Description: fmt.Sprintf("the internet reaches %s through %s (%s)", r.Addr, sg.Addr, strings.Join(worldCIDRs(rule), ", "))},
						{Resource: decider, Range: eff.Range, Technique: "T1552.005",
							Description: fmt.Sprintf("%s answers IMDSv1 without a session token (%s): a forged request (SSRF) reads its role credentials", r.Addr, eff.Reason)},
						{Resource: prof, Range: l.Range, Technique: "T1552.005",
							Description: fmt.Sprintf("instance profile %s hands the instance the credentials of %s", prof.Addr, role.Resource.Addr)},
						{Resource: role.Resource, Range: role.Resource.Range, Technique: "T1078.004",
							Description: fmt.Sprintf("the stolen credentials act as %s", role.Resource.Addr)},
					}})
				}
			}
		}
	}
	// Users with access keys; only administrator equivalence through
	// escalation makes their keys a path (a user's own data is its own).
	for _, u := range g.principals {
		if u.Kind != PrincipalUser || len(u.Keys) == 0 || g.access.adminDirect[u] {
			continue
		}
		key := u.Keys[0]
		out = append(out, entry{kind: EntryAccessKey, start: u.Resource, principal: u, steps: []PathStep{{Resource: key, Range: key.Range, Technique: "T1078.004",
			Description: fmt.Sprintf("a leaked access key of %s (%s) acts as the user", u.Resource.Addr, key.Addr)}}})
	}
	// Roles that outsiders may assume: other accounts, OIDC identities
	// without a subject restriction.
	for _, r := range g.principals {
		if r.Kind != PrincipalRole {
			continue
		}
		trust := r.Resource.Facets.Role().Trust
		if !trust.Known() {
			continue
		}
		for i := range trust.Doc.Statements {
			s := &trust.Doc.Statements[i]
			kind, who := outsider(s, r, known)
			if kind == "" {
				continue
			}
			out = append(out, entry{kind: kind, start: r.Resource, principal: r, data: true, steps: []PathStep{{Resource: r.Resource, Range: trust.Range, Technique: "T1199",
				Description: fmt.Sprintf("%s of the trust policy of %s lets %s assume it", stmtLabel(s), r.Resource.Addr, who)}}})
			break
		}
	}
	return out
}

// dataJewels lists the data stores of the graph with what takes them.
func dataJewels(g *Graph) []jewel {
	var out []jewel
	for _, r := range g.Resources {
		if k := r.Facets.KMSKey(); k != nil && keyDelegatesToIAM(k) {
			acct := ""
			if r.Account.State == Set {
				acct = r.Account.V
			}
			out = append(out, jewel{res: r, kind: StoreKey, action: "kms:Decrypt", arn: "arn:aws:kms::" + acct + ":key/" + unknownName,
				technique: "T1530", verb: "decrypts with"})
			continue
		}
		ds := r.Facets.DataStore()
		if ds == nil {
			continue
		}
		name := unknownName
		if ds.Name.State == Set && ds.Name.V != "" {
			name = ds.Name.V
		}
		acct := ""
		if r.Account.State == Set {
			acct = r.Account.V
		}
		j := jewel{res: r, kind: ds.Kind}
		switch ds.Kind {
		case StoreBucket:
			j.action, j.arn, j.technique, j.verb = "s3:GetObject", "arn:aws:s3:::"+name+"/"+unknownName, "T1530", "reads the objects of"
		case StoreTable:
			j.action, j.arn, j.technique, j.verb = "dynamodb:Scan", "arn:aws:dynamodb::"+acct+":table/"+name, "T1530", "reads the items of"
		case StoreSecret:
			j.action, j.arn, j.technique, j.verb = "secretsmanager:GetSecretValue", "arn:aws:secretsmanager::"+acct+":secret:"+name+"-"+unknownName, "T1555.006", "reads the value of"
		case StoreTrail:
			j.action, j.arn, j.technique, j.verb = "cloudtrail:StopLogging", "arn:aws:cloudtrail::"+acct+":trail/"+name, "T1562.008", "stops the logging of"
		default:
			continue
		}
		out = append(out, j)
	}
	return out
}

// dataPath is a way to a data store before its steps are written: the
// principal that reads the store, the hops to it from the entry's
// principal, and the statements that allow the read.
type dataPath struct {
	jewel  jewel
	cur    *Principal
	hops   []*Hop
	allows []Evidence
}

// keyDelegatesToIAM reports whether a key's policy lets IAM policies of
// its account grant its use: the default key policy (none written), or
// an Allow statement for the account root or everyone that covers
// kms:Decrypt. A key policy that cannot be read is not counted.
func keyDelegatesToIAM(k *KMSKey) bool {
	if k.Policy == nil {
		return true
	}
	if !k.Policy.Known() {
		return false
	}
	for i := range k.Policy.Doc.Statements {
		s := &k.Policy.Doc.Statements[i]
		if !s.Allows() || s.Principal == nil || s.CoversAction("kms:Decrypt") != iam.Yes {
			continue
		}
		if s.Principal.Public() || s.Principal.AWS.Any(func(v string) bool {
			return strings.HasSuffix(v, ":root") || iam.AccountOf(v) == v
		}) {
			return true
		}
	}
	return false
}

// pathsToData finds, for each data store, the shortest chain of hops
// from p to a principal that may take it, and hands each to found as it
// goes: an entry that reads every store of a large tree has thousands.
func (g *Graph) pathsToData(p *Principal, jewels []jewel, found func(dataPath)) {
	prev := map[*Principal]*Hop{p: nil}
	queue := []*Principal{p}
	done := map[*Resource]bool{}
	for len(queue) > 0 && len(done) < len(jewels) {
		cur := queue[0]
		queue = queue[1:]
		for _, j := range jewels {
			if done[j.res] {
				continue
			}
			v := g.Can(cur, j.action, j.arn, j.res, nil)
			if v.Decision != iam.Allow {
				continue
			}
			done[j.res] = true
			var hops []*Hop
			for q := cur; prev[q] != nil; q = prev[q].From {
				hops = append(hops, prev[q])
			}
			slices.Reverse(hops)
			found(dataPath{jewel: j, cur: cur, hops: hops, allows: v.Allows})
		}
		for _, h := range g.access.out[cur] {
			if _, seen := prev[h.To]; !seen {
				prev[h.To] = h
				queue = append(queue, h.To)
			}
		}
	}
}

// dataSteps writes the steps of a path to a data store from p: the hops,
// then the read.
func (g *Graph) dataSteps(p *Principal, dp dataPath) []PathStep {
	steps := g.hopSteps(p, dp.hops, nil)
	j := dp.jewel
	last := PathStep{Resource: j.res, Range: j.res.Range, Technique: j.technique,
		Description: fmt.Sprintf("%s %s %s %s%s", dp.cur.Resource.Addr, j.verb, j.kind, j.res.Addr, evidenceText(firstCertain(dp.allows)))}
	if len(dp.allows) > 0 {
		last.Resource, last.Range = dp.allows[0].Grant.From, dp.allows[0].Range
	}
	return append(steps, last)
}

// outsider says whether trust statement s lets someone outside the tree
// assume role r unconditionally: another account, or an OIDC provider
// without a condition on the subject.
func outsider(s *iam.Statement, r *Principal, known map[string]bool) (string, string) {
	if !s.Allows() || s.Principal == nil {
		return "", ""
	}
	if s.CoversAction("sts:AssumeRoleWithWebIdentity") == iam.Yes && s.Principal.Federated.Present {
		for _, c := range s.Conditions {
			if strings.HasSuffix(strings.ToLower(c.Key), ":sub") && !c.Negated() {
				return "", ""
			}
		}
		if s.ConditionUnknown {
			return "", ""
		}
		return EntryOIDC, "any identity of " + strings.Join(s.Principal.Federated.Values, ", ") + " (no condition on sub)"
	}
	if s.CoversAction("sts:AssumeRole") != iam.Yes || len(s.Conditions) > 0 || s.ConditionUnknown {
		return "", ""
	}
	if s.Principal.Public() {
		return EntryOtherAccount, "any AWS account (Principal \"*\")"
	}
	for _, v := range s.Principal.AWS.Values {
		acct := iam.AccountOf(v)
		// Another account only when the code tells the role's own: an
		// account ID in a tree that states none may be its own.
		if acct != "" && r.Account != "" && acct != r.Account && !known[acct] {
			return EntryOtherAccount, "account " + acct
		}
	}
	return "", ""
}

// exposedIngress returns an ingress rule that admits the whole internet
// to the instance, and its group.
func exposedIngress(n *InstanceNetwork) (IngressRule, *Resource) {
	for _, g := range n.Groups {
		for _, in := range g.Facets.SecurityGroup().Ingress {
			if len(worldCIDRs(in)) > 0 {
				return in, g
			}
		}
	}
	return IngressRule{}, nil
}

func worldCIDRs(in IngressRule) []string {
	var out []string
	for _, c := range in.CIDRs {
		if v := strings.TrimSpace(c.V); c.State == Set && (v == "0.0.0.0/0" || v == "::/0") {
			out = append(out, v)
		}
	}
	return out
}

// pathToAdmin finds the shortest chain of hops from p to a principal
// whose own permissions, or own escalation, make it an administrator.
func (g *Graph) pathToAdmin(p *Principal) ([]*Hop, *Principal) {
	isAdmin := func(q *Principal) bool {
		if g.access.adminDirect[q] {
			return true
		}
		for _, e := range g.access.escalations[q] {
			if e.Admin {
				return true
			}
		}
		return false
	}
	if !g.access.admin[p] {
		return nil, nil
	}
	if isAdmin(p) {
		return nil, p
	}
	prev := map[*Principal]*Hop{p: nil}
	queue := []*Principal{p}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, h := range g.access.out[cur] {
			if _, seen := prev[h.To]; seen {
				continue
			}
			prev[h.To] = h
			if isAdmin(h.To) {
				var hops []*Hop
				for q := h.To; prev[q] != nil; q = prev[q].From {
					hops = append(hops, prev[q])
				}
				slices.Reverse(hops)
				return hops, h.To
			}
			queue = append(queue, h.To)
		}
	}
	return nil, nil
}

// hopSteps renders the principal hops of a path and its last step, the
// permission that makes the target an administrator.
func (g *Graph) hopSteps(start *Principal, hops []*Hop, target *Principal) []PathStep {
	var out []PathStep
	for _, h := range hops {
		switch h.Kind {
		case HopAssume:
			out = append(out, PathStep{Resource: h.To.Resource, Range: h.To.Resource.Facets.Role().Trust.Range, Technique: "T1548.005",
				Description: fmt.Sprintf("%s assumes %s: %s of its trust policy admits it%s", h.From.Resource.Addr, h.To.Resource.Addr, stmtLabel(h.Trust), evidenceText(h.Evidence))})
		case HopTechnique:
			st := PathStep{Resource: h.From.Resource, Range: h.From.Resource.Range, Technique: h.Technique.ATTACK[0],
				Description: fmt.Sprintf("%s can %s (%s)%s, and so acts as %s", h.From.Resource.Addr, h.Technique.Name, h.Technique.ID, evidenceText(h.Evidence), h.To.Resource.Addr)}
			if len(h.Evidence) > 0 {
				st.Resource, st.Range = h.Evidence[0].Grant.From, h.Evidence[0].Range
			}
			if h.Via != nil {
				st.Description += " through " + h.Via.Addr.String()
			}
			out = append(out, st)
		}
	}
	if target == nil {
		return out
	}
	// The last step: why the target is an administrator.
	last := PathStep{Resource: target.Resource, Range: target.Resource.Range, Technique: "T1078.004"}
	if g.access.adminDirect[target] {
		v := g.Can(target, adminProbes[0], "*", nil, nil)
		last.Description = fmt.Sprintf("%s has administrator permissions%s", target.Resource.Addr, evidenceText(v.Allows))
		if len(v.Allows) > 0 {
			last.Resource, last.Range = v.Allows[0].Grant.From, v.Allows[0].Range
		}
	} else {
		for _, e := range g.access.escalations[target] {
			if e.Admin {
				last.Technique = e.Technique.ATTACK[0]
				last.Description = fmt.Sprintf("%s can %s on itself (%s)%s: any permission", target.Resource.Addr, e.Technique.Name, e.Technique.ID, evidenceText(e.Evidence))
				if len(e.Evidence) > 0 {
					last.Resource, last.Range = e.Evidence[0].Grant.From, e.Evidence[0].Range
				}
				break
			}
		}
	}
	return append(out, last)
}

// evidenceText lists the granting statements for a step's description.
func evidenceText(es []Evidence) string {
	if len(es) == 0 {
		return ""
	}
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmt.Sprintf("%s by %s of %s", e.Action, stmtLabel(e.Statement), e.Grant.Name())
	}
	return "; allowed: " + strings.Join(parts, "; ")
}

// dumpPrincipal writes the principal r is, its escalations and hops, and
// the attack paths that start at r, for Graph.Dump.
func dumpPrincipal(b *strings.Builder, g *Graph, r *Resource) {
	if p := g.principalByRes[r]; p != nil {
		fmt.Fprintf(b, "  principal %s arn=%q grants=%d", p.Kind, p.ARN, len(p.Grants))
		if p.Boundary != nil {
			fmt.Fprintf(b, " boundary=%s", p.Boundary.Name())
		}
		if g.access.adminDirect[p] {
			b.WriteString(" admin")
		} else if g.access.admin[p] {
			b.WriteString(" admin-equivalent")
		}
		b.WriteByte('\n')
		for _, why := range p.Incomplete {
			fmt.Fprintf(b, "    incomplete %s\n", why)
		}
		for _, e := range g.access.escalations[p] {
			fmt.Fprintf(b, "    escalation %s", e.Technique.ID)
			for _, t := range e.Targets {
				fmt.Fprintf(b, " target=%s", t.Resource.Addr)
				if t.Self {
					b.WriteString("(self)")
				}
			}
			if len(e.Wild) > 0 {
				fmt.Fprintf(b, " wild=%s", strings.Join(e.Wild, ","))
			}
			if e.Admin {
				b.WriteString(" admin")
			}
			b.WriteByte('\n')
		}
		for _, h := range g.access.out[p] {
			fmt.Fprintf(b, "    can-become %s by %s", h.To.Resource.Addr, h.Kind)
			if h.Technique != nil {
				fmt.Fprintf(b, " %s", h.Technique.ID)
			}
			b.WriteByte('\n')
		}
	}
	for _, ap := range g.paths {
		if ap.Start != r {
			continue
		}
		fmt.Fprintf(b, "  attack-path from %s to %s %s\n", ap.Entry, ap.Jewel, ap.Target.Addr)
		for _, s := range ap.Steps {
			fmt.Fprintf(b, "    %s %s %s: %s\n", s.Technique, s.Resource.Addr, s.Range, s.Description)
		}
	}
}
