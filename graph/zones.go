package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// ZoneKind says what a trust zone is.
type ZoneKind string

// Kinds of zone, from the outermost.
const (
	ZoneInternet      ZoneKind = "internet"
	ZoneOrg           ZoneKind = "organization"
	ZoneOU            ZoneKind = "ou"
	ZoneAccount       ZoneKind = "account"
	ZoneVPC           ZoneKind = "vpc"
	ZoneSubnet        ZoneKind = "subnet"
	ZoneSecurityGroup ZoneKind = "security-group"
)

// UnknownAccountID is the zone ID of "this account": resources whose
// account the code does not tell.
const UnknownAccountID = "account:unknown"

// Zone is a trust zone inferred from the code: the internet, an
// organization and its OUs, an AWS account, a VPC, a subnet, a security
// group. Zones nest through Parent; security groups sit beside the
// subnets of their VPC, since their members span subnets.
type Zone struct {
	// ID is stable across runs and edits elsewhere: the kind and the
	// address key of the defining resource, or the account ID.
	ID     string
	Kind   ZoneKind
	Name   string
	Parent *Zone
	// Resource defines the zone (the VPC, subnet, group, OU, account or
	// organization resource); nil for the internet and for accounts
	// known only by ID.
	Resource *Resource
	// Account is the account ID of an account zone, when known.
	Account string
	// External marks an account named only in ARNs of policies and trust
	// documents: nothing in the scanned code deploys to it.
	External bool
	// Public says whether a subnet is public: routed to an internet
	// gateway, or assigning public IP addresses at launch. Reason says
	// which, or why it cannot be told.
	Public Value[bool]
	Reason string
	// SCPs are the service control policies attached at an organization
	// level.
	SCPs []*Resource
	// Members are the resources placed directly in the zone, in address
	// order; for a security group, the resources it guards.
	Members []*Resource
}

// Depth counts the zone's ancestors.
func (z *Zone) Depth() int {
	d := 0
	for p := z.Parent; p != nil; p = p.Parent {
		d++
	}
	return d
}

// Contains reports whether z is o or an ancestor of o.
func (z *Zone) Contains(o *Zone) bool {
	for ; o != nil; o = o.Parent {
		if o == z {
			return true
		}
	}
	return false
}

// Zones are the trust zones of the graph, ordered by ID.
func (g *Graph) Zones() []*Zone { return g.zones }

// Zone returns the zone with this ID, or nil.
func (g *Graph) Zone(id string) *Zone { return g.zoneByID[id] }

// ZoneOf returns the innermost zone a resource is placed in (a subnet, a
// VPC, an account); nil for data sources, which create nothing.
func (g *Graph) ZoneOf(r *Resource) *Zone { return g.zoneOf[r] }

// GroupsOf returns the security group zones that guard r.
func (g *Graph) GroupsOf(r *Resource) []*Zone { return g.groupsOf[r] }

// zoneSet builds the zones of one graph.
type zoneSet struct {
	g *Graph
}

func (zs zoneSet) add(z *Zone) *Zone {
	if old := zs.g.zoneByID[z.ID]; old != nil {
		return old
	}
	zs.g.zoneByID[z.ID] = z
	zs.g.zones = append(zs.g.zones, z)
	return z
}

// account returns the zone of an account ID, creating it.
func (zs zoneSet) account(id string) *Zone {
	if id == "" {
		return zs.add(&Zone{ID: UnknownAccountID, Kind: ZoneAccount, Name: "this account (unknown ID)"})
	}
	return zs.add(&Zone{ID: "account:" + id, Kind: ZoneAccount, Name: "account " + id, Account: id})
}

// zonesPass infers the trust zones: the internet; the organization, its
// OUs and accounts; every account resources deploy to or policies name;
// VPCs, subnets (public or private) and security groups. Every managed
// resource is placed in one zone.
func zonesPass(g *Graph, _ []*Resource) Diagnostics {
	g.zoneByID = map[string]*Zone{}
	g.zoneOf = map[*Resource]*Zone{}
	g.groupsOf = map[*Resource][]*Zone{}
	zs := zoneSet{g}
	zs.add(&Zone{ID: "internet", Kind: ZoneInternet, Name: "Internet"})

	orgZones(g, zs)
	// Accounts resources deploy to.
	for _, r := range g.Resources {
		if r.Addr.Mode != Managed {
			continue
		}
		g.zoneOf[r] = zs.account(accountOf(r))
	}
	// Accounts a StackSet deploys to belong to the estate.
	for _, r := range g.Resources {
		if t := r.Facets.StackSetTargets(); t != nil {
			for _, a := range t.Accounts {
				if a.State == Set && iam.AccountOf(a.V) == a.V {
					zs.account(a.V)
				}
			}
		}
	}
	// Accounts named only in ARNs are outside what the code deploys.
	for _, id := range arnAccounts(g) {
		if g.zoneByID["account:"+id] == nil {
			z := zs.account(id)
			z.External = true
			z.Name = "account " + id + " (external)"
		}
	}
	// The management account is the one the organization is created
	// from: it belongs to the organization, at its root.
	for _, r := range g.Resources {
		if n := r.Facets.OrgNode(); n != nil && n.Kind == OrgRoot {
			if acct := g.zoneOf[r]; acct != nil && acct.ID != UnknownAccountID && acct.Parent == nil {
				acct.Parent = g.zoneByID["org:"+r.Key()]
				acct.Name += " (management)"
			}
		}
	}
	networkZones(g, zs)

	for _, r := range g.Resources {
		if z := g.zoneOf[r]; z != nil {
			z.Members = append(z.Members, r)
		}
	}
	slices.SortFunc(g.zones, func(a, b *Zone) int { return cmp.Compare(a.ID, b.ID) })
	return nil
}

