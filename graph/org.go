package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// AttachedTo: a service control policy is attached to an organization
// node.
const AttachedTo EdgeKind = "attached-to"

// orgPass links organization nodes to their parents and SCPs to where
// they are attached, and fills every node's path from the root with the
// SCPs at each level. It runs after the IAM pass, so policy documents
// taken from data sources are already read.
func orgPass(g *Graph, _ []*Resource) Diagnostics {
	var nodes []*Resource
	byID := map[string]*Resource{}
	var roots []*Resource
	for _, r := range g.Resources {
		n := r.Facets.OrgNode()
		if n == nil {
			continue
		}
		nodes = append(nodes, r)
		if n.ID.State == Set && n.ID.V != "" {
			byID[n.ID.V] = r
		}
		if n.Kind == OrgRoot {
			roots = append(roots, r)
		}
	}
	// levelKey names a level: a node in the graph or a literal root ID.
	type attach struct {
		scps       []*Resource
		full       bool
		unresolved int
	}
	at := map[string]*attach{}
	get := func(k string) *attach {
		if at[k] == nil {
			at[k] = &attach{}
		}
		return at[k]
	}
	// target resolves where an attachment points: a level key, or "".
	target := func(from *Resource, l OrgLink) (string, *Resource) {
		if l.Ref != nil {
			for _, t := range g.ResolveRef(from, *l.Ref) {
				if t.Facets.OrgNode() != nil {
					return "res:" + t.Key(), t
				}
			}
			return "", nil
		}
		if l.ID.State != Set {
			return "", nil
		}
		if t := byID[l.ID.V]; t != nil {
			return "res:" + t.Key(), t
		}
		if strings.HasPrefix(l.ID.V, "r-") || iam.AccountOf(l.ID.V) == l.ID.V {
			return "id:" + l.ID.V, nil
		}
		return "", nil
	}
	// floating are SCPs attached to a target that cannot be told: an
	// unknown ID, or a reference to something outside the scanned tree.
	// Any node may be the target, so their denies make a verdict
	// uncertain rather than being ignored.
	var floating []*Resource
	attachPolicy := func(from, scp *Resource, policy OrgLink, to OrgLink) {
		k, node := target(from, to)
		if k == "" {
			if scp != nil && (to.Ref != nil || to.ID.State == Unknown) {
				floating = append(floating, scp)
			}
			return
		}
		a := get(k)
		switch {
		case scp != nil:
			a.scps = append(a.scps, scp)
			if node != nil {
				g.Edges = append(g.Edges, Edge{From: scp, To: node, Kind: AttachedTo, Range: to.Range})
			}
		case policy.ID.Is(FullAWSAccessID):
			a.full = true
		default:
			a.unresolved++
		}
	}
	for _, r := range g.Resources {
		if s := r.Facets.SCP(); s != nil {
			for _, t := range s.Targets {
				attachPolicy(r, r, OrgLink{}, t)
			}
		}
		if a := r.Facets.SCPAttachment(); a != nil {
			var scp *Resource
			if a.Policy.Ref != nil {
				for _, t := range g.ResolveRef(r, *a.Policy.Ref) {
					if t.Facets.SCP() != nil {
						scp = t
					}
				}
			}
			attachPolicy(r, scp, a.Policy, a.Target)
		}
	}
	level := func(k string, node *Resource, id string) OrgLevel {
		l := OrgLevel{Node: node, ID: id, FullAWSAccess: true}
		if a := at[k]; a != nil {
			l.SCPs = slices.Clone(a.scps)
			slices.SortFunc(l.SCPs, func(x, y *Resource) int { return cmp.Compare(x.Key(), y.Key()) })
			l.SCPs = slices.Compact(l.SCPs)
			l.Unresolved = a.unresolved
			// FullAWSAccess stays attached unless the code replaces it
			// with an allow list: an attached SCP that allows something.
			if !a.full && slices.ContainsFunc(l.SCPs, allowList) {
				l.FullAWSAccess = false
			}
		}
		return l
	}

	for _, r := range nodes {
		n := r.Facets.OrgNode()
		var rev []OrgLevel
		seen := map[*Resource]bool{}
		cur := r
		n.PathComplete = true
		for cur != nil {
			if seen[cur] {
				n.PathComplete, n.Gap = false, "the parents of "+r.Addr.String()+" form a cycle"
				break
			}
			seen[cur] = true
			rev = append(rev, level("res:"+cur.Key(), cur, ""))
			cn := cur.Facets.OrgNode()
			if cn.Kind == OrgRoot {
				break
			}
			next, rootID, gap := parentOf(g, cur, cn, byID, roots)
			switch {
			case next != nil:
				cur = next
			case rootID != "":
				rev = append(rev, level("id:"+rootID, nil, rootID))
				cur = nil
			default:
				n.PathComplete, n.Gap = false, gap
				cur = nil
			}
		}
		slices.Reverse(rev)
		n.Levels = rev
		n.Floating = floating
	}

	// Accounts whose IDs the code states, and the SCP that enforces
	// IMDSv2 in each: along the path of a declared account, or attached
	// directly to an account the code knows only by its ID.
	g.imdsv2SCP = map[string]*Resource{}
	for _, r := range nodes {
		n := r.Facets.OrgNode()
		if n.Kind == OrgAccount && n.ID.State == Set {
			if scp := n.IMDSv2Enforced(); scp != nil {
				g.imdsv2SCP[n.ID.V] = scp
			}
		}
	}
	for k, a := range at {
		id, ok := strings.CutPrefix(k, "id:")
		if !ok || iam.AccountOf(id) != id || g.imdsv2SCP[id] != nil {
			continue
		}
		if scp := imdsv2SCP(a.scps); scp != nil {
			g.imdsv2SCP[id] = scp
		}
	}
	return nil
}

