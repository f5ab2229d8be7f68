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
	// Target is the administrator-equivalent principal reached.
	Target *Principal
	Steps  []PathStep
}

// AttackPaths returns the attack paths, ranked: shortest first, then by
// target and start.
func (g *Graph) AttackPaths() []*AttackPath { return g.paths }

// pathsPass finds paths from entry points to administrator-equivalent
// principals.
func pathsPass(g *Graph, _ []*Resource) Diagnostics {
	var paths []*AttackPath
	known := map[string]bool{}
	for _, p := range g.principals {
		if p.Account != "" {
			known[p.Account] = true
		}
	}
	// Internet-exposed instances whose role credentials IMDSv1 hands out.
	for _, r := range g.Resources {
		n := r.Facets.InstanceNetwork
		if n == nil || n.Profile == nil || !n.Public().Is(true) {
			continue
		}
		m := r.Facets.IMDS
		if m == nil || m.Effective.Status != IMDSv1Reachable {
			continue
		}
		rule, sg := exposedIngress(n)
		if sg == nil {
			continue
		}
		for _, prof := range g.InstanceProfiles(r) {
			for _, l := range prof.Facets.InstanceProfile.Roles {
				for _, role := range g.resolvePrincipal(prof, l, PrincipalRole) {
					hops, target := g.pathToAdmin(role)
					if target == nil {
						continue
					}
					steps := []PathStep{
						{Resource: rule.Declared, Range: rule.Range, Technique: "T1190",
							Description: fmt.Sprintf("the internet reaches %s through %s (%s)", r.Addr, sg.Addr, strings.Join(worldCIDRs(rule), ", "))},
						{Resource: r, Range: m.Effective.Range, Technique: "T1552.005",
							Description: fmt.Sprintf("%s answers IMDSv1 without a session token (%s): a forged request (SSRF) reads its role credentials", r.Addr, m.Effective.Reason)},
						{Resource: prof, Range: l.Range, Technique: "T1552.005",
							Description: fmt.Sprintf("instance profile %s hands the instance the credentials of %s", prof.Addr, role.Resource.Addr)},
					}
					steps = append(steps, g.hopSteps(role, hops, target)...)
					paths = append(paths, &AttackPath{Entry: EntryInternet, Start: r, Target: target, Steps: steps})
				}
			}
		}
	}
	// Users with access keys that can become administrators.
	for _, u := range g.principals {
		if u.Kind != PrincipalUser || len(u.Keys) == 0 || g.access.adminDirect[u] || !g.access.admin[u] {
			continue
		}
		hops, target := g.pathToAdmin(u)
		if target == nil {
			continue
		}
		key := u.Keys[0]
		steps := []PathStep{{Resource: key, Range: key.Range, Technique: "T1078.004",
			Description: fmt.Sprintf("a leaked access key of %s (%s) acts as the user", u.Resource.Addr, key.Addr)}}
		steps = append(steps, g.hopSteps(u, hops, target)...)
		paths = append(paths, &AttackPath{Entry: EntryAccessKey, Start: u.Resource, Target: target, Steps: steps})
	}
	// Roles that outsiders may assume: other accounts, OIDC identities
	// without a subject restriction.
	for _, r := range g.principals {
		if r.Kind != PrincipalRole || !g.access.admin[r] {
			continue
		}
		trust := r.Resource.Facets.Role.Trust
		if !trust.Known() {
			continue
		}
		for i := range trust.Doc.Statements {
			s := &trust.Doc.Statements[i]
			entry, who := outsider(s, r, known)
			if entry == "" {
				continue
			}
			hops, target := g.pathToAdmin(r)
			if target == nil {
				continue
			}
			steps := []PathStep{{Resource: r.Resource, Range: trust.Range, Technique: "T1199",
				Description: fmt.Sprintf("%s of the trust policy of %s lets %s assume it", stmtLabel(s), r.Resource.Addr, who)}}
			steps = append(steps, g.hopSteps(r, hops, target)...)
			paths = append(paths, &AttackPath{Entry: entry, Start: r.Resource, Target: target, Steps: steps})
			break
		}
	}
	slices.SortStableFunc(paths, func(a, b *AttackPath) int {
		if c := cmp.Compare(len(a.Steps), len(b.Steps)); c != 0 {
			return c
		}
		if c := comparePrincipals(a.Target, b.Target); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Start.Addr.Key(), b.Start.Addr.Key()); c != 0 {
			return c
		}
		return cmp.Compare(a.Entry, b.Entry)
	})
	per := map[*Principal]int{}
	for _, p := range paths {
		if per[p.Target] >= MaxPathsPerTarget {
			continue
		}
		per[p.Target]++
		g.paths = append(g.paths, p)
	}
	return nil
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
		for _, in := range g.Facets.SecurityGroup.Ingress {
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
			out = append(out, PathStep{Resource: h.To.Resource, Range: h.To.Resource.Facets.Role.Trust.Range, Technique: "T1548.005",
				Description: fmt.Sprintf("%s assumes %s: %s of its trust policy admits it%s", h.From.Resource.Addr, h.To.Resource.Addr, stmtLabel(h.Trust), evidenceText(h.Evidence))})
		case HopTechnique:
			st := PathStep{Resource: h.From.Resource, Range: h.From.Resource.Range, Technique: h.Technique.ATTACK[0],
				Description: fmt.Sprintf("%s can %s (%s)%s, and so acts as %s", h.From.Resource.Addr, h.Technique.Name, h.Technique.ID, evidenceText(h.Evidence), h.To.Resource.Addr)}
			if len(h.Evidence) > 0 {
				st.Resource, st.Range = h.Evidence[0].Grant.From, h.Evidence[0].Grant.Range
			}
			if h.Via != nil {
				st.Description += " through " + h.Via.Addr.String()
			}
			out = append(out, st)
		}
	}
	// The last step: why the target is an administrator.
	last := PathStep{Resource: target.Resource, Range: target.Resource.Range, Technique: "T1078.004"}
	if g.access.adminDirect[target] {
		v := g.Can(target, adminProbes[0], "*", nil, nil)
		last.Description = fmt.Sprintf("%s has administrator permissions%s", target.Resource.Addr, evidenceText(v.Allows))
		if len(v.Allows) > 0 {
			last.Resource, last.Range = v.Allows[0].Grant.From, v.Allows[0].Grant.Range
		}
	} else {
		for _, e := range g.access.escalations[target] {
			if e.Admin {
				last.Technique = e.Technique.ATTACK[0]
				last.Description = fmt.Sprintf("%s can %s on itself (%s)%s: any permission", target.Resource.Addr, e.Technique.Name, e.Technique.ID, evidenceText(e.Evidence))
				if len(e.Evidence) > 0 {
					last.Resource, last.Range = e.Evidence[0].Grant.From, e.Evidence[0].Grant.Range
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
		fmt.Fprintf(b, "  attack-path from %s to %s\n", ap.Entry, ap.Target.Resource.Addr)
		for _, s := range ap.Steps {
			fmt.Fprintf(b, "    %s %s %s: %s\n", s.Technique, s.Resource.Addr, s.Range, s.Description)
		}
	}
}
