package graph

import (
	"cmp"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// EdgeKind says what an edge means.
type EdgeKind string

// Edge kinds.
const (
	// References: the source names the target in an expression or intrinsic.
	References EdgeKind = "references"
	// LaunchesFrom: an instance or group launches from a launch template.
	LaunchesFrom EdgeKind = "launches-from"
)

// Edge is a directed relation between two resources.
type Edge struct {
	From, To *Resource
	Kind     EdgeKind
	Range    Range
}

// Graph is the linked model of everything scanned.
type Graph struct {
	// Resources in address-key order.
	Resources []*Resource
	// Edges in (from, kind, to) order.
	Edges []Edge

	byKey map[string]*Resource
	// imdsv2SCP maps account IDs to the SCP that enforces IMDSv2 there,
	// filled by the org pass.
	imdsv2SCP map[string]*Resource
	byScope   map[string]map[string][]*Resource // scope -> config address -> instances

	// Boundaries, filled by the zones, identity and flows passes.
	zones    []*Zone
	zoneByID map[string]*Zone
	zoneOf   map[*Resource]*Zone
	groupsOf map[*Resource][]*Zone
	trust    map[*Resource][]iam.Trustee
	runsAs   map[*Resource][]*Resource
	flows    []Flow
	omitted  Diagnostics
	// Filled by the principals and paths passes.
	principals       []*Principal
	principalByRes   map[*Resource]*Principal
	resolvePrincipal func(from *Resource, l PrincipalLink, kind string) []*Principal
	access           *accessGraph
	paths            []*AttackPath
	// launchedBy maps launch templates to the groups launching from them.
	launchedBy map[*Resource][]*Resource
}

// Build links resources into a graph. It takes ownership of rs and fills
// their computed facet fields. The diagnostics concern the input (a
// duplicate address, for one), never the build itself.
func Build(rs []*Resource) (*Graph, Diagnostics) {
	g := &Graph{}
	var diags Diagnostics
	for _, pass := range passes {
		diags = append(diags, pass.run(g, rs)...)
	}
	slices.SortFunc(g.Edges, compareEdges)
	g.Edges = slices.CompactFunc(g.Edges, func(a, b Edge) bool { return compareEdges(a, b) == 0 })
	if cap(g.Edges)-len(g.Edges) > len(g.Edges)/8 {
		// Appending left up to as much room again, and the graph lives
		// as long as the scan.
		g.Edges = slices.Clone(g.Edges)
	}
	for _, p := range g.principals {
		// The passes asked these of every principal; rules ask few.
		p.somewhere = nil
	}
	g.indexLaunches()
	diags.Sort()
	return g, diags
}

// pass is one small transformation of the graph under construction; each
// has a golden test on the dump.
type pass struct {
	name string
	run  func(g *Graph, rs []*Resource) Diagnostics
}

var passes = []pass{
	{"index", indexPass},
	{"references", referencesPass},
	{"imds", imdsPass},
	{"network", networkPass},
	{"iam", iamPass},
	{"org", orgPass},
	{"zones", zonesPass},
	{"identity", identityPass},
	{"flows", flowsPass},
	{"principals", principalsPass},
	{"access", accessPass},
	{"paths", pathsPass},
}

func indexPass(g *Graph, rs []*Resource) Diagnostics {
	var diags Diagnostics
	g.byKey = make(map[string]*Resource, len(rs))
	g.byScope = make(map[string]map[string][]*Resource)
	// The scope string is shared by every resource of a module instance.
	scopes := map[string]string{}
	for _, r := range rs {
		r.key = r.Addr.Key()
		// Parsers sort their own; this covers resources built by hand,
		// before the passes and rules look paths up concurrently.
		r.AttrRanges.Sort()
		sc := r.Addr.Scope()
		if s, ok := scopes[sc]; ok {
			sc = s
		} else {
			scopes[sc] = sc
		}
		r.scope = sc
	}
	slices.SortStableFunc(rs, func(a, b *Resource) int { return cmp.Compare(a.key, b.key) })
	for _, r := range rs {
		k := r.key
		if prev, dup := g.byKey[k]; dup {
			diags = append(diags, Diagnostic{
				Severity: Warning,
				Summary:  "duplicate resource address " + r.Addr.String(),
				Detail:   "also declared at " + prev.Range.String() + "; the first declaration is used",
				Range:    r.Range,
			})
			continue
		}
		g.byKey[k] = r
		g.Resources = append(g.Resources, r)
		scope := g.byScope[r.scope]
		if scope == nil {
			scope = make(map[string][]*Resource)
			g.byScope[r.scope] = scope
		}
		ca := r.Addr.ConfigAddr()
		scope[ca] = append(scope[ca], r)
	}
	return diags
}

func referencesPass(g *Graph, _ []*Resource) Diagnostics {
	// Most references resolve to one resource: sizing the edges for them
	// saves regrowing a slice of a hundred thousand edges.
	n := 0
	for _, r := range g.Resources {
		n += len(r.Refs)
	}
	g.Edges = slices.Grow(g.Edges, n)
	for _, r := range g.Resources {
		for _, ref := range r.Refs {
			for _, t := range g.ResolveRef(r, ref) {
				if t == r {
					continue
				}
				g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: References, Range: ref.Range})
			}
		}
	}
	return nil
}

// Lookup returns the resource with exactly this address, or nil.
func (g *Graph) Lookup(a Address) *Resource { return g.byKey[a.Key()] }

// Resolve finds what a reference from r to target names, in r's scope: all
// instances of a resource when target has no key, one instance when it
// has. A target outside the scanned tree resolves to nothing.
func (g *Graph) Resolve(from *Resource, target string) []*Resource {
	return g.resolveIn(from.scopeKey(), target)
}

// ResolveRef finds what a reference made by from names: in from's own
// scope, or in the module instance a scoped reference names (a value
// passed through module inputs or outputs).
func (g *Graph) ResolveRef(from *Resource, ref Ref) []*Resource {
	if ref.Scoped {
		return g.resolveIn(from.Addr.Stack+"::"+ref.Module, ref.Target)
	}
	return g.resolveIn(from.scopeKey(), ref.Target)
}

// resolveIn finds what target names in the scope with this key.
func (g *Graph) resolveIn(scopeKey, target string) []*Resource {
	scope := g.byScope[scopeKey]
	if scope == nil {
		return nil
	}
	if rs, ok := scope[target]; ok {
		return rs
	}
	i := strings.IndexByte(target, '[')
	if i < 0 {
		return nil
	}
	for _, r := range scope[target[:i]] {
		if r.Addr.InstanceKey == target[i:] {
			return []*Resource{r}
		}
	}
	return nil
}

// Scope returns the resources of the given type declared in from's scope,
// in address order.
func (g *Graph) Scope(from *Resource, typ string) []*Resource {
	var out []*Resource
	for _, rs := range g.byScope[from.scopeKey()] {
		for _, r := range rs {
			if r.Addr.Type == typ {
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(a, b *Resource) int { return cmp.Compare(a.Key(), b.Key()) })
	return out
}

// compareEdges orders edges by (from, kind, to) address keys. Most
// edges of a large tree share their ends with their neighbours (the
// principal graph has one edge per principal and target), so the same
// resource is not compared by its key.
func compareEdges(a, b Edge) int {
	if a.From != b.From {
		if c := cmp.Compare(a.From.Key(), b.From.Key()); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if a.To == b.To {
		return 0
	}
	return cmp.Compare(a.To.Key(), b.To.Key())
}
