package graph

import (
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// escalationScope is what techniques can target in the tree.
type escalationScope struct {
	users, groups, roles []*Principal
	policies             []*Resource
	// passable are the roles that trust the technique's service.
	passable             []*Principal
	known                map[iam.TargetKind][]string
	instances, functions []runner
	// The targets of each list by account: a principal of a known
	// account reaches only those of its account and of none (see
	// otherAccount), and a landing zone holds hundreds of accounts.
	userIdx, groupIdx, roleIdx, passableIdx, instanceIdx byAccount
}

// byAccount indexes a list of targets by their account.
type byAccount struct {
	own     map[string][]int // positions of the targets of each known account
	unknown []int            // positions of the targets of no known account
	// split is true when the tree holds more than one known account.
	// A target whose account the code does not tell is then in any of
	// them, which cannot be told: it is reached only from its own stack
	// (root module or template), whose resources share an account.
	split     bool
	unknownIn map[string][]int // positions of the targets of no known account, by stack
}

// indexByAccount indexes n targets by account and, for those of no known
// account, by stack.
func indexByAccount(n int, account, stack func(int) string, split bool) byAccount {
	x := byAccount{own: map[string][]int{}, split: split, unknownIn: map[string][]int{}}
	for i := range n {
		if a := account(i); a != "" {
			x.own[a] = append(x.own[a], i)
		} else {
			x.unknown = append(x.unknown, i)
			s := stack(i)
			x.unknownIn[s] = append(x.unknownIn[s], i)
		}
	}
	return x
}

// each calls f, in list order, with the position of every target of the
// n in the list that p may reach. In a tree of one known account at most:
// all of them when p's account is unknown, else those of its account and
// those of no known account. In a tree of several: those of p's account,
// or, when p's account is unknown, those of no known account in p's
// stack.
func (x byAccount) each(p *Principal, n int, f func(int)) {
	if x.own == nil {
		for i := range n {
			f(i)
		}
		return
	}
	if x.split {
		ps := x.own[p.Account]
		if p.Account == "" {
			ps = x.unknownIn[p.Resource.Addr.Stack]
		}
		for _, i := range ps {
			f(i)
		}
		return
	}
	if p.Account == "" {
		for i := range n {
			f(i)
		}
		return
	}
	own, unk := x.own[p.Account], x.unknown
	for len(own) > 0 || len(unk) > 0 {
		if len(unk) == 0 || (len(own) > 0 && own[0] < unk[0]) {
			f(own[0])
			own = own[1:]
		} else {
			f(unk[0])
			unk = unk[1:]
		}
	}
}

// runner is a resource that runs code with a role: an instance through
// its profile, a Lambda function.
type runner struct {
	res     *Resource
	role    *Principal
	arn     string
	account string // "" when the code does not tell
}

// otherAccount reports whether a target of the given account is in
// another account than p, both known. An identity policy cannot grant
// what the escalation techniques do on users, groups, roles and
// instances of another account, whatever its Resource says: none of
// them has a resource policy that could let p in (a role's trust admits
// sts:AssumeRole only, which the assume-role edges decide), and
// iam:PassRole passes roles of p's own account only. Functions are
// left out of this: a function's resource policy may grant another
// account.
func otherAccount(p *Principal, account string) bool {
	return p.Account != "" && account != "" && account != p.Account
}

// escalation decides whether p can perform technique t, and on what.
func (g *Graph) escalation(p *Principal, t *iam.Technique, sc escalationScope) *Escalation {
	if t.Target == iam.TargetAssume {
		// Decided after administrator equivalence (assumeEscalation).
		return nil
	}
	for _, a := range t.TargetActions {
		if !g.allowedSomewhereAny(p, a) {
			return nil
		}
	}
	esc := &Escalation{Technique: t}
	for _, a := range t.OtherActions {
		if !g.allowedSomewhereAny(p, a) {
			return nil
		}
		v := g.canAny(p, a, "*", nil, nil)
		if v.Decision != iam.Allow {
			return nil
		}
		esc.Evidence = append(esc.Evidence, firstCertain(v.Allows)...)
	}
	var extra func(*iam.Context)
	if t.Target == iam.TargetPassRole {
		extra = func(c *iam.Context) { c.Set("iam:PassedToService", t.Service) }
	}
	// allowedOn checks every target action on one ARN and collects the
	// statements that allow them.
	allowedOn := func(arn string, target *Resource) ([]Evidence, bool) {
		var ev []Evidence
		for _, a := range t.TargetActions {
			v := g.canAny(p, a, arn, target, extra)
			if v.Decision != iam.Allow {
				return nil, false
			}
			ev = append(ev, firstCertain(v.Allows)...)
		}
		return ev, true
	}
	// Instances and functions whose account or name the tree does not
	// tell share one ARN. When no statement of p that may allow or deny
	// the technique's actions has a Resource that only a reference
	// tells, the resource behind an ARN cannot change the answer, which
	// is then decided once per ARN.
	type onARN struct {
		ev []Evidence
		ok bool
	}
	var memo map[string]onARN
	if !p.resourceByRef(t.TargetActions) {
		memo = map[string]onARN{}
	}
	allowedOnRunner := func(rn runner) ([]Evidence, bool) {
		if memo == nil {
			return allowedOn(rn.arn, rn.res)
		}
		if m, ok := memo[rn.arn]; ok {
			return m.ev, m.ok
		}
		ev, ok := allowedOn(rn.arn, nil)
		memo[rn.arn] = onARN{ev, ok}
		return ev, ok
	}
	var targetEvidence []Evidence
	addTarget := func(res *Resource, becomes *Principal, self bool, ev []Evidence) {
		if becomes != nil && len(becomes.Grants) == 0 && len(becomes.Incomplete) == 0 {
			// Becoming a principal with no permissions gains nothing.
			return
		}
		esc.Targets = append(esc.Targets, EscalationTarget{Resource: res, Becomes: becomes, Self: self})
		// Kept without repeats as it grows: thousands of targets are
		// mostly allowed by the same few statements.
		for _, e := range ev {
			if !slices.ContainsFunc(targetEvidence, func(o Evidence) bool { return o.Action == e.Action && o.Statement == e.Statement }) {
				targetEvidence = append(targetEvidence, e)
			}
		}
		if self && t.Admin {
			esc.Admin = true
		}
	}
	try := func(tp *Principal, self bool, becomes *Principal) {
		if otherAccount(p, tp.Account) {
			return
		}
		if ev, ok := allowedOn(tp.ARN, tp.Resource); ok {
			addTarget(tp.Resource, becomes, self, ev)
		}
	}
	switch t.Target {
	case iam.TargetUser:
		sc.userIdx.each(p, len(sc.users), func(i int) {
			u := sc.users[i]
			self := u == p
			switch {
			case self && t.Self:
				try(u, true, nil)
			case !self && !t.Admin:
				// Credentials of another user make p that user.
				try(u, false, u)
			}
		})
	case iam.TargetGroup:
		sc.groupIdx.each(p, len(sc.groups), func(i int) {
			gp := sc.groups[i]
			member := slices.Contains(p.Groups, gp)
			switch {
			case member && t.Self:
				try(gp, true, nil)
			case !member && !t.Admin && p.Kind == PrincipalUser:
				// Joining a group gives its permissions.
				try(gp, false, gp)
			}
		})
	case iam.TargetRole:
		sc.roleIdx.each(p, len(sc.roles), func(i int) {
			r := sc.roles[i]
			switch {
			case r == p && t.Self:
				try(r, true, nil)
			case r != p && t.Admin:
				// Rewriting the policies of a role p can assume makes p
				// an administrator through it.
				if g.canAssume(p, r) {
					try(r, true, nil)
				}
			case r != p && !t.Admin:
				try(r, false, r)
			}
		})
	case iam.TargetPolicy:
		for _, r := range sc.policies {
			if !attachedTo(p, r) {
				continue
			}
			if ev, ok := allowedOn(policyARN(r), r); ok {
				addTarget(r, nil, true, ev)
			}
		}
	case iam.TargetPassRole:
		sc.passableIdx.each(p, len(sc.passable), func(i int) {
			if r := sc.passable[i]; r != p {
				try(r, false, r)
			}
		})
	case iam.TargetInstance:
		sc.instanceIdx.each(p, len(sc.instances), func(i int) {
			rn := sc.instances[i]
			if otherAccount(p, rn.account) {
				return
			}
			if ev, ok := allowedOnRunner(rn); ok && rn.role != p {
				addTarget(rn.res, rn.role, false, ev)
			}
		})
	case iam.TargetFunction:
		for _, rn := range sc.functions {
			if ev, ok := allowedOnRunner(rn); ok && rn.role != p {
				addTarget(rn.res, rn.role, false, ev)
			}
		}
	}
	// Reach beyond the tree: every target action allowed on "*" through
	// statements whose resources the tree does not show.
	var wildEvidence []Evidence
	wild := true
	var patterns []string
	for _, a := range t.TargetActions {
		v := g.canAny(p, a, "*", nil, extra)
		if v.Decision != iam.Allow {
			wild = false
			break
		}
		ps := wildReach(v.Allows, sc.known[t.Target])
		if len(ps) == 0 {
			wild = false
			break
		}
		patterns = append(patterns, ps...)
		wildEvidence = append(wildEvidence, firstCertain(v.Allows)...)
	}
	if wild {
		slices.Sort(patterns)
		esc.Wild = slices.Compact(patterns)
	}
	if len(esc.Targets) == 0 && len(esc.Wild) == 0 {
		return nil
	}
	if len(esc.Targets) > 0 {
		esc.Evidence = append(esc.Evidence, targetEvidence...)
	} else {
		esc.Evidence = append(esc.Evidence, wildEvidence...)
	}
	esc.Evidence = dedupeEvidence(esc.Evidence)
	return esc
}

// resourceByRef reports whether some statement of p's policies or
// boundary that may cover one of actions ("a|b" elements) has a
// Resource element only a reference tells, so that whether it covers an
// ARN depends on the resource behind the ARN.
func (p *Principal) resourceByRef(actions []string) bool {
	byRef := func(gr *Grant) bool {
		for i := range gr.Doc.Statements {
			st := &gr.Doc.Statements[i]
			if !st.Resource.Unknown {
				continue
			}
			for _, el := range actions {
				for _, a := range strings.Split(el, "|") {
					if st.CoversAction(a) != iam.No {
						return true
					}
				}
			}
		}
		return false
	}
	if p.Boundary != nil && byRef(p.Boundary) {
		return true
	}
	return slices.ContainsFunc(p.Grants, byRef)
}

// canAssume reports whether the principal graph has an assume-role edge
// from p to r (computed before techniques).
func (g *Graph) canAssume(p, r *Principal) bool {
	for _, h := range g.access.out[p] {
		if h.Kind == HopAssume && h.To == r {
			return true
		}
	}
	return false
}

// attachedTo reports whether managed policy r applies to p.
func attachedTo(p *Principal, r *Resource) bool {
	for _, gr := range p.Grants {
		if gr.From == r {
			return true
		}
	}
	return false
}

func firstCertain(es []Evidence) []Evidence {
	if len(es) == 0 {
		return nil
	}
	return es[:1]
}

func dedupeEvidence(es []Evidence) []Evidence {
	var out []Evidence
	for _, e := range es {
		if !slices.ContainsFunc(out, func(o Evidence) bool { return o.Action == e.Action && o.Statement == e.Statement }) {
			out = append(out, e)
		}
	}
	return out
}

// assumeEscalation is technique PE-14 for p: the roles it can assume
// (trust and identity policy both allow it) that are administrators or
// can become one.
func (g *Graph) assumeEscalation(p *Principal) *Escalation {
	t := iam.LookupTechnique("PE-14")
	var esc *Escalation
	for _, h := range g.access.out[p] {
		if h.Kind != HopAssume || !g.access.admin[h.To] {
			continue
		}
		if esc == nil {
			esc = &Escalation{Technique: t}
		}
		esc.Targets = append(esc.Targets, EscalationTarget{Resource: h.To.Resource, Becomes: h.To})
		esc.Evidence = append(esc.Evidence, h.Evidence...)
	}
	if esc != nil {
		esc.Evidence = dedupeEvidence(esc.Evidence)
	}
	return esc
}

// canAny decides a technique's action element: "a|b" is allowed when
// either action is; the verdict of the first allowed one, else of the
// last, is returned.
func (g *Graph) canAny(p *Principal, actions, arn string, target *Resource, extra func(*iam.Context)) Verdict {
	var v Verdict
	for _, a := range strings.Split(actions, "|") {
		if v = g.Can(p, a, arn, target, extra); v.Decision == iam.Allow {
			return v
		}
	}
	return v
}

// allowedSomewhereAny is AllowedSomewhere for an action element "a|b".
func (g *Graph) allowedSomewhereAny(p *Principal, actions string) bool {
	for _, a := range strings.Split(actions, "|") {
		if g.AllowedSomewhere(p, a) {
			return true
		}
	}
	return false
}