// accountOf is the account a resource deploys to, "" when unknown. An
// empty account in an ARN built for matching matches any account a policy
// names, so unknown never narrows a grant away.
func accountOf(r *Resource) string {
	if r.Account.State == Set && iam.AccountOf(r.Account.V) == r.Account.V {
		return r.Account.V
	}
	return ""
}

// orgZones makes zones of the organization root, OUs and accounts, nested
// along each node's path, with the SCPs attached at each level.
func orgZones(g *Graph, zs zoneSet) {
	for _, r := range g.Resources {
		n := r.Facets.OrgNode()
		if n == nil {
			continue
		}
		var parent *Zone
		for _, l := range n.Levels {
			var z *Zone
			switch {
			case l.Node == nil:
				z = zs.add(&Zone{ID: "org:" + l.ID, Kind: ZoneOrg, Name: "organization root " + l.ID})
			default:
				z = orgZone(zs, l.Node)
			}
			if z.Parent == nil && parent != nil && z != parent {
				z.Parent = parent
			}
			z.SCPs = l.SCPs
			parent = z
		}
		if len(n.Levels) == 0 {
			orgZone(zs, r)
		}
	}
}

func orgZone(zs zoneSet, r *Resource) *Zone {
	n := r.Facets.OrgNode()
	name := r.Addr.String()
	if n.Name.State == Set {
		name = n.Name.V
	}
	switch n.Kind {
	case OrgRoot:
		return zs.add(&Zone{ID: "org:" + r.Key(), Kind: ZoneOrg, Name: "organization " + name, Resource: r})
	case OrgUnit:
		return zs.add(&Zone{ID: "ou:" + r.Key(), Kind: ZoneOU, Name: "OU " + name, Resource: r})
	}
	if n.ID.State == Set && iam.AccountOf(n.ID.V) == n.ID.V {
		z := zs.account(n.ID.V)
		z.Resource, z.Name = r, "account "+name+" ("+n.ID.V+")"
		return z
	}
	return zs.add(&Zone{ID: "account:" + r.Key(), Kind: ZoneAccount, Name: "account " + name + " (ID known after apply)", Resource: r})
}

