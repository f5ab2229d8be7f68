package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// FlowKind says what moves along a data flow.
type FlowKind string

// Kinds of flow.
const (
	// FlowNetwork: network traffic admitted by security groups, or sent
	// by a load balancer to its targets.
	FlowNetwork FlowKind = "network"
	// FlowInvoke: a front (an API, a function URL) invokes a function.
	FlowInvoke FlowKind = "invoke"
	// FlowAssume: a principal assumes a role.
	FlowAssume FlowKind = "assume"
	// FlowData: compute reads or writes a data store through its role.
	FlowData FlowKind = "data"
)

// Party is one end of a flow: a resource in the graph, or a party the
// code names without defining (the internet, another account, a service,
// an identity provider).
type Party struct {
	Resource *Resource
	// Name names a party that is not a resource: "Internet", an account
	// principal, a service principal, an identity provider.
	Name string
	// Kind says what a party that is not a resource is: "internet",
	// "account", "service", "oidc", "saml", "any-principal", "unknown".
	Kind string
	// Zone is where the party is: the resource's zone, the internet, an
	// account zone; nil for AWS services, which sit in no zone of ours.
	Zone *Zone
}

// Key identifies the party: the resource's address key or kind:name.
func (p Party) Key() string {
	if p.Resource != nil {
		return p.Resource.Key()
	}
	return p.Kind + ":" + p.Name
}

// String names the party for dumps and labels.
func (p Party) String() string {
	if p.Resource != nil {
		return p.Resource.Addr.String()
	}
	return p.Kind + " " + p.Name
}

// Flow is a data flow between two parties, with the trust boundaries it
// crosses.
type Flow struct {
	From, To Party
	Kind     FlowKind
	// Labels say what flows: "tcp/22", "sts:AssumeRole", "s3:GetObject";
	// sorted, without duplicates.
	Labels []string
	// Crosses are the zones the flow enters or leaves: those that hold
	// one end and not the other, and for network flows the security
	// groups of the target that the source is not in. Outermost first.
	Crosses []*Zone
	// Range is what makes the flow: the rule, listener, trust statement
	// or policy.
	Range Range
}

// Label joins the labels for display.
func (f Flow) Label() string { return strings.Join(f.Labels, ", ") }

// Flows are the data flows of the graph, ordered by source, target and
// kind.
func (g *Graph) Flows() []Flow { return g.flows }

// flowSet accumulates flows, merging those between the same parties of
// the same kind.
type flowSet struct {
	g     *Graph
	index map[string]int
}

func (fs *flowSet) add(from, to Party, kind FlowKind, label string, rg Range) {
	if from.Resource != nil && from.Resource == to.Resource {
		return
	}
	k := from.Key() + "\x00" + to.Key() + "\x00" + string(kind)
	if i, ok := fs.index[k]; ok {
		f := &fs.g.flows[i]
		if !slices.Contains(f.Labels, label) {
			f.Labels = append(f.Labels, label)
		}
		if rg.Less(f.Range) && !rg.IsZero() {
			f.Range = rg
		}
		return
	}
	fs.index[k] = len(fs.g.flows)
	fs.g.flows = append(fs.g.flows, Flow{From: from, To: to, Kind: kind, Labels: []string{label}, Range: rg})
}

func (g *Graph) party(r *Resource) Party { return Party{Resource: r, Zone: g.zoneOf[r]} }

// flowsPass finds the data flows: from the internet to what it reaches,
// from load balancers to their targets, between security groups, from
// principals to the roles they assume and from compute to the stores
// its role's policies grant.
func flowsPass(g *Graph, _ []*Resource) Diagnostics {
	fs := &flowSet{g: g, index: map[string]int{}}
	internet := Party{Name: "Internet", Kind: "internet", Zone: g.zoneByID["internet"]}
	internetFlows(g, fs, internet)
	loadBalancerFlows(g, fs)
	diags := groupFlows(g, fs)
	assumeFlows(g, fs, internet)
	diags = append(diags, dataFlows(g, fs)...)
	for i := range g.flows {
		f := &g.flows[i]
		slices.Sort(f.Labels)
		f.Crosses = crossings(g, *f)
	}
	slices.SortFunc(g.flows, func(a, b Flow) int {
		return cmp.Or(cmp.Compare(a.From.Key(), b.From.Key()), cmp.Compare(a.To.Key(), b.To.Key()), cmp.Compare(a.Kind, b.Kind))
	})
	diags.Sort()
	g.omitted = diags
	// They concern the drawing of a model, not the input: they are not
	// diagnostics of the scan.
	return nil
}

