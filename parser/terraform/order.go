package terraform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// node is one named thing in a module that others can reference: a local,
// a resource, a data source or a module call. A module's nodes are
// evaluated in dependency order, so that a reference to a resource's
// configured attribute sees its value, as in `terraform plan`.
type node struct {
	key   string // "local.x", "aws_iam_role.r", "data.aws_ami.a", "module.m"
	local *hcl.Attribute
	block *hcl.Block
	deps  []string
	// settled are dependencies on cycle members, evaluated before this
	// node: not for ordering, but still part of its context.
	settled []string
	rng     hcl.Range
}

// traversals returns every variable traversal in a body, nested blocks
// included, whatever the syntax.
func traversals(body hcl.Body) []hcl.Traversal {
	if sb, ok := body.(*hclsyntax.Body); ok {
		var out []hcl.Traversal
		for _, a := range sb.Attributes {
			out = append(out, a.Expr.Variables()...)
		}
		for _, b := range sb.Blocks {
			out = append(out, traversals(b.Body)...)
		}
		return out
	}
	attrs, _ := body.JustAttributes()
	var out []hcl.Traversal
	for _, a := range attrs {
		out = append(out, a.Expr.Variables()...)
	}
	return out
}

// nodeKey names the node a traversal refers to, if it refers to one, and
// the attribute it reads from it ("" when none).
func nodeKey(tr hcl.Traversal) (key, attr string) {
	root := tr.RootName()
	rest := tr[1:]
	step := func(i int) string {
		if i < len(rest) {
			if a, ok := rest[i].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	// attrAfter is the first attribute name after the name steps,
	// skipping one instance index.
	attrAfter := func(i int) string {
		if i < len(rest) {
			if _, ok := rest[i].(hcl.TraverseIndex); ok {
				i++
			}
		}
		return step(i)
	}
	switch root {
	case "var", "each", "count", "path", "terraform", "self", "ephemeral":
		return "", ""
	case "local":
		if n := step(0); n != "" {
			return "local." + n, ""
		}
	case "module":
		if n := step(0); n != "" {
			return "module." + n, attrAfter(1)
		}
	case "data":
		if t, n := step(0), step(1); t != "" && n != "" {
			return "data." + t + "." + n, attrAfter(2)
		}
	default:
		if n := step(0); n != "" {
			return root + "." + n, attrAfter(1)
		}
	}
	return "", ""
}

// nodeGraph is a module's nodes in evaluation order: the same for every
// instance of the module, so worked out once.
type nodeGraph struct {
	nodes          []*node
	read           map[string]map[string]bool
	sorted, cyclic []*node
}

// graph returns the module's nodes, ordered, computing them on first use.
// The result is shared by every instance of the module and must not be
// changed.
func (m *module) graph() *nodeGraph {
	m.graphOnce.Do(func() {
		g := &nodeGraph{}
		g.nodes, g.read = m.nodes()
		g.sorted, g.cyclic = order(g.nodes)
		m.nodeGraph = g
	})
	return m.nodeGraph
}

// nodes lists the module's nodes with their dependencies on each other,
// and for each resource or data source the attributes that other
// expressions read from it.
func (m *module) nodes() ([]*node, map[string]map[string]bool) {
	var out []*node
	for _, a := range m.locals {
		out = append(out, &node{key: "local." + a.Name, local: a, rng: a.Range})
	}
	for _, b := range m.calls {
		out = append(out, &node{key: "module." + b.Labels[0], block: b, rng: b.DefRange})
	}
	for _, b := range m.resources {
		out = append(out, &node{key: b.Labels[0] + "." + b.Labels[1], block: b, rng: b.DefRange})
	}
	for _, b := range m.data {
		out = append(out, &node{key: "data." + b.Labels[0] + "." + b.Labels[1], block: b, rng: b.DefRange})
	}
	known := map[string]bool{}
	for _, n := range out {
		known[n.key] = true
	}
	read := map[string]map[string]bool{}
	note := func(trs []hcl.Traversal, n *node) {
		for _, tr := range trs {
			k, attr := nodeKey(tr)
			if !known[k] {
				continue
			}
			if n != nil && k != n.key && !slices.Contains(n.deps, k) {
				n.deps = append(n.deps, k)
			}
			if attr != "" {
				if read[k] == nil {
					read[k] = map[string]bool{}
				}
				read[k][attr] = true
			}
		}
	}
	for _, n := range out {
		if n.local != nil {
			note(n.local.Expr.Variables(), n)
		} else {
			note(traversals(n.block.Body), n)
		}
		slices.Sort(n.deps)
	}
	for _, b := range m.outputs {
		note(traversals(b.Body), nil)
	}
	// Attributes read through a splat or a computed index
	// (`aws_subnet.s[*].id`, `aws_subnet.s[count.index].id`) do not show
	// in a traversal: find them in the syntax tree.
	for _, f := range m.files {
		sb, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		_ = hclsyntax.VisitAll(sb, func(n hclsyntax.Node) hcl.Diagnostics {
			var src hclsyntax.Expression
			var each hcl.Traversal
			switch x := n.(type) {
			case *hclsyntax.SplatExpr:
				if rt, ok := x.Each.(*hclsyntax.RelativeTraversalExpr); ok {
					src, each = x.Source, rt.Traversal
				}
			case *hclsyntax.RelativeTraversalExpr:
				if ix, ok := x.Source.(*hclsyntax.IndexExpr); ok {
					src, each = ix.Collection, x.Traversal
				}
			}
			st, ok := src.(*hclsyntax.ScopeTraversalExpr)
			if !ok || len(each) == 0 {
				return nil
			}
			attr, ok := each[0].(hcl.TraverseAttr)
			if k, _ := nodeKey(st.Traversal); ok && known[k] {
				if read[k] == nil {
					read[k] = map[string]bool{}
				}
				read[k][attr.Name] = true
			}
			return nil
		})
	}
	return out, read
}

// order sorts nodes so that each comes after what it depends on, and
// otherwise in the order given, so output is deterministic and follows
// the source. Nodes in a cycle, or depending on one, come back apart.
func order(nodes []*node) (sorted, cyclic []*node) {
	// Find what can never be ready: the cycles and what hangs on them.
	// A dependency outside nodes is already evaluated.
	ready := map[string]bool{}
	listed := map[string]bool{}
	for _, n := range nodes {
		listed[n.key] = true
	}
	pending := nodes
	for {
		var next []*node
		for _, n := range pending {
			ok := true
			for _, d := range n.deps {
				ok = ok && (ready[d] || !listed[d])
			}
			if ok {
				ready[n.key] = true
			} else {
				next = append(next, n)
			}
		}
		if len(next) == len(pending) {
			cyclic = next
			break
		}
		pending = next
	}
	byKey := map[string]*node{}
	for _, n := range nodes {
		byKey[n.key] = n
	}
	done := map[string]bool{}
	var visit func(n *node)
	visit = func(n *node) {
		if done[n.key] || !ready[n.key] {
			return
		}
		done[n.key] = true
		for _, d := range n.deps {
			if dep, ok := byKey[d]; ok {
				visit(dep)
			}
		}
		sorted = append(sorted, n)
	}
	for _, n := range nodes {
		visit(n)
	}
	return sorted, cyclic
}

// splitCycles separates the nodes that lie on a cycle from those that
// only depend on one; the latter come back with their dependencies on
// cycle members dropped, so they can be ordered among themselves.
func splitCycles(cyclic []*node) (members, downstream []*node) {
	byKey := map[string]*node{}
	for _, n := range cyclic {
		byKey[n.key] = n
	}
	reaches := func(from, to string) bool {
		seen := map[string]bool{}
		stack := []string{from}
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n := byKey[k]
			if n == nil {
				continue
			}
			for _, d := range n.deps {
				if d == to {
					return true
				}
				if !seen[d] {
					seen[d] = true
					stack = append(stack, d)
				}
			}
		}
		return false
	}
	inCycle := map[string]bool{}
	for _, n := range cyclic {
		if reaches(n.key, n.key) {
			inCycle[n.key] = true
			members = append(members, n)
		}
	}
	for _, n := range cyclic {
		if inCycle[n.key] {
			continue
		}
		c := *n
		c.deps = slices.DeleteFunc(slices.Clone(n.deps), func(d string) bool { return inCycle[d] })
		for _, d := range n.deps {
			if inCycle[d] {
				c.settled = append(c.settled, d)
			}
		}
		downstream = append(downstream, &c)
	}
	return members, downstream
}

// cycleDetail names the nodes of a cycle for a diagnostic.
func cycleDetail(cyclic []*node) string {
	keys := make([]string, len(cyclic))
	for i, n := range cyclic {
		keys[i] = n.key
	}
	return fmt.Sprintf("these depend on each other: %s", strings.Join(keys, ", "))
}
