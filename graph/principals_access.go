package graph

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// Escalation is one privilege-escalation technique a principal can
// perform, with the statements that allow it and what it reaches.
type Escalation struct {
	Technique *iam.Technique
	// Evidence are the allowing statements, for each required action.
	Evidence []Evidence
	// Targets are the resources in the tree it acts on.
	Targets []EscalationTarget
	// Wild are the resource patterns that reach resources the tree does
	// not show (a wildcard, ARNs outside the tree); empty when every
	// target is in the tree.
	Wild []string
	// Admin: the technique grants the principal any permission: it
	// rewrites its own policies, its group's, or those of a role it can
	// assume. (Reaching an administrator is told by the targets'
	// Becomes, see Graph.AdminEquivalent.)
	Admin bool
}

// EscalationTarget is one resource an escalation acts on.
type EscalationTarget struct {
	Resource *Resource
	// Becomes is the principal whose permissions the technique yields:
	// the passed role, the role of the instance or function, the user
	// whose credentials are created. Nil when it yields none directly.
	Becomes *Principal
	// Self: the target is the principal itself, or its group or policy.
	Self bool
}

// HopKind says how one principal becomes another.
type HopKind string

// Kinds of hop.
const (
	HopAssume    HopKind = "assume-role"
	HopTechnique HopKind = "technique"
)

// Hop is an edge of the principal graph: From can act as To.
type Hop struct {
	From, To *Principal
	Kind     HopKind
	// Technique is the escalation technique for technique hops.
	Technique *iam.Technique
	// Via is the resource the technique goes through (the instance, the
	// function), else nil.
	Via *Resource
	// Evidence are the identity statements that allow the hop; Trust is
	// the statement of the target role's trust policy that admits From.
	Evidence []Evidence
	Trust    *iam.Statement
}

// Edge kinds of the principal graph.
const (
	// CanAssume: a principal can assume a role (its trust admits the
	// principal and the principal's policy allows it).
	CanAssume EdgeKind = "can-assume"
	// CanEscalate: a principal can act as another through an escalation
	// technique (passing the role, running code where it runs, creating
	// its credentials).
	CanEscalate EdgeKind = "can-escalate-to"
)

// accessGraph is the principal graph: who can become whom.
type accessGraph struct {
	escalations map[*Principal][]*Escalation
	out         map[*Principal][]*Hop
	adminDirect map[*Principal]bool
	// admin is true for principals that are administrators or can
	// become one.
	admin map[*Principal]bool
}

// Escalations returns the techniques p can perform, in technique order.
func (g *Graph) Escalations(p *Principal) []*Escalation { return g.access.escalations[p] }

// Hops returns the edges out of p in the principal graph, in target
// order.
func (g *Graph) Hops(p *Principal) []*Hop { return g.access.out[p] }

// AdminDirect reports whether p's own permissions are an administrator's.
func (g *Graph) AdminDirect(p *Principal) bool { return g.access.adminDirect[p] }

// AdminEquivalent reports whether p is an administrator or can become one
// through assume-role and escalation edges.
func (g *Graph) AdminEquivalent(p *Principal) bool { return g.access.admin[p] }

// adminProbes are actions across services that only an administrator
// has all of, on every resource.
var adminProbes = []string{
	"iam:PutRolePolicy", "iam:AttachUserPolicy", "iam:CreateAccessKey", "iam:PassRole",
	"sts:AssumeRole", "s3:GetObject", "s3:PutBucketPolicy", "ec2:RunInstances",
	"kms:Decrypt", "lambda:UpdateFunctionCode", "cloudtrail:StopLogging", "secretsmanager:GetSecretValue",
}