// OmittedFlows says which flows the graph left out because there were
// too many to draw one by one, each with the range that causes them.
func (g *Graph) OmittedFlows() Diagnostics { return g.omitted }

// crossings lists the zones one end of f is in and the other is not,
// outermost first; for network flows, the target's security groups that
// do not hold the source.
func crossings(g *Graph, f Flow) []*Zone {
	chain := func(z *Zone) []*Zone {
		var out []*Zone
		for ; z != nil; z = z.Parent {
			out = append(out, z)
		}
		return out
	}
	a, b := chain(f.From.Zone), chain(f.To.Zone)
	var out []*Zone
	for _, z := range a {
		if !slices.Contains(b, z) {
			out = append(out, z)
		}
	}
	for _, z := range b {
		if !slices.Contains(a, z) {
			out = append(out, z)
		}
	}
	if f.Kind == FlowNetwork && f.To.Resource != nil {
		var from []*Zone
		if f.From.Resource != nil {
			from = g.groupsOf[f.From.Resource]
		}
		for _, z := range g.groupsOf[f.To.Resource] {
			if !slices.Contains(from, z) {
				out = append(out, z)
			}
		}
	}
	slices.SortStableFunc(out, func(x, y *Zone) int {
		return cmp.Or(cmp.Compare(x.Depth(), y.Depth()), cmp.Compare(x.ID, y.ID))
	})
	return out
}

// Public CIDRs: a rule admitting them admits the internet.
func publicCIDR(c string) bool { return c == "0.0.0.0/0" || c == "::/0" }

// portLabel renders a rule's protocol and ports: "tcp/22", "tcp/80-90",
// "all traffic".
func portLabel(in IngressRule) string {
	proto := strings.ToLower(in.Protocol.V)
	switch {
	case in.Protocol.State != Set:
		proto = "?"
	case proto == "-1" || proto == "all":
		return "all traffic"
	case proto == "6":
		proto = "tcp"
	case proto == "17":
		proto = "udp"
	}
	switch {
	case in.FromPort.State != Set || in.ToPort.State != Set:
		return proto + "/?"
	case in.FromPort.V == in.ToPort.V:
		return proto + "/" + strconv.Itoa(in.FromPort.V)
	case in.FromPort.V <= 0 && (in.ToPort.V <= 0 || in.ToPort.V == 65535):
		return proto + "/all ports"
	}
	return fmt.Sprintf("%s/%d-%d", proto, in.FromPort.V, in.ToPort.V)
}

// Describe says what an ingress rule admits, for dumps and documents:
// "tcp/22 from cidr 0.0.0.0/0", "tcp/5432 from group aws_security_group.app".
func (in IngressRule) Describe() string {
	var from []string
	if !in.CIDRsKnown {
		from = append(from, "ranges that cannot be known")
	}
	for _, c := range in.CIDRs {
		from = append(from, "cidr "+dumpValue(c))
	}
	for _, ref := range in.SourceGroups {
		from = append(from, "group "+ref.Target)
	}
	if in.Self {
		from = append(from, "self")
	}
	for _, pl := range in.PrefixLists {
		from = append(from, "prefix-list "+dumpValue(pl))
	}
	if len(from) == 0 {
		from = append(from, "no source in the code")
	}
	return portLabel(in) + " from " + strings.Join(from, ", ")
}

// publicIngress lists the labels of the rules of r's groups that admit
// the whole internet.
func publicIngress(g *Graph, r *Resource) (labels []string, rg Range) {
	for _, z := range g.groupsOf[r] {
		for _, in := range z.Resource.Facets.SecurityGroup().Ingress {
			for _, c := range in.CIDRs {
				if c.State == Set && publicCIDR(c.V) {
					labels = append(labels, portLabel(in))
					if rg.IsZero() {
						rg = in.Range
					}
					break
				}
			}
		}
	}
	return labels, rg
}