// IMDSv2SCP returns the SCP that denies launching instances without
// IMDSv2 tokens in the account with this ID, when the scanned code
// attaches one along the account's path; nil when none does or the
// account is not one the code states.
func (g *Graph) IMDSv2SCP(account string) *Resource { return g.imdsv2SCP[account] }

// parentOf finds the parent of node r: a node in the graph, or the
// literal ID of a root the graph does not hold, or says why neither.
func parentOf(g *Graph, r *Resource, n *OrgNode, byID map[string]*Resource, roots []*Resource) (*Resource, string, string) {
	switch {
	case n.Parent != nil:
		for _, t := range g.ResolveRef(r, *n.Parent) {
			if t.Facets.OrgNode() != nil {
				return t, "", ""
			}
		}
		return nil, "", fmt.Sprintf("the parent of %s (%s) is not an organization, OU or account in the scanned code", r.Addr, n.Parent.Target)
	case n.ParentID.State == Set && n.ParentID.V != "":
		if t := byID[n.ParentID.V]; t != nil {
			return t, "", ""
		}
		if strings.HasPrefix(n.ParentID.V, "r-") {
			return nil, n.ParentID.V, ""
		}
		return nil, "", fmt.Sprintf("the parent of %s, %s, is not declared in the scanned code", r.Addr, n.ParentID.V)
	case n.ParentID.State == Unknown:
		return nil, "", fmt.Sprintf("the parent of %s cannot be known statically", r.Addr)
	}
	// No parent written: an account is created under the root.
	if len(roots) == 1 {
		return roots[0], "", ""
	}
	return nil, "", fmt.Sprintf("%s names no parent and the scanned code does not define one organization", r.Addr)
}

// allowList reports whether an SCP allows something: attached in place of
// FullAWSAccess, it is the only source of allows at its level.
func allowList(scp *Resource) bool {
	p := scp.Facets.SCP().Policy
	if !p.Known() {
		return false
	}
	for i := range p.Doc.Statements {
		if p.Doc.Statements[i].Allows() {
			return true
		}
	}
	return false
}

// GuardStatus is how the SCPs on a node's path treat one action.
type GuardStatus uint8

const (
	// GuardOpen: nothing on the path denies the action.
	GuardOpen GuardStatus = iota
	// GuardDenied: an unconditional Deny, or a level where no SCP allows
	// it.
	GuardDenied
	// GuardPartial: only Deny statements with conditions cover it.
	GuardPartial
	// GuardUndetermined: a policy, an attachment or a parent that decides
	// it is unknown.
	GuardUndetermined
)

func (s GuardStatus) String() string {
	switch s {
	case GuardDenied:
		return "denied"
	case GuardPartial:
		return "partial"
	case GuardUndetermined:
		return "undetermined"
	}
	return "open"
}

// GuardDeny is one Deny statement on a node's path that covers an action.
type GuardDeny struct {
	SCP       *Resource
	Level     string
	Statement *iam.Statement
}

// Guard is the effective SCP answer for one action at one node.
type Guard struct {
	Action string
	Status GuardStatus
	// Deny is the unconditional deny, when Status is GuardDenied by one.
	Deny *GuardDeny
	// NotAllowedAt names the level where no SCP allows the action, when
	// Status is GuardDenied for that reason.
	NotAllowedAt string
	// Conditional are the Deny statements with conditions (or limited to
	// some resources) that cover the action.
	Conditional []GuardDeny
	// Uncertain says what could not be known, even when Status is
	// GuardPartial or GuardOpen would otherwise hold.
	Uncertain string
}