// arnAccounts lists, sorted, the account IDs that trust documents and
// policies name: principals and resource ARNs.
func arnAccounts(g *Graph) []string {
	seen := map[string]bool{}
	for _, r := range g.Resources {
		for _, p := range r.policies() {
			if !p.Known() {
				continue
			}
			for i := range p.Doc.Statements {
				s := &p.Doc.Statements[i]
				for _, pr := range []*iam.Principal{s.Principal, s.NotPrincipal} {
					if pr == nil {
						continue
					}
					for _, v := range append(slices.Clone(pr.AWS.Values), pr.Federated.Values...) {
						if id := iam.AccountOf(v); id != "" {
							seen[id] = true
						}
					}
				}
				for _, v := range append(slices.Clone(s.Resource.Values), s.NotResource.Values...) {
					if id := arnAccount(v); id != "" {
						seen[id] = true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// arnAccount returns the account field of an ARN when it is an account
// ID.
func arnAccount(arn string) string {
	parts, ok := iam.ARNFields(arn)
	if ok && parts[0] == "arn" && iam.IsAccountID(parts[4]) {
		return parts[4]
	}
	return ""
}

// resolveFirst returns the first resource a reference from r names that
// satisfies ok.
func (g *Graph) resolveFirst(r *Resource, ref *Ref, ok func(*Resource) bool) *Resource {
	if ref == nil {
		return nil
	}
	for _, t := range g.ResolveRef(r, *ref) {
		if ok(t) {
			return t
		}
	}
	return nil
}

func isVPC(t *Resource) bool        { return t.Facets.VPC() != nil }
func isSubnet(t *Resource) bool     { return t.Facets.Subnet() != nil }
func isGroup(t *Resource) bool      { return t.Facets.SecurityGroup() != nil }
func isRouteTable(t *Resource) bool { return t.Facets.RouteTable() != nil }
func isGateway(t *Resource) bool {
	return t.Facets.InternetGateway() != nil && t.Facets.InternetGateway().Gateway == nil
}
func hasRole(t *Resource) bool { return t.Facets.Role() != nil }

// networkZones makes VPC, subnet and security group zones, classifies
// subnets, and places instances and other networked resources.
func networkZones(g *Graph, zs zoneSet) {
	vpcZone := map[*Resource]*Zone{}
	for _, r := range g.Resources {
		if r.Facets.VPC() == nil || g.zoneOf[r] == nil {
			continue
		}
		z := zs.add(&Zone{ID: "vpc:" + r.Key(), Kind: ZoneVPC, Name: "VPC " + r.Addr.String(), Resource: r, Parent: g.zoneOf[r]})
		vpcZone[r] = z
	}
	inVPC := func(r *Resource, ref *Ref) *Zone {
		if v := g.resolveFirst(r, ref, isVPC); v != nil {
			return vpcZone[v]
		}
		return nil
	}

	tables := routeTables(g)
	subnetZone := map[*Resource]*Zone{}
	for _, r := range g.Resources {
		sn := r.Facets.Subnet()
		if sn == nil || g.zoneOf[r] == nil {
			continue
		}
		parent := g.zoneOf[r]
		vpc := g.resolveFirst(r, sn.VPC, isVPC)
		if vpc != nil {
			parent = vpcZone[vpc]
			g.zoneOf[r] = parent
		}
		z := zs.add(&Zone{ID: "subnet:" + r.Key(), Kind: ZoneSubnet, Resource: r, Parent: parent})
		z.Public, z.Reason = tables.classify(g, r, vpc)
		if sn.MapPublicIP.Is(true) && !z.Public.Is(true) {
			z.Public, z.Reason = Known(true, sn.MapPublicIP.Range), "assigns public IP addresses at launch"
		}
		z.Name = "private subnet " + r.Addr.String()
		switch {
		case z.Public.Is(true):
			z.Name = "public subnet " + r.Addr.String()
		case z.Public.State != Set:
			z.Name = "subnet " + r.Addr.String()
		}
		subnetZone[r] = z
	}

	groupZone := map[*Resource]*Zone{}
	for _, r := range g.Resources {
		sg := r.Facets.SecurityGroup()
		if sg == nil || g.zoneOf[r] == nil {
			continue
		}
		parent := g.zoneOf[r]
		if v := inVPC(r, sg.VPC); v != nil {
			parent = v
			g.zoneOf[r] = v
		}
		groupZone[r] = zs.add(&Zone{ID: "sg:" + r.Key(), Kind: ZoneSecurityGroup, Name: "security group " + r.Addr.String(), Resource: r, Parent: parent})
	}
	guard := func(r *Resource, groups []*Resource) {
		for _, sg := range groups {
			if z := groupZone[sg]; z != nil && !slices.Contains(g.groupsOf[r], z) {
				g.groupsOf[r] = append(g.groupsOf[r], z)
				z.Members = append(z.Members, r)
			}
		}
	}

	// place puts r in its subnet when all its subnets share one zone,
	// else in their VPC when they share one.
	place := func(r *Resource, subnets []*Resource) {
		var zones []*Zone
		for _, s := range subnets {
			if z := subnetZone[s]; z != nil && !slices.Contains(zones, z) {
				zones = append(zones, z)
			}
		}
		switch {
		case len(zones) == 1:
			g.zoneOf[r] = zones[0]
		case len(zones) > 1:
			vpc := zones[0].Parent
			for _, z := range zones[1:] {
				if z.Parent != vpc {
					return
				}
			}
			g.zoneOf[r] = vpc
		}
	}
	for _, r := range g.Resources {
		if g.zoneOf[r] == nil {
			continue
		}
		if n := r.Facets.InstanceNetwork(); n != nil {
			if n.SubnetResolved != nil {
				place(r, []*Resource{n.SubnetResolved})
			}
			guard(r, n.Groups)
		}
		if p := r.Facets.Placement(); p != nil {
			p.VPCResolved = g.resolveFirst(r, p.VPC, isVPC)
			subnets := func(from *Resource, refs []Ref) {
				for _, ref := range refs {
					if t := g.resolveFirst(from, &ref, isSubnet); t != nil && !slices.Contains(p.SubnetsResolved, t) {
						p.SubnetsResolved = append(p.SubnetsResolved, t)
					}
				}
			}
			subnets(r, p.Subnets)
			if sg := g.resolveFirst(r, p.SubnetGroup, func(t *Resource) bool { return t.Facets.SubnetGroup() != nil }); sg != nil {
				subnets(sg, sg.Facets.SubnetGroup().Subnets)
			}
			for _, ref := range p.SecurityGroups {
				if t := g.resolveFirst(r, &ref, isGroup); t != nil && !slices.Contains(p.Groups, t) {
					p.Groups = append(p.Groups, t)
				}
			}
			if z := vpcZone[p.VPCResolved]; z != nil {
				g.zoneOf[r] = z
			}
			place(r, p.SubnetsResolved)
			if len(p.SubnetsResolved) == 0 && p.VPCResolved == nil {
				// Only groups tell where it is: their common VPC.
				for _, sg := range p.Groups {
					if z := groupZone[sg]; z != nil && z.Parent.Kind == ZoneVPC {
						g.zoneOf[r] = z.Parent
						break
					}
				}
			}
			guard(r, p.Groups)
		}
		if rt := r.Facets.RouteTable(); rt != nil {
			if v := inVPC(r, rt.VPC); v != nil {
				g.zoneOf[r] = v
			}
		}
		if gw := r.Facets.InternetGateway(); gw != nil && gw.Gateway == nil {
			if v := inVPC(r, gw.VPC); v != nil {
				g.zoneOf[r] = v
			}
		}
	}
	for _, z := range groupZone {
		slices.SortFunc(z.Members, func(a, b *Resource) int { return cmp.Compare(a.Key(), b.Key()) })
	}
}

// tableIndex knows each subnet's route table and each VPC's main table.
type tableIndex struct {
	bySubnet map[*Resource]*Resource
	main     map[*Resource]*Resource // VPC -> main route table
}

// routeTables merges separate routes into their tables and indexes the
// associations.
func routeTables(g *Graph) tableIndex {
	ix := tableIndex{bySubnet: map[*Resource]*Resource{}, main: map[*Resource]*Resource{}}
	for _, r := range g.Resources {
		if e := r.Facets.RouteEntry(); e != nil {
			if t := g.resolveFirst(r, e.Table, isRouteTable); t != nil {
				t.Facets.RouteTable().Routes = append(t.Facets.RouteTable().Routes, e.Route)
				g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: MemberOf, Range: e.Table.Range})
			}
		}
		if rt := r.Facets.RouteTable(); rt != nil && rt.Main {
			if v := g.resolveFirst(r, rt.VPC, isVPC); v != nil {
				ix.main[v] = r
			}
		}
	}
	for _, r := range g.Resources {
		a := r.Facets.RouteAssociation()
		if a == nil {
			continue
		}
		t := g.resolveFirst(r, a.Table, isRouteTable)
		if t == nil {
			continue
		}
		if s := g.resolveFirst(r, a.Subnet, isSubnet); s != nil {
			ix.bySubnet[s] = t
			g.Edges = append(g.Edges, Edge{From: s, To: t, Kind: RoutesVia, Range: r.Range})
		}
		if v := g.resolveFirst(r, a.MainOf, isVPC); v != nil {
			ix.main[v] = t
		}
	}
	return ix
}

// RoutesVia: a subnet routes its traffic through a route table.
const RoutesVia EdgeKind = "routes-via"

// classify says whether a subnet routes to an internet gateway, through
// its associated route table or else its VPC's main table.
func (ix tableIndex) classify(g *Graph, sn, vpc *Resource) (Value[bool], string) {
	t := ix.bySubnet[sn]
	how := "associated route table"
	if t == nil && vpc != nil {
		t, how = ix.main[vpc], "main route table"
	}
	if t == nil {
		if vpc == nil {
			return UnknownValue[bool](sn.Range), "its VPC and route table are not in the scanned code"
		}
		// A VPC the code creates starts with a main table that routes
		// only inside the VPC; nothing in the code adds a route to it.
		return Known(false, sn.Range), "no route table in the code routes it to an internet gateway"
	}
	unknown := false
	for _, rt := range t.Facets.RouteTable().Routes {
		gw := g.resolveFirst(t, rt.Gateway, isGateway)
		switch {
		case gw != nil || (rt.Gateway == nil && rt.GatewayID.State == Set && strings.HasPrefix(rt.GatewayID.V, "igw-")):
			what := rt.GatewayID.V
			if gw != nil {
				what = gw.Addr.String()
			}
			return Known(true, rt.Range), fmt.Sprintf("%s %s routes %s to internet gateway %s", how, t.Addr, dumpValue(rt.Destination), what)
		case rt.Gateway == nil && rt.GatewayID.State == Unknown:
			unknown = true
		}
	}
	if unknown {
		return UnknownValue[bool](t.Range), fmt.Sprintf("a gateway of %s %s cannot be known", how, t.Addr)
	}
	return Known(false, t.Range), fmt.Sprintf("%s %s has no route to an internet gateway", how, t.Addr)
}
