package graph

import (
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// Evidence is one statement that allows an action to a principal.
type Evidence struct {
	Action    string
	Grant     *Grant
	Statement *iam.Statement
	// Range is where the statement is written (Grant.StatementRange).
	Range Range
}

// Verdict is the effective answer to "may this principal do this?":
// identity policies ∩ permissions boundary ∩ SCPs along its account's
// organization path.
type Verdict struct {
	Decision iam.Decision
	// Allows are the statements that allow it, certain ones first.
	Allows []Evidence
	// Why says what denies it or what could not be decided.
	Why string
	// Identity is the decision of the identity policies alone.
	Identity iam.Result
}

// context is what the requests of a principal carry, as an attacker
// holding its credentials makes them: long-lived or stolen credentials
// carry no MFA.
func (p *Principal) context() *iam.Context {
	if p.ctx != nil {
		return p.ctx
	}
	c := &iam.Context{}
	c.SetAbsent("aws:MultiFactorAuthPresent")
	c.SetAbsent("aws:MultiFactorAuthAge")
	if p.Name.State == Set {
		c.Set("aws:PrincipalArn", p.ARN)
		if p.Kind == PrincipalUser {
			c.Set("aws:username", p.Name.V)
		}
	}
	if p.Account != "" {
		c.Set("aws:PrincipalAccount", p.Account)
	}
	switch p.Kind {
	case PrincipalUser:
		c.Set("aws:PrincipalType", "User")
	case PrincipalRole:
		c.Set("aws:PrincipalType", "AssumedRole")
	}
	p.ctx = c
	return c
}

// Can decides whether p may perform action on resource (an ARN, or "*"
// for "some resource"); target is the resource in the graph the ARN
// stands for, so that policies naming it by reference match it. extra
// adds request keys (iam:PassedToService).
func (g *Graph) Can(p *Principal, action, resource string, target *Resource, extra func(*iam.Context)) Verdict {
	ctx := p.context()
	if extra != nil {
		ctx = ctx.Clone()
		extra(ctx)
	}
	req := iam.Request{Action: action, Resource: resource, Context: ctx}
	if target != nil {
		req.UnknownResource = func(s *iam.Statement) iam.Tri {
			return g.refersTo(p.stmtGrant[s], s, target)
		}
	}
	docs := make([]*iam.Document, len(p.Grants))
	for i, gr := range p.Grants {
		docs[i] = gr.Doc
	}
	res := iam.Evaluate(docs, req)
	v := Verdict{Decision: res.Decision, Why: res.Why, Identity: res}
	for _, m := range res.Allows {
		gr := p.Grants[m.Doc]
		v.Allows = append(v.Allows, Evidence{Action: action, Grant: gr, Statement: m.Statement, Range: gr.StatementRange(m.Statement)})
	}
	switch res.Decision {
	case iam.Deny:
		for _, m := range res.Denies {
			if m.Certain {
				v.Why = "denied by " + stmtLabel(m.Statement) + " of " + p.Grants[m.Doc].Name()
				break
			}
		}
		return v
	case iam.ImplicitDeny:
		return v
	}
	if p.Boundary != nil {
		b := iam.Evaluate([]*iam.Document{p.Boundary.Doc}, req)
		switch b.Decision {
		case iam.Deny, iam.ImplicitDeny:
			v.Decision, v.Why = iam.Deny, "the permissions boundary "+p.Boundary.Name()+" does not allow it"
			return v
		case iam.Conditional:
			v.Decision, v.Why = iam.Conditional, "the permissions boundary "+p.Boundary.Name()+": "+b.Why
		}
	}
	if p.Org != nil {
		gd := p.Org.Evaluate(action)
		switch gd.Status {
		case GuardDenied:
			v.Decision = iam.Deny
			if gd.Deny != nil {
				v.Why = "denied by the SCP " + gd.Deny.SCP.Addr.String() + " at " + gd.Deny.Level
			} else {
				v.Why = "no SCP allows it at " + gd.NotAllowedAt
			}
			return v
		case GuardPartial:
			if v.Decision == iam.Allow {
				v.Decision, v.Why = iam.Conditional, "an SCP denies it under conditions"
			}
		case GuardUndetermined:
			if v.Decision == iam.Allow {
				v.Decision, v.Why = iam.Conditional, gd.Uncertain
			}
		}
	}
	return v
}

// AllowedSomewhere reports whether some statement of p's identity
// policies may allow action, whatever the resource: a cheap filter before
// asking about each resource.
func (g *Graph) AllowedSomewhere(p *Principal, action string) bool {
	if v, ok := p.somewhere[action]; ok {
		return v
	}
	v := p.allowedSomewhere(action)
	if p.somewhere == nil {
		p.somewhere = map[string]bool{}
	}
	p.somewhere[action] = v
	return v
}

func (p *Principal) allowedSomewhere(action string) bool {
	for _, gr := range p.Grants {
		for i := range gr.Doc.Statements {
			s := &gr.Doc.Statements[i]
			if (s.Allows() || s.EffectUnknown) && s.CoversAction(action) != iam.No {
				return true
			}
		}
	}
	return false
}

// refersTo says whether the unknown Resource elements of statement s may
// be target: the attribute that holds the statement references it
// (Resource = aws_iam_role.x.arn, !GetAtt Role.Arn). Yes when it does,
// Maybe otherwise: an unknown element is never taken to match by guess.
func (g *Graph) refersTo(gr *Grant, s *iam.Statement, target *Resource) iam.Tri {
	if gr == nil {
		return iam.Maybe
	}
	for _, t := range g.grantRefs(gr, s) {
		if t == target {
			return iam.Yes
		}
	}
	return iam.Maybe
}

// stmtLabel names a statement for messages: its number from 1 and Sid.
func stmtLabel(s *iam.Statement) string {
	if s.Sid != "" {
		return "statement " + strconv.Itoa(s.Index+1) + " (" + strconv.Quote(s.Sid) + ")"
	}
	return "statement " + strconv.Itoa(s.Index+1)
}

// StatementLabel names a statement for messages.
func StatementLabel(s *iam.Statement) string { return stmtLabel(s) }

// wildReach returns the resource patterns of the allowing statements that
// reach resources the tree does not show: wildcards, NotResource, and
// literal ARNs none of known matches. Statements naming resources only by
// reference reach nothing outside.
func wildReach(allows []Evidence, known []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, e := range allows {
		s := e.Statement
		if s.NotResource.Present {
			add("NotResource " + strings.Join(s.NotResource.Values, ", "))
			continue
		}
		for _, pat := range s.Resource.Values {
			if strings.Contains(pat, "${") {
				// A policy variable names the caller's own resources
				// (user/${aws:username}), which the tree shows.
				continue
			}
			if strings.ContainsAny(pat, "*?") {
				add(pat)
				continue
			}
			found := false
			for _, k := range known {
				if iam.MatchARN(pat, k, nil) == iam.Yes {
					found = true
					break
				}
			}
			if !found {
				add(pat)
			}
		}
	}
	return out
}