func internetFlows(g *Graph, fs *flowSet, internet Party) {
	ports := listenerPorts(g)
	for _, r := range g.Resources {
		if g.zoneOf[r] == nil {
			continue
		}
		f := &r.Facets
		switch {
		case f.InstanceNetwork() != nil:
			// An instance is reached from the internet when it has a
			// public address in a public subnet and a group admits it.
			z := g.zoneOf[r]
			if !f.InstanceNetwork().Public().Is(true) || z.Kind != ZoneSubnet || !z.Public.Is(true) {
				continue
			}
			labels, rg := publicIngress(g, r)
			for _, l := range labels {
				fs.add(internet, g.party(r), FlowNetwork, l, rg)
			}
		case f.Database() != nil && f.Database().PubliclyAccessible.Is(true) && f.Placement() != nil:
			// A publicly accessible database gets a public address; it
			// is reached when all its subnets are public and a group
			// admits the internet.
			if !allPublic(g, f.Placement().SubnetsResolved) {
				continue
			}
			labels, rg := publicIngress(g, r)
			for _, l := range labels {
				fs.add(internet, g.party(r), FlowNetwork, l, rg)
			}
		case f.Placement() != nil && f.Placement().InternetFacing.Is(true):
			ps := ports[r]
			if len(ps) == 0 {
				ps = []string{"no listener in the code"}
			}
			for _, p := range ps {
				fs.add(internet, g.party(r), FlowNetwork, p, f.Placement().InternetFacing.Range)
			}
		case f.Endpoint() != nil && f.Endpoint().Public.Is(true):
			fs.add(internet, g.party(r), FlowNetwork, "https", r.Range)
		case f.LambdaFront() != nil && f.LambdaFront().Kind == "function URL":
			l := "https"
			if a := f.LambdaFront().Auth; a.State == Set {
				l += " (auth " + a.V + ")"
			}
			fs.add(internet, g.party(r), FlowNetwork, l, r.Range)
		}
	}
	// Distributions fetch from their origins.
	for _, r := range g.Resources {
		e := r.Facets.Endpoint()
		if e == nil {
			continue
		}
		for i := range e.Backends {
			for _, t := range g.ResolveRef(r, e.Backends[i]) {
				if t.Facets.DataStore() != nil || t.Facets.Placement() != nil || t.Facets.InstanceNetwork() != nil {
					fs.add(g.party(r), g.party(t), FlowNetwork, "origin request", e.Backends[i].Range)
				}
			}
		}
	}
	// Fronts invoke their functions: a function URL directly; an API
	// integration on behalf of its API.
	for _, r := range g.Resources {
		lf := r.Facets.LambdaFront()
		if lf == nil || lf.Function == nil {
			continue
		}
		fn := g.resolveFirst(r, lf.Function, func(t *Resource) bool { return t.Facets.LambdaFunction() != nil })
		if fn == nil {
			continue
		}
		from := r
		for _, ref := range r.Refs {
			if api := g.resolveFirst(r, &ref, func(t *Resource) bool { return t.Facets.Endpoint() != nil }); api != nil {
				from = api
				break
			}
		}
		fs.add(g.party(from), g.party(fn), FlowInvoke, "lambda:InvokeFunction", lf.Function.Range)
	}
}

// allPublic says whether there are subnets and every one is in a public
// subnet zone.
func allPublic(g *Graph, subnets []*Resource) bool {
	for _, s := range subnets {
		z := g.zoneByID["subnet:"+s.Key()]
		if z == nil || !z.Public.Is(true) {
			return false
		}
	}
	return len(subnets) > 0
}