// accessPass computes each principal's escalations, the can-become edges
// and administrator equivalence.
func accessPass(g *Graph, _ []*Resource) Diagnostics {
	a := &accessGraph{
		escalations: map[*Principal][]*Escalation{},
		out:         map[*Principal][]*Hop{},
		adminDirect: map[*Principal]bool{},
		admin:       map[*Principal]bool{},
	}
	g.access = a
	var actors, users, roles, groups []*Principal
	for _, p := range g.principals {
		switch p.Kind {
		case PrincipalUser:
			users = append(users, p)
			actors = append(actors, p)
		case PrincipalRole:
			roles = append(roles, p)
			actors = append(actors, p)
		case PrincipalGroup:
			groups = append(groups, p)
		}
	}
	for _, p := range append(slices.Clone(actors), groups...) {
		admin := true
		for _, act := range adminProbes {
			if g.Can(p, act, "*", nil, nil).Decision != iam.Allow {
				admin = false
				break
			}
		}
		a.adminDirect[p] = admin
		// A group is an administrator's group when its own policies are;
		// joining it (PE-09) makes a user one.
		a.admin[p] = admin
	}

	// Assume-role edges.
	assumers := map[*Principal]bool{}
	for _, p := range actors {
		assumers[p] = g.AllowedSomewhere(p, "sts:AssumeRole")
	}
	cands := newTrustCandidates(g, actors, assumers)
	for _, r := range roles {
		trust := r.Resource.Facets.Role().Trust
		if !trust.Known() {
			continue
		}
		for _, p := range cands.of(g, r, trust) {
			if p == r {
				continue
			}
			st, explicit := g.trustAdmits(r, trust, p)
			if st == nil {
				continue
			}
			h := &Hop{From: p, To: r, Kind: HopAssume, Trust: st}
			if explicit && sameAccount(p, r) {
				// A same-account trust that names the caller grants
				// without its identity policy; an explicit deny there,
				// or an SCP, still stops it.
				if !g.assumeNotDenied(p, r) {
					continue
				}
			} else {
				if !assumers[p] {
					continue
				}
				v := g.Can(p, "sts:AssumeRole", r.ARN, r.Resource, nil)
				if v.Decision != iam.Allow {
					continue
				}
				h.Evidence = v.Allows
			}
			a.out[p] = append(a.out[p], h)
		}
	}

	// Instances and functions that run with a role.
	var instances, functions []runner
	for _, r := range g.Resources {
		if n := r.Facets.InstanceNetwork(); n != nil && n.Profile != nil {
			for _, role := range g.InstanceRoles(r) {
				instances = append(instances, runner{r, role, "arn:aws:ec2::" + accountOf(r) + ":instance/" + unknownName, accountOf(r)})
			}
		}
		if fn := r.Facets.LambdaFunction(); fn != nil && fn.Role != nil {
			for _, role := range g.linkRole(r, fn.Role) {
				name := unknownName
				if fn.Name.State == Set && fn.Name.V != "" {
					name = fn.Name.V
				}
				functions = append(functions, runner{r, role, "arn:aws:lambda::" + accountOf(r) + ":function:" + name, accountOf(r)})
			}
		}
	}
	var policies []*Resource
	for _, r := range g.Resources {
		if ip := r.Facets.IdentityPolicy(); ip != nil && ip.Managed {
			policies = append(policies, r)
		}
	}
	trusts := map[string][]*Principal{}
	for _, svc := range techniqueServices() {
		for _, r := range roles {
			if g.serviceTrusted(r, svc) {
				trusts[svc] = append(trusts[svc], r)
			}
		}
	}
	arns := func(ps []*Principal) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.ARN
		}
		return out
	}
	knownARNs := map[iam.TargetKind][]string{
		iam.TargetUser: arns(users), iam.TargetGroup: arns(groups), iam.TargetRole: arns(roles),
	}
	for _, r := range policies {
		knownARNs[iam.TargetPolicy] = append(knownARNs[iam.TargetPolicy], policyARN(r))
	}
	for _, rs := range instances {
		knownARNs[iam.TargetInstance] = append(knownARNs[iam.TargetInstance], rs.arn)
	}
	for _, rs := range functions {
		knownARNs[iam.TargetFunction] = append(knownARNs[iam.TargetFunction], rs.arn)
	}

	// With several known accounts in the tree, an unknown account is
	// any of them: targets are not guessed across that line.
	known := map[string]bool{}
	for _, r := range g.Resources {
		if a := accountOf(r); a != "" {
			known[a] = true
		}
	}
	split := len(known) > 1
	index := func(ps []*Principal) byAccount {
		return indexByAccount(len(ps), func(i int) string { return ps[i].Account },
			func(i int) string { return ps[i].Resource.Addr.Stack }, split)
	}
	userIdx, groupIdx, roleIdx := index(users), index(groups), index(roles)
	passableIdx := map[string]byAccount{}
	for svc, rs := range trusts {
		passableIdx[svc] = index(rs)
	}
	instanceIdx := indexByAccount(len(instances), func(i int) string { return instances[i].account },
		func(i int) string { return instances[i].res.Addr.Stack }, split)
	for _, p := range actors {
		if a.adminDirect[p] {
			// An administrator already has every permission.
			continue
		}
		for ti := range iam.Techniques {
			t := &iam.Techniques[ti]
			esc := g.escalation(p, t, escalationScope{
				users: users, groups: groups, roles: roles, policies: policies,
				passable: trusts[t.Service], known: knownARNs,
				instances: instances, functions: functions,
				userIdx: userIdx, groupIdx: groupIdx, roleIdx: roleIdx,
				passableIdx: passableIdx[t.Service], instanceIdx: instanceIdx,
			})
			if esc == nil {
				continue
			}
			a.escalations[p] = append(a.escalations[p], esc)
			for _, tg := range esc.Targets {
				if tg.Becomes == nil || tg.Becomes == p {
					continue
				}
				h := &Hop{From: p, To: tg.Becomes, Kind: HopTechnique, Technique: t, Evidence: esc.Evidence}
				if tg.Resource != tg.Becomes.Resource {
					h.Via = tg.Resource
				}
				a.out[p] = append(a.out[p], h)
			}
		}
	}
	n := 0
	for _, p := range actors {
		n += len(a.out[p])
	}
	g.Edges = slices.Grow(g.Edges, n)
	for _, p := range actors {
		for _, h := range a.out[p] {
			e := Edge{From: p.Resource, To: h.To.Resource, Kind: CanEscalate, Range: p.Resource.Range}
			if h.Kind == HopAssume {
				e.Kind, e.Range = CanAssume, h.To.Resource.Facets.Role().Trust.Range
			} else if len(h.Evidence) > 0 {
				e.Range = h.Evidence[0].Range
			}
			g.Edges = append(g.Edges, e)
		}
		slices.SortStableFunc(a.out[p], func(x, y *Hop) int {
			if c := comparePrincipals(x.To, y.To); c != 0 {
				return c
			}
			return cmp.Compare(x.Kind, y.Kind)
		})
	}
	// Administrator equivalence: a fixed point over the edges, which
	// handles cycles.
	for _, p := range actors {
		if a.adminDirect[p] {
			a.admin[p] = true
		}
		for _, e := range a.escalations[p] {
			if e.Admin {
				a.admin[p] = true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, p := range actors {
			if a.admin[p] {
				continue
			}
			for _, h := range a.out[p] {
				if a.admin[h.To] {
					a.admin[p] = true
					changed = true
					break
				}
			}
		}
	}
	for _, p := range actors {
		if a.adminDirect[p] {
			continue
		}
		if e := g.assumeEscalation(p); e != nil {
			// Keep the table's order: PE-14 goes before PE-15.
			es := a.escalations[p]
			i := 0
			for i < len(es) && techniqueIndex(es[i].Technique) < techniqueIndex(e.Technique) {
				i++
			}
			a.escalations[p] = slices.Insert(es, i, e)
		}
	}
	return nil
}

func techniqueIndex(t *iam.Technique) int {
	for i := range iam.Techniques {
		if &iam.Techniques[i] == t {
			return i
		}
	}
	return -1
}

func sameAccount(a, b *Principal) bool {
	return a.Account == b.Account || a.Account == "" || b.Account == ""
}

// InstanceRoles returns the roles of the instance profile of instance r.
func (g *Graph) InstanceRoles(r *Resource) []*Principal {
	n := r.Facets.InstanceNetwork()
	if n == nil || n.Profile == nil {
		return nil
	}
	var out []*Principal
	for _, prof := range g.InstanceProfiles(r) {
		for _, l := range prof.Facets.InstanceProfile().Roles {
			out = append(out, g.resolvePrincipal(prof, l, PrincipalRole)...)
		}
	}
	return uniquePrincipals(out)
}

// InstanceProfiles returns the instance profiles in the graph that
// instance r names.
func (g *Graph) InstanceProfiles(r *Resource) []*Resource {
	n := r.Facets.InstanceNetwork()
	if n == nil || n.Profile == nil {
		return nil
	}
	var out []*Resource
	if n.Profile.Ref != nil {
		for _, t := range g.ResolveRef(r, *n.Profile.Ref) {
			if t.Facets.InstanceProfile() != nil {
				out = append(out, t)
			}
		}
	}
	if len(out) == 0 && n.Profile.Name.State == Set {
		for _, t := range g.Resources {
			if ip := t.Facets.InstanceProfile(); ip != nil && ip.Name.Is(n.Profile.Name.V) {
				out = append(out, t)
			}
		}
	}
	return out
}

// linkRole resolves a role named by ARN or reference.
func (g *Graph) linkRole(from *Resource, l *PolicyLink) []*Principal {
	return g.resolvePrincipal(from, PrincipalLink{Ref: l.Ref, Name: l.ARN, Range: l.Range}, PrincipalRole)
}

func techniqueServices() []string {
	var out []string
	for _, t := range iam.Techniques {
		if t.Service != "" && !slices.Contains(out, t.Service) {
			out = append(out, t.Service)
		}
	}
	return out
}

// serviceTrusted reports whether role r's trust policy lets the service
// assume it, unconditionally or under conditions the service meets
// (aws:SourceAccount and the like narrow who uses the service, not
// whether it may).
func (g *Graph) serviceTrusted(r *Principal, svc string) bool {
	trust := r.Resource.Facets.Role().Trust
	if !trust.Known() {
		return false
	}
	allowed := false
	for i := range trust.Doc.Statements {
		s := &trust.Doc.Statements[i]
		if s.CoversAction("sts:AssumeRole") != iam.Yes || s.Principal == nil {
			continue
		}
		if !s.Principal.Service.Any(func(v string) bool { return strings.EqualFold(v, svc) }) && !s.Principal.Wildcard {
			continue
		}
		switch {
		case s.Effect == "Deny":
			if len(s.Conditions) == 0 && !s.ConditionUnknown {
				return false
			}
		case s.Allows():
			allowed = true
		}
	}
	return allowed
}

// trustAdmits returns the Allow statement of role r's trust policy that
// admits principal p to sts:AssumeRole, and whether it names p itself (a
// same-account trust that names the principal needs no identity grant).
// Nil when none does, or when a Deny applies, or when conditions decide
// it.
func (g *Graph) trustAdmits(r *Principal, trust *Policy, p *Principal) (*iam.Statement, bool) {
	ctx := p.context()
	var found *iam.Statement
	explicit := false
	for i := range trust.Doc.Statements {
		s := &trust.Doc.Statements[i]
		if s.CoversAction("sts:AssumeRole") != iam.Yes {
			continue
		}
		admit, named := g.principalMatches(s, trust, r, p)
		if admit == iam.No {
			continue
		}
		sctx := ctx
		if ext := s.Condition("sts:ExternalId"); len(ext) > 0 && len(ext[0].Values) > 0 {
			// The external ID is written in the trust policy and given
			// to whoever is meant to assume the role: it keeps a
			// deputy from being confused, not a caller out.
			sctx = ctx.Clone().Set("sts:ExternalId", ext[0].Values[0])
		}
		cond, _ := s.ConditionsHold(sctx)
		switch {
		case s.Effect == "Deny" || s.EffectUnknown:
			if admit == iam.Yes && cond != iam.No {
				return nil, false
			}
		case s.Allows() && admit == iam.Yes && cond == iam.Yes:
			if found == nil || (named && !explicit) {
				found, explicit = s, named
			}
		}
	}
	return found, explicit
}

// principalMatches says whether the statement's Principal (or
// NotPrincipal) covers p, and whether it names p itself rather than its
// account or everyone.
func (g *Graph) principalMatches(s *iam.Statement, trust *Policy, r, p *Principal) (iam.Tri, bool) {
	if s.NotPrincipal != nil {
		if principalCovers(s.NotPrincipal, p) == iam.No {
			return iam.Yes, false
		}
		return iam.No, false
	}
	pr := s.Principal
	if pr == nil {
		return iam.No, false
	}
	if pr.Public() {
		return iam.Yes, false
	}
	for _, v := range pr.AWS.Values {
		if v == p.ARN && p.Name.State == Set {
			return iam.Yes, true
		}
		if iam.MatchARN(v, p.ARN, nil) == iam.Yes && !strings.HasSuffix(v, ":root") && iam.AccountOf(v) != v {
			if p.Name.State == Set {
				return iam.Yes, true
			}
		}
		if acct := iam.AccountOf(v); acct != "" && (acct == v || strings.HasSuffix(v, ":root")) {
			if acct == p.Account || (p.Account == "" && (r.Account == "" || r.Account == acct)) {
				return iam.Yes, false
			}
		}
		if iam.OwnAccountARN(v) && strings.HasSuffix(v, ":root") {
			// The root of the account the role is deployed to.
			if p.Account == r.Account || p.Account == "" {
				return iam.Yes, false
			}
		}
	}
	if pr.AWS.Unknown {
		// The principal is written by reference (aws_iam_user.x.arn).
		for _, ref := range r.Resource.Refs {
			if ref.Attr != trust.Path && !strings.HasPrefix(ref.Attr, trust.Path+".") {
				continue
			}
			for _, t := range g.ResolveRef(r.Resource, ref) {
				if t == p.Resource {
					return iam.Yes, true
				}
			}
		}
	}
	return iam.No, false
}

// principalCovers is a coarse match of a NotPrincipal element.
func principalCovers(pr *iam.Principal, p *Principal) iam.Tri {
	if pr.Public() {
		return iam.Yes
	}
	if pr.Unknown {
		return iam.Maybe
	}
	for _, v := range pr.AWS.Values {
		if v == p.ARN || (iam.AccountOf(v) != "" && iam.AccountOf(v) == p.Account && strings.HasSuffix(v, ":root")) {
			return iam.Yes
		}
	}
	return iam.No
}

// trustCandidates indexes the actors by what a trust policy names, so
// that each role's trust is checked against the few actors it may admit
// rather than all of them. A trust that names the caller may admit any
// actor (byName); one that admits an account or everyone needs the
// caller's own grant, so only actors whose policies allow
// sts:AssumeRole on that role by name or reference (byTarget), or on a
// pattern whose literal start the role's ARN has (wide), are candidates.
type trustCandidates struct {
	byName   map[string][]*Principal // last ARN segment
	byTarget map[string][]*Principal // role name or resource key the grant names
	// wide holds the actors granted patterns, by the resource part of
	// each pattern up to its first wildcard or variable ("role/ci-";
	// "" for * or NotResource), then by the actor's account ("" when
	// unknown). Patterns in a landing zone repeat from account to
	// account, so there are few of these prefixes, and a role is checked
	// against the actors whose patterns may name it, from the accounts
	// its trust admits, rather than every actor holding a wildcard: each
	// account's administrator holds one.
	wide     map[string]map[string][]*Principal
	prefixes []string // keys of wide, sorted
}

func newTrustCandidates(g *Graph, actors []*Principal, assumers map[*Principal]bool) *trustCandidates {
	c := &trustCandidates{byName: map[string][]*Principal{}, byTarget: map[string][]*Principal{}, wide: map[string]map[string][]*Principal{}}
	for _, p := range actors {
		if p.Name.State == Set {
			c.byName[p.Name.V] = append(c.byName[p.Name.V], p)
		}
		if !assumers[p] {
			continue
		}
		wide := map[string]bool{}
		targets := map[string]bool{}
		for _, gr := range p.Grants {
			for i := range gr.Doc.Statements {
				st := &gr.Doc.Statements[i]
				if !(st.Allows() || st.EffectUnknown) || st.CoversAction("sts:AssumeRole") == iam.No {
					continue
				}
				if st.NotResource.Present || !st.Resource.Present {
					wide[""] = true
					continue
				}
				for _, v := range st.Resource.Values {
					if strings.ContainsAny(v, "*?") || strings.Contains(v, "${") {
						wide[patternPrefix(v)] = true
						continue
					}
					targets["name:"+v[strings.LastIndexByte(v, '/')+1:]] = true
				}
				if st.Resource.Unknown {
					for _, t := range g.grantRefs(gr, st) {
						targets["res:"+t.Key()] = true
					}
				}
			}
		}
		for pre := range wide {
			if c.wide[pre] == nil {
				c.wide[pre] = map[string][]*Principal{}
			}
			c.wide[pre][p.Account] = append(c.wide[pre][p.Account], p)
		}
		for k := range targets {
			c.byTarget[k] = append(c.byTarget[k], p)
		}
	}
	c.prefixes = slices.Sorted(maps.Keys(c.wide))
	return c
}

// patternPrefix is the literal start of the resource part of an ARN
// pattern: up to its first wildcard or policy variable. It is "" when the
// pattern is no ARN, or its other fields hold policy variables.
//
// A wildcard in another field ("arn:aws:iam::*:role/ci-*") cannot reach
// into a role ARN's resource part: the pattern's five colons are literal,
// and a role name has none, so they meet the ARN's five colons one to one.
func patternPrefix(pat string) string {
	f, ok := iam.ARNFields(pat)
	if !ok {
		return ""
	}
	for _, x := range f[:5] {
		if strings.Contains(x, "$") {
			return ""
		}
	}
	return iam.LiteralPrefix(f[5])
}

// grantRefs resolves the references the attribute holding statement s
// makes: the resources an unknown Resource element of s may be (a
// policy written with jsonencode holds its references in one attribute;
// a rendered policy document, in each statement's resources).
func (g *Graph) grantRefs(gr *Grant, s *iam.Statement) []*Resource {
	if gr.Policy == nil {
		return nil
	}
	holder, prefix := gr.From, gr.Policy.Path
	if gr.Policy.Via != nil {
		holder, prefix = gr.Policy.Via, "statement."+strconv.Itoa(s.Index)
	}
	if prefix == "" {
		return nil
	}
	var out []*Resource
	for _, ref := range holder.Refs {
		if ref.Attr != prefix && !strings.HasPrefix(ref.Attr, prefix+".") {
			continue
		}
		if gr.Policy.Via != nil && !strings.Contains(ref.Attr, "resources") {
			// A rendered statement's principals and conditions refer to
			// other things than its resources.
			continue
		}
		out = append(out, g.ResolveRef(holder, ref)...)
	}
	return out
}

// of returns the actors role r's trust may admit, in graph order, each
// once; trustAdmits decides.
func (c *trustCandidates) of(g *Graph, r *Principal, trust *Policy) []*Principal {
	seen := map[*Principal]bool{}
	var out []*Principal
	add := func(ps []*Principal) {
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	// Callers whose own grants may reach r.
	roleRes, exact := "", false
	if f, ok := iam.ARNFields(r.ARN); ok && !strings.Contains(f[5], ":") {
		roleRes, exact = f[5], true
	}
	// granted adds the callers whose own grants may reach r: from
	// account acct (and those whose account is unknown), or from any
	// account when every is true.
	granted := func(acct string, every bool) {
		for _, pre := range c.prefixes {
			if exact && !strings.HasPrefix(roleRes, pre) {
				continue
			}
			if every {
				for _, ps := range c.wide[pre] {
					add(ps)
				}
				continue
			}
			add(c.wide[pre][acct])
			add(c.wide[pre][""])
		}
		if r.Name.State == Set {
			add(c.byTarget["name:"+r.Name.V])
		}
		add(c.byTarget["res:"+r.Resource.Key()])
	}
	for i := range trust.Doc.Statements {
		s := &trust.Doc.Statements[i]
		if !s.Allows() || s.CoversAction("sts:AssumeRole") != iam.Yes {
			continue
		}
		if s.NotPrincipal != nil || (s.Principal != nil && s.Principal.Public()) {
			granted("", true)
			continue
		}
		if s.Principal == nil {
			continue
		}
		for _, v := range s.Principal.AWS.Values {
			acct := iam.AccountOf(v)
			if acct != "" && (acct == v || strings.HasSuffix(v, ":root")) {
				granted(acct, false)
				continue
			}
			if iam.OwnAccountARN(v) && strings.HasSuffix(v, ":root") {
				// The root of the account the role is deployed to
				// (a template's ${AWS::AccountId}).
				granted(r.Account, false)
				continue
			}
			if strings.ContainsAny(v, "*?") {
				granted("", true)
				continue
			}
			add(c.byName[v[strings.LastIndexByte(v, '/')+1:]])
		}
		if s.Principal.AWS.Unknown {
			for _, ref := range r.Resource.Refs {
				if ref.Attr != trust.Path && !strings.HasPrefix(ref.Attr, trust.Path+".") {
					continue
				}
				for _, t := range g.ResolveRef(r.Resource, ref) {
					if p := g.principalByRes[t]; p != nil {
						add([]*Principal{p})
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b *Principal) int { return cmp.Compare(a.order, b.order) })
	return out
}

// assumeNotDenied reports whether nothing denies p sts:AssumeRole on r:
// no Deny statement of its identity policies that applies or may apply,
// and no SCP of its account.
func (g *Graph) assumeNotDenied(p, r *Principal) bool {
	docs := make([]*iam.Document, len(p.Grants))
	for i, gr := range p.Grants {
		docs[i] = gr.Doc
	}
	req := iam.Request{Action: "sts:AssumeRole", Resource: r.ARN, Context: p.context(),
		UnknownResource: func(s *iam.Statement) iam.Tri { return g.refersTo(p.stmtGrant[s], s, r.Resource) }}
	if len(iam.Evaluate(docs, req).Denies) > 0 {
		return false
	}
	if p.Org != nil && p.Org.Evaluate("sts:AssumeRole").Status != GuardOpen {
		return false
	}
	return true
}
