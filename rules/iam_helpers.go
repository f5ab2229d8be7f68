package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
)

// stmtName names a statement in messages: its number from 1 and its Sid.
func stmtName(s *iam.Statement) string {
	if s.Sid != "" {
		return fmt.Sprintf("statement %d (%q)", s.Index+1, s.Sid)
	}
	return fmt.Sprintf("statement %d", s.Index+1)
}

// policyPlace says where a policy is written, for messages, and the
// related location of the data source it came from.
func policyPlace(p *graph.Policy) (string, []Related) {
	if p.Via == nil {
		return p.Attr, nil
	}
	return p.Attr + " (from " + p.Via.Addr.String() + ")", []Related{{
		Range: p.Via.Range, Address: p.Via.Addr.String(), Message: "the policy document is rendered here",
	}}
}

// identityPolicies lists the permission policies r carries: a policy
// resource's document and the inline policies of roles and users.
func identityPolicies(r *graph.Resource) []*graph.Policy {
	var out []*graph.Policy
	if ip := r.Facets.IdentityPolicy(); ip != nil && ip.Policy != nil {
		out = append(out, ip.Policy)
	}
	if ro := r.Facets.Role(); ro != nil {
		out = append(out, ro.Inline...)
	}
	if u := r.Facets.User(); u != nil {
		out = append(out, u.Inline...)
	}
	if g := r.Facets.Group(); g != nil {
		out = append(out, g.Inline...)
	}
	return out
}

// quoteList renders values for messages: "a", "b".
func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// quoted quotes each value for a message.
func quoted(vs []string) []string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return q
}

// someOf joins the first n names and counts the rest ("a, b and 3
// more"), so that a message stays readable whatever the list's length.
func someOf(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// conditionKeys renders the keys of conditions for messages.
func conditionKeys(cs []iam.Condition) string {
	ks := make([]string, len(cs))
	for i, c := range cs {
		ks[i] = c.Operator + " " + c.Key
	}
	return strings.Join(ks, ", ")
}

// positiveRestrictions returns the restricting conditions of s that admit
// only what they name. A negated operator (StringNotEquals) admits
// everyone else; Null tests only whether the key is there; an …IfExists
// operator admits every request that lacks the key (anonymous callers,
// services); "*" or 0.0.0.0/0 admit everything.
func positiveRestrictions(s *iam.Statement) []iam.Condition {
	var out []iam.Condition
	for _, c := range s.RestrictingConditions() {
		if c.Negated() || c.Operator == "Null" || strings.HasSuffix(c.Operator, "IfExists") || admitsAll(c) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// admitsAll reports whether a condition's known values all match
// anything: "*" (under a Like operator), or the whole address space.
func admitsAll(c iam.Condition) bool {
	if c.Unknown || len(c.Values) == 0 {
		return false
	}
	like := strings.Contains(c.Operator, "Like")
	for _, v := range c.Values {
		switch {
		case v == "0.0.0.0/0" || v == "::/0":
		case like && strings.Trim(v, "*") == "":
		default:
			return false
		}
	}
	return true
}

// trustActions are the actions by which a principal takes a role.
var trustActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"}

// grantsAssume says whether a trust statement lets its principal take the
// role.
func grantsAssume(s *iam.Statement) iam.Tri {
	out := iam.No
	for _, a := range trustActions[:3] {
		switch s.CoversAction(a) {
		case iam.Yes:
			return iam.Yes
		case iam.Maybe:
			out = iam.Maybe
		}
	}
	return out
}

// roleIsAdmin reports whether the tree gives role r full administrator
// rights: an inline statement, a managed policy it lists, or a policy
// attached to it that allows every action on every resource. attached
// comes from attachedPolicies, built once per run.
func roleIsAdmin(pass *Pass, r *graph.Resource, attached map[*graph.Resource][]*graph.Resource) bool {
	ro := r.Facets.Role()
	if ro == nil {
		return false
	}
	for _, p := range ro.Inline {
		if adminStatement(p) != nil {
			return true
		}
	}
	for _, a := range ro.ManagedARNs {
		if a.State == graph.Set && isAdminARN(a.V) {
			return true
		}
	}
	for _, other := range attached[r] {
		ip := other.Facets.IdentityPolicy()
		if ip.Policy != nil && adminStatement(ip.Policy) != nil {
			return true
		}
		if ip.PolicyARN.State == graph.Set && isAdminARN(ip.PolicyARN.V) {
			return true
		}
		if ip.PolicyRef != nil {
			for _, t := range pass.Graph.Resolve(other, ip.PolicyRef.Target) {
				if t.Facets.IdentityPolicy() != nil && t.Facets.IdentityPolicy().Policy != nil && adminStatement(t.Facets.IdentityPolicy().Policy) != nil {
					return true
				}
			}
		}
	}
	return false
}

// attachedPolicies maps each role to the identity policies and
// attachments whose role links name it (what linksTo accepts), in graph
// order: one pass over the graph instead of one per role asked about.
func attachedPolicies(g *graph.Graph) map[*graph.Resource][]*graph.Resource {
	type stackName struct{ stack, name string }
	byName := map[stackName][]*graph.Resource{}
	for _, r := range g.Resources {
		if ro := r.Facets.Role(); ro != nil && ro.Name.State == graph.Set {
			k := stackName{r.Addr.Stack, ro.Name.V}
			byName[k] = append(byName[k], r)
		}
	}
	out := map[*graph.Resource][]*graph.Resource{}
	for _, other := range g.Resources {
		ip := other.Facets.IdentityPolicy()
		if ip == nil {
			continue
		}
		seen := map[*graph.Resource]bool{}
		add := func(role *graph.Resource) {
			if role.Facets.Role() != nil && !seen[role] {
				seen[role] = true
				out[role] = append(out[role], other)
			}
		}
		for _, l := range ip.Roles {
			if l.Ref != nil {
				for _, t := range g.Resolve(other, l.Ref.Target) {
					add(t)
				}
				continue
			}
			if l.Name.State == graph.Set {
				for _, t := range byName[stackName{other.Addr.Stack, l.Name.V}] {
					add(t)
				}
			}
		}
	}
	return out
}

// statementFunc is called for one statement of a known policy of r, with
// where the policy is written and the related location of the document
// it came from.
type statementFunc func(r *graph.Resource, p *graph.Policy, s *iam.Statement, where string, related []Related)

// eachStatement calls fn for every statement of every known policy that
// policies returns, over the whole graph.
func eachStatement(pass *Pass, policies func(*graph.Resource) []*graph.Policy, fn statementFunc) {
	for _, r := range pass.Graph.Resources {
		for _, p := range policies(r) {
			if !p.Known() {
				continue
			}
			where, related := policyPlace(p)
			for i := range p.Doc.Statements {
				fn(r, p, &p.Doc.Statements[i], where, related)
			}
		}
	}
}

// eachIdentityStatement walks the statements of identity policies.
func eachIdentityStatement(pass *Pass, fn statementFunc) { eachStatement(pass, identityPolicies, fn) }

// eachTrustStatement walks the statements of roles' trust policies.
func eachTrustStatement(pass *Pass, fn statementFunc) { eachStatement(pass, trustPolicy, fn) }

func trustPolicy(r *graph.Resource) []*graph.Policy {
	if ro := r.Facets.Role(); ro != nil && ro.Trust != nil {
		return []*graph.Policy{ro.Trust}
	}
	return nil
}