// listenerPorts are the protocols and ports of the listeners of each
// load balancer, sorted.
func listenerPorts(g *Graph) map[*Resource][]string {
	out := map[*Resource][]string{}
	for _, r := range g.Resources {
		lt := r.Facets.ListenerTarget()
		if lt == nil {
			continue
		}
		lb := g.resolveFirst(r, lt.LoadBalancer, isAnyResource)
		if lb == nil {
			continue
		}
		proto := "tcp"
		if l := r.Facets.Listener(); l != nil && l.Protocol.State == Set {
			proto = strings.ToLower(l.Protocol.V)
		}
		port := "?"
		if lt.Port.State == Set {
			port = strconv.Itoa(lt.Port.V)
		}
		if p := proto + "/" + port; !slices.Contains(out[lb], p) {
			out[lb] = append(out[lb], p)
		}
	}
	for _, ps := range out {
		slices.Sort(ps)
	}
	return out
}

func isAnyResource(*Resource) bool { return true }

// loadBalancerFlows: a load balancer sends traffic through its listeners
// to the targets registered with their target groups.
func loadBalancerFlows(g *Graph, fs *flowSet) {
	targets := map[*Resource][]*Resource{} // target group -> targets
	for _, r := range g.Resources {
		ta := r.Facets.TargetAttachment()
		if ta == nil {
			continue
		}
		groups := []*Resource{r}
		if len(ta.Groups) > 0 {
			groups = nil
			for i := range ta.Groups {
				if t := g.resolveFirst(r, &ta.Groups[i], isAnyResource); t != nil {
					groups = append(groups, t)
				}
			}
		}
		members := []*Resource{r}
		if len(ta.Targets) > 0 {
			members = nil
			for i := range ta.Targets {
				if t := g.resolveFirst(r, &ta.Targets[i], isAnyResource); t != nil {
					members = append(members, t)
				}
			}
		}
		for _, tg := range groups {
			for _, m := range members {
				if m != tg && !slices.Contains(targets[tg], m) {
					targets[tg] = append(targets[tg], m)
				}
			}
		}
	}
	for _, r := range g.Resources {
		lt := r.Facets.ListenerTarget()
		if lt == nil {
			continue
		}
		lb := g.resolveFirst(r, lt.LoadBalancer, isAnyResource)
		if lb == nil {
			continue
		}
		for i := range lt.TargetGroups {
			tg := g.resolveFirst(r, &lt.TargetGroups[i], isAnyResource)
			if tg == nil {
				continue
			}
			for _, m := range targets[tg] {
				fs.add(g.party(lb), g.party(m), FlowNetwork, "forward via "+tg.Addr.String(), lt.TargetGroups[i].Range)
			}
		}
	}
}

// maxGroupPairs bounds the member pairs one group rule is expanded into:
// a group that admits itself with thousands of members would otherwise
// make millions of flows.
const maxGroupPairs = 10000

// groupFlows: a rule of group B admitting group A lets A's members reach
// B's. A rule with more member pairs than maxGroupPairs is not drawn, and
// a warning says so.
func groupFlows(g *Graph, fs *flowSet) Diagnostics {
	var diags Diagnostics
	for _, z := range g.zones {
		if z.Kind != ZoneSecurityGroup {
			continue
		}
		for _, in := range z.Resource.Facets.SecurityGroup().Ingress {
			var sources []*Zone
			if in.Self {
				sources = append(sources, z)
			}
			from := in.Declared
			if from == nil {
				from = z.Resource
			}
			for i := range in.SourceGroups {
				if t := g.resolveFirst(from, &in.SourceGroups[i], isGroup); t != nil {
					if sz := g.zoneByID["sg:"+t.Key()]; sz != nil {
						sources = append(sources, sz)
					}
				}
			}
			for _, sz := range sources {
				if n := len(sz.Members) * len(z.Members); n > maxGroupPairs {
					diags = append(diags, Diagnostic{Severity: Warning,
						Summary: fmt.Sprintf("flows from %s to %s not drawn", sz.Name, z.Name),
						Detail:  fmt.Sprintf("the rule admits %d member pairs, more than the %d a model draws", n, maxGroupPairs),
						Range:   in.Range})
					continue
				}
				for _, a := range sz.Members {
					for _, b := range z.Members {
						fs.add(g.party(a), g.party(b), FlowNetwork, portLabel(in), in.Range)
					}
				}
			}
		}
	}
	return diags
}

