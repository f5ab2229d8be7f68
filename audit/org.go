package audit

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// Node is a place in the organization tree: the root, an OU or an
// account.
type Node struct {
	// Kind is graph.OrgRoot, graph.OrgUnit or graph.OrgAccount.
	Kind string
	Name string
	// Address is the resource that creates it; empty for a root known
	// only by its ID.
	Address string
	ID      string
	// Account is the account key of an account node, and the management
	// account's on the root that the code creates.
	Account string
	// SCPs are the addresses of the policies attached here.
	SCPs     []string
	Children []*Node

	res *graph.Resource
}

// Walk visits the tree depth first, parents before children.
func (n *Node) Walk(f func(n *Node, depth int)) {
	var walk func(*Node, int)
	walk = func(x *Node, d int) {
		f(x, d)
		for _, c := range x.Children {
			walk(c, d+1)
		}
	}
	if n != nil {
		walk(n, 0)
	}
}

// tree builds the organization tree from the paths the org pass
// computed. Nodes whose path has a gap hang under a placeholder that says
// so.
func (b *builder) tree() {
	nodes := map[string]*Node{}
	var roots []*Node
	key := func(l graph.OrgLevel) string {
		if l.Node != nil {
			return "res:" + l.Node.Key()
		}
		return "id:" + l.ID
	}
	var orphans *Node
	for _, r := range b.g.Resources {
		n := r.Facets.OrgNode()
		if n == nil || r.Addr.Mode != graph.Managed {
			continue
		}
		var parent *Node
		if !n.PathComplete {
			if orphans == nil {
				orphans = &Node{Kind: graph.OrgUnit, Name: "(parent not in the scanned code)"}
			}
			parent = orphans
		}
		for _, l := range n.Levels {
			k := key(l)
			x := nodes[k]
			if x == nil {
				x = &Node{ID: l.ID, Name: l.ID}
				if l.Node != nil {
					ln := l.Node.Facets.OrgNode()
					x.Kind, x.Address, x.res = ln.Kind, l.Node.Addr.String(), l.Node
					x.Name = nameOf(l.Node)
					if ln.Kind == graph.OrgRoot {
						x.Name = "Root"
						if l.Node == b.mgmt.Org {
							// The root is where the management account
							// stands, outside every SCP.
							x.Account = b.mgmtKey
						}
					}
					if x.Name == "" {
						x.Name = l.Node.Addr.String()
					}
					if ln.ID.State == graph.Set {
						x.ID = ln.ID.V
					}
					if ln.Kind == graph.OrgAccount {
						x.Account = b.accountKeyOfNode(l.Node)
					}
				} else {
					x.Kind, x.Name = graph.OrgRoot, "Root ("+l.ID+")"
				}
				for _, s := range l.SCPs {
					x.SCPs = append(x.SCPs, s.Addr.String())
				}
				nodes[k] = x
				if parent == nil {
					roots = append(roots, x)
				} else {
					parent.Children = append(parent.Children, x)
				}
			}
			parent = x
		}
	}
	if orphans != nil {
		roots = append(roots, orphans)
	}
	// Accounts requested from Account Factory hang under their OU, whose
	// SCPs they inherit: the request attaches none of its own.
	for _, req := range b.rep.Requests {
		if slices.ContainsFunc(slices.Collect(maps.Values(nodes)), func(x *Node) bool { return x.Account == req.Account }) {
			continue // the code also creates the account: it is in the tree already
		}
		for _, x := range nodes {
			if x.Kind != graph.OrgUnit || req.OU == "" || (x.Name != req.OU && !strings.HasPrefix(req.OU, x.Name+" (")) {
				continue
			}
			x.Children = append(x.Children, &Node{Kind: graph.OrgAccount, Name: req.Name, Address: req.Address,
				Account: req.Account, res: x.res})
			break
		}
	}
	var sortTree func(*Node)
	sortTree = func(n *Node) {
		slices.SortFunc(n.Children, compareNodes)
		for _, c := range n.Children {
			sortTree(c)
		}
	}
	switch len(roots) {
	case 0:
		return
	case 1:
		b.rep.Tree = roots[0]
	default:
		b.rep.Tree = &Node{Kind: graph.OrgRoot, Name: "(several roots)", Children: roots}
	}
	sortTree(b.rep.Tree)
}

// compareNodes puts OUs before accounts, then orders by name.
func compareNodes(x, y *Node) int {
	rank := func(n *Node) int {
		if n.Kind == graph.OrgAccount {
			return 1
		}
		return 0
	}
	return cmp.Or(cmp.Compare(rank(x), rank(y)), cmp.Compare(x.Name, y.Name), cmp.Compare(x.Address, y.Address))
}

func (b *builder) accountKeyOfNode(r *graph.Resource) string {
	for _, a := range b.rep.Accounts {
		if a.Address == r.Addr.String() {
			return a.Key
		}
	}
	return ""
}

// Guardrail is one control's status at one OU or account.
type Guardrail struct {
	Target     string
	TargetType string // "ou" or "account"
	// Address is the resource that creates the target.
	Address string
	Control string
	Actions []string
	Status  rules.ControlStatus
	// Via are the addresses of the SCPs that deny the control's actions.
	Via []string
	// Why says what could not be known when Status is undetermined.
	Why string
}

// guardrails computes the matrix for every OU and account in the tree, in
// tree order.
func (b *builder) guardrails() {
	controls := rules.Controls()
	b.rep.Tree.Walk(func(n *Node, _ int) {
		if n.res == nil || (n.Kind != graph.OrgUnit && n.Kind != graph.OrgAccount) {
			return
		}
		on := n.res.Facets.OrgNode()
		for _, c := range controls {
			res := c.Evaluate(on)
			g := Guardrail{Target: n.Name, TargetType: n.Kind, Address: n.Address, Control: c.ID,
				Actions: c.Actions, Status: res.Status, Why: res.Why, Via: []string{}}
			for _, v := range res.Via {
				g.Via = append(g.Via, v.Addr.String())
			}
			b.rep.Guardrails = append(b.rep.Guardrails, g)
		}
	})
}