// Evaluate computes the effective SCP answer for action at this node, as
// AWS evaluates SCPs: a Deny attached at any level applies; an action is
// allowed only when some SCP allows it at every level of the path.
func (n *OrgNode) Evaluate(action string) Guard {
	gd := Guard{Action: action}
	uncertain := func(why string) {
		if gd.Uncertain == "" {
			gd.Uncertain = why
		}
	}
	if !n.PathComplete {
		uncertain(n.Gap)
	}
	for _, l := range n.Levels {
		allowed := l.FullAWSAccess
		if l.Unresolved > 0 {
			uncertain(fmt.Sprintf("a policy attached to %s cannot be identified: it is outside the scanned code or known only after apply", l.Name()))
		}
		for _, scp := range l.SCPs {
			p := scp.Facets.SCP().Policy
			if !p.Known() {
				uncertain(fmt.Sprintf("the content of %s cannot be read", scp.Addr))
				continue
			}
			if p.Doc.Unknown {
				uncertain(fmt.Sprintf("part of the content of %s is unknown", scp.Addr))
			}
			for i := range p.Doc.Statements {
				s := &p.Doc.Statements[i]
				covers := s.CoversAction(action)
				if covers == iam.Maybe || (covers == iam.Yes && s.EffectUnknown) {
					uncertain(fmt.Sprintf("statement %d of %s has unknown parts", s.Index+1, scp.Addr))
					continue
				}
				if covers != iam.Yes {
					continue
				}
				switch {
				case s.Allows():
					allowed = true
				case s.Effect == "Deny":
					d := GuardDeny{SCP: scp, Level: l.Name(), Statement: s}
					if len(s.Conditions) == 0 && !s.ConditionUnknown && s.AllResources() == iam.Yes {
						if gd.Deny == nil {
							gd.Deny = &d
						}
					} else {
						gd.Conditional = append(gd.Conditional, d)
					}
				}
			}
		}
		if !allowed && gd.NotAllowedAt == "" {
			if l.Unresolved > 0 {
				continue
			}
			gd.NotAllowedAt = l.Name()
		}
	}
	if gd.Deny == nil && gd.NotAllowedAt == "" {
		for _, scp := range n.Floating {
			if p := scp.Facets.SCP().Policy; !p.Known() || deniesMaybe(p.Doc, action) {
				uncertain(fmt.Sprintf("%s is attached to a target that cannot be known and may deny it", scp.Addr))
				break
			}
		}
	}
	switch {
	case gd.Deny != nil || gd.NotAllowedAt != "":
		gd.Status = GuardDenied
	case len(gd.Conditional) > 0:
		gd.Status = GuardPartial
	case gd.Uncertain != "":
		gd.Status = GuardUndetermined
	}
	return gd
}

// deniesMaybe reports whether some Deny statement of d may cover action.
func deniesMaybe(d *iam.Document, action string) bool {
	if d.Unknown {
		return true
	}
	for i := range d.Statements {
		s := &d.Statements[i]
		if (s.Effect == "Deny" || s.EffectUnknown) && s.CoversAction(action) != iam.No {
			return true
		}
	}
	return false
}

// Path names the levels from the root down, joined by " > ", with "…"
// first when the path has a gap above.
func (n *OrgNode) Path() string {
	var parts []string
	if !n.PathComplete {
		parts = append(parts, "…")
	}
	for _, l := range n.Levels {
		parts = append(parts, l.Name())
	}
	return strings.Join(parts, " > ")
}

// IMDSv2Enforced returns the SCP on the node's path that denies launching
// instances unless they require IMDSv2 tokens (Deny ec2:RunInstances with
// StringNotEquals ec2:MetadataHttpTokens "required"), or nil.
func (n *OrgNode) IMDSv2Enforced() *Resource {
	for _, l := range n.Levels {
		if scp := imdsv2SCP(l.SCPs); scp != nil {
			return scp
		}
	}
	return nil
}

// imdsv2SCP returns the first of scps that denies ec2:RunInstances unless
// ec2:MetadataHttpTokens is "required".
func imdsv2SCP(scps []*Resource) *Resource {
	for _, scp := range scps {
		p := scp.Facets.SCP().Policy
		if !p.Known() {
			continue
		}
		for i := range p.Doc.Statements {
			s := &p.Doc.Statements[i]
			if s.Effect != "Deny" || s.CoversAction("ec2:RunInstances") != iam.Yes {
				continue
			}
			for _, c := range s.Condition("ec2:MetadataHttpTokens") {
				if strings.HasPrefix(c.Operator, "StringNotEquals") && slices.Contains(c.Values, "required") {
					return scp
				}
			}
		}
	}
	return nil
}

func dumpOrg(b *strings.Builder, r *Resource) {
	if n := r.Facets.OrgNode(); n != nil {
		fmt.Fprintf(b, "  org %s path=%s complete=%v", n.Kind, n.Path(), n.PathComplete)
		for _, l := range n.Levels {
			var scps []string
			for _, s := range l.SCPs {
				scps = append(scps, s.Addr.String())
			}
			fmt.Fprintf(b, " [%s scps=%s full=%v", l.Name(), strings.Join(scps, ","), l.FullAWSAccess)
			if l.Unresolved > 0 {
				fmt.Fprintf(b, " unresolved=%d", l.Unresolved)
			}
			b.WriteByte(']')
		}
		if n.Gap != "" {
			fmt.Fprintf(b, " gap=%q", n.Gap)
		}
		b.WriteByte('\n')
	}
	if s := r.Facets.SCP(); s != nil && s.Policy != nil {
		fmt.Fprintf(b, "  scp content=%s", s.Policy.State)
		if s.Policy.Doc != nil {
			fmt.Fprintf(b, " statements=%d", len(s.Policy.Doc.Statements))
		}
		b.WriteByte('\n')
	}
}