// assumeFlows: every party a role's trust admits may assume it. A
// principal that cannot be known is often another role or user of the
// graph, named by reference (Principal = aws_iam_role.ci.arn): the
// references of the trust document say which.
func assumeFlows(g *Graph, fs *flowSet, internet Party) {
	for _, r := range g.Resources {
		trust := r.Facets.Role()
		for _, t := range g.trust[r] {
			label := strings.Join(t.Actions, " or ")
			switch {
			case t.ExternalID:
				label += " [sts:ExternalId]"
			case t.OrgID:
				label += " [aws:PrincipalOrgID]"
			case len(t.Subject) > 0:
				label += " [sub]"
			case t.Narrowed():
				label += " [conditions]"
			}
			if t.Kind == iam.TrustUnknown {
				if ps := g.trustReferences(r, trust.Trust); len(ps) > 0 {
					for _, p := range ps {
						party := g.party(p)
						if idp := p.Facets.IdentityProvider(); idp != nil {
							// The provider is the door; who comes through
							// it is on the internet.
							party = Party{Kind: idp.Kind, Name: dumpValue(idp.Name), Zone: internet.Zone}
							if idp.Name.State != Set {
								party.Name = p.Addr.String()
							}
						}
						fs.add(party, g.party(r), FlowAssume, label, trust.Trust.Range)
					}
					continue
				}
			}
			p := Party{Name: t.Principal, Kind: t.Kind.String()}
			switch t.Kind {
			case iam.TrustAccount:
				if t.Account != "" {
					p.Zone = g.zoneByID["account:"+t.Account]
				} else if t.Same == iam.Yes {
					p.Zone = g.zoneOf[r]
				}
			case iam.TrustOIDC, iam.TrustSAML:
				p.Name, p.Zone = t.Provider, internet.Zone
			case iam.TrustAnyPrincipal:
				p.Zone = internet.Zone
			case iam.TrustUnknown:
				p.Name = "(cannot be known)"
			}
			fs.add(p, g.party(r), FlowAssume, label, trust.Trust.Range)
		}
	}
}

// trustReferences are the roles, users and identity providers of the
// graph that a role's trust document names by reference: in the
// attribute itself, or in the data source the document was rendered by.
func (g *Graph) trustReferences(role *Resource, p *Policy) []*Resource {
	var out []*Resource
	scan := func(from *Resource, attr string) {
		for _, ref := range from.Refs {
			if attr != "" && ref.Attr != attr && !strings.HasPrefix(ref.Attr, attr+".") {
				continue
			}
			for _, t := range g.ResolveRef(from, ref) {
				if t != role && (t.Facets.Role() != nil || t.Facets.User() != nil || t.Facets.IdentityProvider() != nil) && !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
	}
	if p.Via != nil {
		scan(p.Via, "")
	} else {
		scan(role, p.Attr)
	}
	return out
}

// dataFlows: compute reaches a store when a policy of a role it runs as
// allows an action of the store's service on a resource that matches the
// store's ARN, or on "*", or on an ARN that cannot be known but is built
// from a reference to the store.
//
// A grant on "*" reaches every store of its service; with more than
// maxWildcardStores of them it is not drawn store by store, and a warning
// says so.
func dataFlows(g *Graph, fs *flowSet) Diagnostics {
	var stores []*Resource
	perService := map[string]int{}
	for _, r := range g.Resources {
		if ds := r.Facets.DataStore(); ds != nil {
			stores = append(stores, r)
			perService[ds.Service]++
		}
	}
	if len(stores) == 0 {
		return nil
	}
	var diags Diagnostics
	warned := map[string]bool{}
	var compute []*Resource
	for r := range g.runsAs {
		if u := r.Facets.RoleUse(); u == nil || !u.Template {
			compute = append(compute, r)
		}
	}
	slices.SortFunc(compute, func(a, b *Resource) int { return cmp.Compare(a.Key(), b.Key()) })
	policies := g.rolePolicies()
	byService := map[string][]*Resource{}
	storePos := make(map[*Resource]int, len(stores))
	var services []string
	for i, st := range stores {
		storePos[st] = i
		svc := st.Facets.DataStore().Service
		if byService[svc] == nil {
			services = append(services, svc)
		}
		byService[svc] = append(byService[svc], st)
	}
	idx := storeIndex{byService: byService, storePos: storePos, forms: newStoreForms(stores)}
	// What a role's policies grant on the stores is the same for every
	// resource that runs with the role: worked out once per role, then
	// drawn from each of them.
	grants := map[*Resource][]storeGrant{}
	for _, c := range compute {
		for _, role := range g.runsAs[c] {
			gs, ok := grants[role]
			if !ok {
				gs, diags = g.roleStoreGrants(role, policies[role], &idx, services, perService, warned, diags)
				grants[role] = gs
			}
			for _, sg := range gs {
				fs.add(g.party(c), g.party(sg.store), FlowData, sg.action, sg.rng)
			}
		}
	}
	return diags
}

// storeGrant is one action a role's policy grants on a data store.
type storeGrant struct {
	store  *Resource
	action string
	rng    Range
}

// roleStoreGrants lists, in the order of the role's statements and then
// of the stores, the actions the role's policies grant on each store. A
// grant on "*" over more than maxWildcardStores stores of a kind is left
// out with a warning (once per statement and kind).
func (g *Graph) roleStoreGrants(role *Resource, hps []heldPolicy, idx *storeIndex, services []string,
	perService map[string]int, warned map[string]bool, diags Diagnostics) ([]storeGrant, Diagnostics) {
	var out []storeGrant
	denies := roleDenies(hps)
	for _, hp := range hps {
		for i := range hp.policy.Doc.Statements {
			s := &hp.policy.Doc.Statements[i]
			if !s.Allows() {
				continue
			}
			wildcard := s.AllResources() == iam.Yes
			// The actions a statement grants depend on the store's
			// service only; stores of a service it grants nothing on are
			// passed over without looking at them.
			actions := map[string][]string{}
			for _, svc := range services {
				as := storeActions(s, svc)
				if len(as) == 0 {
					continue
				}
				if wildcard && perService[svc] > maxWildcardStores {
					k := fmt.Sprintf("%s\x00%s\x00%d\x00%s", role.Key(), hp.policy.Range, s.Index, svc)
					if !warned[k] {
						warned[k] = true
						ds := idx.byService[svc][0].Facets.DataStore()
						diags = append(diags, Diagnostic{Severity: Warning,
							Summary: fmt.Sprintf("data flows of %s to every %s not drawn", role.Addr, ds.Kind),
							Detail: fmt.Sprintf("statement %d grants %s on \"*\": %d stores of the kind are in the code, more than the %d a model draws one by one",
								s.Index+1, strings.Join(as, ", "), perService[svc], maxWildcardStores),
							Range: hp.policy.Range})
					}
					continue
				}
				actions[svc] = as
			}
			if len(actions) == 0 {
				continue
			}
			var refs map[*Resource]bool
			for _, st := range g.candidateStores(hp, s, actions, idx) {
				as := actions[st.Facets.DataStore().Service]
				if !wildcard && !g.grantsStore(hp, s, st, &refs) {
					continue
				}
				for _, a := range as {
					if !deniedEverywhere(denies, a) {
						out = append(out, storeGrant{st, a, hp.policy.Range})
					}
				}
			}
		}
	}
	return out, diags
}

// candidateStores returns, in store order, the stores of the services
// in actions that statement s may grant: every store of those services
// for "*" or NotResource; otherwise the stores whose ARN the patterns'
// literal prefixes select, and, when s names resources by reference, the
// stores it refers to (a store by reference is never matched by a
// pattern). A large tree has thousands of stores and a role's statements
// name a few: trying each store against each role's patterns would grow
// with the square of the tree.
func (g *Graph) candidateStores(hp heldPolicy, s *iam.Statement, actions map[string][]string, idx *storeIndex) []*Resource {
	var out []*Resource
	seen := map[*Resource]bool{}
	add := func(t *Resource) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	switch {
	case s.AllResources() == iam.Yes || s.NotResource.Present:
		for svc := range actions {
			out = append(out, idx.byService[svc]...)
		}
	default:
		for _, pat := range s.Resource.Values {
			for svc := range actions {
				idx.forms.each(svc, pat, add)
			}
		}
		if s.Resource.Unknown {
			for _, h := range hp.holders {
				for _, ref := range h.Refs {
					for _, t := range g.ResolveRef(h, ref) {
						if _, ok := idx.storePos[t]; ok && len(actions[t.Facets.DataStore().Service]) > 0 {
							add(t)
						}
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b *Resource) int { return cmp.Compare(idx.storePos[a], idx.storePos[b]) })
	return out
}

// storeIndex holds the data stores of a graph for looking them up from a
// policy statement.
type storeIndex struct {
	byService map[string][]*Resource
	storePos  map[*Resource]int
	forms     storeForms
}

// storeForms are the resource parts of the ARNs of the stores whose name
// is known (arnForms), sorted per service, so that a pattern's literal
// prefix selects the stores it may match by binary search.
type storeForms map[string][]storeForm

type storeForm struct {
	form  string
	store *Resource
}

func newStoreForms(stores []*Resource) storeForms {
	out := storeForms{}
	for _, st := range stores {
		ds := st.Facets.DataStore()
		if ds.Name.State != Set {
			continue
		}
		for _, f := range arnForms(ds) {
			out[ds.Service] = append(out[ds.Service], storeForm{f, st})
		}
	}
	for _, fs := range out {
		slices.SortFunc(fs, func(a, b storeForm) int { return cmp.Compare(a.form, b.form) })
	}
	return out
}

// each calls f with every store of service svc that pattern pat may
// match: those whose ARN's resource part starts with the pattern's up to
// its first wildcard or policy variable. arnMatches decides.
func (sf storeForms) each(svc, pat string, f func(*Resource)) {
	parts, ok := iam.ARNFields(pat)
	if !ok || parts[0] != "arn" || !iam.Glob(strings.ToLower(parts[2]), svc) {
		return
	}
	prefix := iam.LiteralPrefix(parts[5])
	fs := sf[svc]
	i, _ := slices.BinarySearchFunc(fs, prefix, func(e storeForm, p string) int { return cmp.Compare(e.form, p) })
	for ; i < len(fs) && strings.HasPrefix(fs[i].form, prefix); i++ {
		f(fs[i].store)
	}
}

// maxWildcardStores bounds the stores one grant on "*" is drawn to.
const maxWildcardStores = 25

// roleDenies are the Deny statements of a role's policies that hold
// without condition on every resource: they take away whatever else
// allows.
func roleDenies(hps []heldPolicy) []*iam.Statement {
	var out []*iam.Statement
	for _, hp := range hps {
		for i := range hp.policy.Doc.Statements {
			s := &hp.policy.Doc.Statements[i]
			if s.Effect == "Deny" && len(s.Conditions) == 0 && !s.ConditionUnknown && s.AllResources() == iam.Yes {
				out = append(out, s)
			}
		}
	}
	return out
}

// deniedEverywhere says whether one of denies covers the action pattern a
// ("s3:Get*" is covered by a Deny of "s3:*").
func deniedEverywhere(denies []*iam.Statement, a string) bool {
	a = strings.TrimSuffix(a, " (NotAction)")
	for _, d := range denies {
		if d.CoversAction(a) == iam.Yes {
			return true
		}
	}
	return false
}

// heldPolicy is a policy document with the resources it is written in.
type heldPolicy struct {
	policy  *Policy
	holders []*Resource
}

// rolePolicies lists, for every role, the readable policies that apply
// to it: its inline ones, policies written for it as separate resources,
// and managed policies in the graph attached to it by reference or by
// the role's name in the same stack.
func (g *Graph) rolePolicies() map[*Resource][]heldPolicy {
	out := map[*Resource][]heldPolicy{}
	add := func(role *Resource, p *Policy, holders ...*Resource) {
		if p.Known() {
			if p.Via != nil {
				holders = append(holders, p.Via)
			}
			out[role] = append(out[role], heldPolicy{policy: p, holders: holders})
		}
	}
	byName := map[string][]*Resource{}
	for _, r := range g.Resources {
		if role := r.Facets.Role(); role != nil {
			for _, p := range role.Inline {
				add(r, p, r)
			}
			if role.Name.State == Set {
				byName[r.Addr.Stack+"\x00"+role.Name.V] = append(byName[r.Addr.Stack+"\x00"+role.Name.V], r)
			}
		}
	}
	for _, r := range g.Resources {
		ip := r.Facets.IdentityPolicy()
		if ip == nil {
			continue
		}
		var roles []*Resource
		for _, l := range ip.Roles {
			var ts []*Resource
			if l.Ref != nil {
				ts = g.ResolveRef(r, *l.Ref)
			} else if l.Name.State == Set {
				ts = byName[r.Addr.Stack+"\x00"+l.Name.V]
			}
			for _, t := range ts {
				if t.Facets.Role() != nil && !slices.Contains(roles, t) {
					roles = append(roles, t)
				}
			}
		}
		for _, role := range roles {
			if ip.Policy != nil {
				add(role, ip.Policy, r)
			}
			if ip.PolicyRef != nil {
				for _, t := range g.Resolve(r, ip.PolicyRef.Target) {
					if tp := t.Facets.IdentityPolicy(); tp != nil && tp.Policy != nil {
						add(role, tp.Policy, t)
					}
				}
			}
		}
	}
	return out
}

// storeActions lists the actions of s that belong to service: the
// patterns as written, or "<service>:*" for a statement that allows every
// action.
func storeActions(s *iam.Statement, service string) []string {
	var out []string
	for _, a := range s.Action.Values {
		svc, _, ok := strings.Cut(a, ":")
		switch {
		case iam.IsWildcard(a):
			out = append(out, service+":*")
		case ok && iam.Glob(strings.ToLower(svc), service):
			out = append(out, a)
		case service == "rds" && ok && strings.EqualFold(svc, "rds-db"):
			out = append(out, a)
		}
	}
	if s.NotAction.Present && s.CoversAction(service+":*") == iam.Yes {
		out = append(out, service+":* (NotAction)")
	}
	return out
}

// grantsStore says whether a statement's resources take in store st.
// refs caches, across the stores asked about for one statement, the
// resources the statement's holders refer to.
func (g *Graph) grantsStore(hp heldPolicy, s *iam.Statement, st *Resource, refs *map[*Resource]bool) bool {
	if s.AllResources() == iam.Yes {
		return true
	}
	ds := st.Facets.DataStore()
	for _, pat := range s.Resource.Values {
		if ds.Name.State == Set && arnMatches(pat, ds, st) {
			return true
		}
	}
	if !s.Resource.Unknown {
		return false
	}
	// An ARN built from the store's attributes is unknown until apply;
	// the reference the policy makes says which store it is.
	if *refs == nil {
		*refs = map[*Resource]bool{}
		for _, h := range hp.holders {
			for _, ref := range h.Refs {
				for _, t := range g.ResolveRef(h, ref) {
					(*refs)[t] = true
				}
			}
		}
	}
	return (*refs)[st]
}

// arnMatches matches a policy's resource pattern against the ARN of a
// store whose name is known: the service and resource parts must match;
// region and account match when the pattern leaves them open or names
// the store's known account.
func arnMatches(pat string, ds *DataStore, st *Resource) bool {
	parts, ok := iam.ARNFields(pat)
	if !ok || parts[0] != "arn" || !iam.Glob(strings.ToLower(parts[2]), ds.Service) {
		return false
	}
	if acct := accountOf(st); parts[4] != "" && !iam.IsWildcard(parts[4]) && acct != "" && !iam.Glob(parts[4], acct) {
		return false
	}
	for _, c := range arnForms(ds) {
		if iam.Glob(parts[5], c) {
			return true
		}
	}
	return false
}

// arnForms are the resource parts of the ARNs of a store whose name is
// known, as policies name it: a bucket and an object in it, a table, a
// secret (with the suffix AWS adds), a database instance or cluster.
func arnForms(ds *DataStore) []string {
	name := ds.Name.V
	switch ds.Service {
	case "s3":
		return []string{name, name + "/object"}
	case "dynamodb":
		return []string{"table/" + name}
	case "secretsmanager":
		return []string{"secret:" + name + "-AbCdEf"}
	case "rds":
		return []string{"db:" + name, "cluster:" + name}
	}
	return []string{name}
}
