package graph

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// Kinds of IAM principal.
const (
	PrincipalUser  = "user"
	PrincipalRole  = "role"
	PrincipalGroup = "group"
)

// unknownName stands for a name the code does not state in an ARN built
// for matching: only a wildcard in a policy matches it.
const unknownName = "\x00"

// Principal is an IAM user, role or group with everything that decides
// what it may do: its identity policies (inline, attached, through its
// groups), its permissions boundary and the SCPs of its account. Filled
// by the principals pass.
type Principal struct {
	Resource *Resource
	// Kind is PrincipalUser, PrincipalRole or PrincipalGroup.
	Kind string
	Name Value[string]
	// ARN is built from the account, path and name as far as they are
	// known: an unknown account is left empty (matching any account
	// written in a policy), an unknown name matches only wildcards.
	ARN string
	// Account is the principal's account ID, "" when the code does not
	// tell it.
	Account string
	// Grants are the identity policies that apply: the principal's own,
	// then its groups'.
	Grants []*Grant
	// Boundary is the permissions boundary's document; nil when the
	// principal has none.
	Boundary *Grant
	// Groups are the groups a user is in; Members the users of a group.
	Groups, Members []*Principal
	// Incomplete says why what the principal may do is not fully known
	// (a managed policy outside the table, an unknown attachment); allows
	// found are still real.
	Incomplete []string
	// Org is the principal's account in the organization, when the code
	// declares the account and its path.
	Org *OrgNode
	// Keys lists the long-lived credentials of a user (access keys).
	Keys []*Resource

	stmtGrant map[*iam.Statement]*Grant
	order     int // position in Graph.principals
	ctx       *iam.Context
	somewhere map[string]bool
}

// Grant is one policy document that applies to a principal, with where it
// is written.
type Grant struct {
	Doc *iam.Document
	// Policy is the document as read from the code; nil for an AWS
	// managed policy from the table.
	Policy *Policy
	// Managed is the AWS managed policy ARN, for table documents.
	Managed string
	// From is the resource that writes the document (the policy resource,
	// the role with its inline policy); Attach is the resource that
	// attaches it, when another one does.
	From, Attach *Resource
	// Via is the group the grant comes through, for users.
	Via *Principal
	// Range is where to point: the statement list or the attachment.
	Range Range
}

// StatementRange is where statement s of the grant is written, as
// closely as the source tells: the statement in a CloudFormation document
// or in a rendered policy document's blocks, else the policy.
func (gr *Grant) StatementRange(s *iam.Statement) Range {
	p := gr.Policy
	if p == nil || s == nil {
		return gr.Range
	}
	if v := p.Via; v != nil {
		if pd := v.Facets.PolicyDocument(); pd == nil || pd.Merge != nil {
			// Statements of a merge are not numbered as their blocks.
			return gr.Range
		}
		if rg, ok := v.AttrRanges.Get("statement." + strconv.Itoa(s.Index)); ok {
			return rg
		}
		return gr.Range
	}
	if p.Path == "" {
		return gr.Range
	}
	return gr.From.AttrRange(p.Path + ".Statement." + strconv.Itoa(s.Index))
}

// Name names the grant for messages: the managed policy, or the resource
// and attribute that hold it.
func (gr *Grant) Name() string {
	var s string
	switch {
	case gr.Managed != "":
		s = gr.Managed
	case gr.Policy != nil && gr.From.Facets.IdentityPolicy() != nil:
		s = gr.From.Addr.String()
	case gr.Policy != nil:
		s = gr.From.Addr.String() + " " + gr.Policy.Attr
	default:
		s = gr.From.Addr.String()
	}
	if gr.Via != nil {
		s += " (through group " + gr.Via.Resource.Addr.String() + ")"
	}
	return s
}

// Principals returns the IAM principals of the graph in address order.
func (g *Graph) Principals() []*Principal { return g.principals }

// PrincipalOf returns the principal r is, or nil.
func (g *Graph) PrincipalOf(r *Resource) *Principal { return g.principalByRes[r] }

// principalsPass collects each user's, role's and group's identity
// policies, boundary and organization path.
func principalsPass(g *Graph, _ []*Resource) Diagnostics {
	g.principalByRes = map[*Resource]*Principal{}
	byName := map[string]*Principal{} // kind:name
	accounts := map[string]*OrgNode{}
	for _, r := range g.Resources {
		if n := r.Facets.OrgNode(); n != nil && n.Kind == OrgAccount && n.ID.State == Set {
			accounts[n.ID.V] = n
		}
	}
	add := func(r *Resource, kind string, name, path Value[string]) *Principal {
		p := &Principal{Resource: r, Kind: kind, Name: name, stmtGrant: map[*iam.Statement]*Grant{}, order: len(g.principals)}
		if r.Account.State == Set {
			p.Account = r.Account.V
		}
		p.ARN = principalARN(kind, p.Account, path, name)
		if role := r.Facets.Role(); role != nil && role.ARN.State == Set {
			p.ARN = role.ARN.V
			if a := iam.AccountOf(role.ARN.V); a != "" {
				p.Account = a
			}
		}
		p.Org = accounts[p.Account]
		g.principals = append(g.principals, p)
		g.principalByRes[r] = p
		if name.State == Set {
			byName[kind+":"+name.V] = p
		}
		return p
	}
	for _, r := range g.Resources {
		f := &r.Facets
		switch {
		case f.Role() != nil:
			add(r, PrincipalRole, f.Role().Name, f.Role().Path)
		case f.User() != nil:
			add(r, PrincipalUser, f.User().Name, f.User().Path)
		case f.Group() != nil:
			add(r, PrincipalGroup, f.Group().Name, f.Group().Path)
		}
	}
	// resolve finds the principals of a kind a link names.
	resolve := func(from *Resource, l PrincipalLink, kind string) []*Principal {
		var out []*Principal
		if l.Ref != nil {
			for _, t := range g.ResolveRef(from, *l.Ref) {
				if p := g.principalByRes[t]; p != nil && p.Kind == kind {
					out = append(out, p)
				}
			}
			if len(out) > 0 {
				return out
			}
		}
		if l.Name.State == Set {
			name := l.Name.V
			// A role may be named by ARN (an instance profile's role is a
			// name; a Lambda function's is an ARN).
			if i := strings.LastIndexByte(name, '/'); i >= 0 && strings.HasPrefix(name, "arn:") {
				name = name[i+1:]
			}
			if p := byName[kind+":"+name]; p != nil {
				out = append(out, p)
			}
		}
		return out
	}
	g.resolvePrincipal = resolve

	// Customer managed policies, by resource and by name.
	policyByName := map[string]*Resource{}
	for _, r := range g.Resources {
		if ip := r.Facets.IdentityPolicy(); ip != nil && ip.Managed && ip.Name.State == Set {
			policyByName[ip.Name.V] = r
		}
	}
	// managedGrants reads what a managed policy ARN or reference names.
	managedGrants := func(from *Resource, arn Value[string], refs []*Ref, rg Range) ([]*Grant, string) {
		var out []*Grant
		for _, ref := range refs {
			for _, t := range g.ResolveRef(from, *ref) {
				if ip := t.Facets.IdentityPolicy(); ip != nil && ip.Managed && ip.Policy != nil {
					if ip.Policy.Known() {
						out = append(out, &Grant{Doc: ip.Policy.Doc, Policy: ip.Policy, From: t, Attach: from, Range: rg})
					} else {
						return out, "the document of " + t.Addr.String() + " cannot be read"
					}
				}
			}
		}
		if len(out) > 0 {
			return out, ""
		}
		switch arn.State {
		case Unknown:
			return nil, "a managed policy attached by " + from.Addr.String() + " cannot be known statically"
		case Set:
			if m := iam.LookupManaged(arn.V); m != nil {
				return []*Grant{{Doc: m.Document, Managed: m.ARN, From: from, Attach: from, Range: rg}}, ""
			}
			if _, ok := iam.AWSManagedName(arn.V); ok {
				return nil, "the AWS managed policy " + arn.V + " is not in Strider's table"
			}
			name := arn.V[strings.LastIndexByte(arn.V, '/')+1:]
			if t := policyByName[name]; t != nil && t.Facets.IdentityPolicy().Policy.Known() {
				p := t.Facets.IdentityPolicy().Policy
				return []*Grant{{Doc: p.Doc, Policy: p, From: t, Attach: from, Range: rg}}, ""
			}
			return nil, "the managed policy " + arn.V + " is not in the scanned code"
		}
		return nil, ""
	}
	grant := func(p *Principal, gr *Grant) {
		p.Grants = append(p.Grants, gr)
		for i := range gr.Doc.Statements {
			p.stmtGrant[&gr.Doc.Statements[i]] = gr
		}
	}
	addPolicy := func(p *Principal, from *Resource, pol *Policy) {
		if pol == nil {
			return
		}
		if !pol.Known() {
			p.Incomplete = append(p.Incomplete, "a policy of "+from.Addr.String()+" cannot be read")
			return
		}
		if pol.Doc.Unknown {
			p.Incomplete = append(p.Incomplete, "part of a policy of "+from.Addr.String()+" cannot be known")
		}
		grant(p, &Grant{Doc: pol.Doc, Policy: pol, From: from, Range: pol.Range})
	}
	addManaged := func(p *Principal, from *Resource, arns []Value[string], attr string) {
		var refs []*Ref
		for i := range from.Refs {
			if a := from.Refs[i].Attr; a == attr || strings.HasPrefix(a, attr+".") {
				refs = append(refs, &from.Refs[i])
			}
		}
		// Elements known by value are read one by one; the references
		// stand for the unknown ones.
		used := false
		for _, a := range arns {
			if a.State == Unknown {
				if !used && len(refs) > 0 {
					used = true
					gs, why := managedGrants(from, Value[string]{}, refs, a.Range)
					for _, gr := range gs {
						grant(p, gr)
					}
					if why != "" {
						p.Incomplete = append(p.Incomplete, why)
					}
				} else if len(refs) == 0 {
					p.Incomplete = append(p.Incomplete, "a managed policy of "+from.Addr.String()+" cannot be known statically")
				}
				continue
			}
			gs, why := managedGrants(from, a, nil, a.Range)
			for _, gr := range gs {
				grant(p, gr)
			}
			if why != "" {
				p.Incomplete = append(p.Incomplete, why)
			}
		}
	}
	for _, p := range g.principals {
		r := p.Resource
		switch p.Kind {
		case PrincipalRole:
			for _, pol := range r.Facets.Role().Inline {
				addPolicy(p, r, pol)
			}
			addManaged(p, r, r.Facets.Role().ManagedARNs, managedAttr(r))
		case PrincipalUser:
			for _, pol := range r.Facets.User().Inline {
				addPolicy(p, r, pol)
			}
			addManaged(p, r, r.Facets.User().ManagedARNs, managedAttr(r))
		case PrincipalGroup:
			for _, pol := range r.Facets.Group().Inline {
				addPolicy(p, r, pol)
			}
			addManaged(p, r, r.Facets.Group().ManagedARNs, managedAttr(r))
		}
	}
	// Policy and attachment resources.
	for _, r := range g.Resources {
		ip := r.Facets.IdentityPolicy()
		if ip == nil {
			continue
		}
		var targets []*Principal
		for _, l := range ip.Users {
			targets = append(targets, resolve(r, l, PrincipalUser)...)
		}
		for _, l := range ip.Roles {
			targets = append(targets, resolve(r, l, PrincipalRole)...)
		}
		for _, l := range ip.Groups {
			targets = append(targets, resolve(r, l, PrincipalGroup)...)
		}
		if len(targets) == 0 {
			continue
		}
		for _, p := range uniquePrincipals(targets) {
			if ip.Policy != nil {
				addPolicy(p, r, ip.Policy)
				continue
			}
			var refs []*Ref
			if ip.PolicyRef != nil {
				refs = []*Ref{ip.PolicyRef}
			}
			gs, why := managedGrants(r, ip.PolicyARN, refs, ip.PolicyARN.Range)
			for _, gr := range gs {
				grant(p, gr)
			}
			if why != "" {
				p.Incomplete = append(p.Incomplete, why)
			}
		}
	}
	// Group memberships.
	for _, r := range g.Resources {
		gm := r.Facets.GroupMembership()
		if gm == nil {
			continue
		}
		var users, groups []*Principal
		for _, l := range gm.Users {
			users = append(users, resolve(r, l, PrincipalUser)...)
		}
		for _, l := range gm.Groups {
			groups = append(groups, resolve(r, l, PrincipalGroup)...)
		}
		for _, u := range users {
			for _, gp := range groups {
				if !slices.Contains(u.Groups, gp) {
					u.Groups = append(u.Groups, gp)
					gp.Members = append(gp.Members, u)
				}
			}
		}
	}
	for _, p := range g.principals {
		slices.SortFunc(p.Groups, comparePrincipals)
		slices.SortFunc(p.Members, comparePrincipals)
		if p.Kind != PrincipalUser {
			continue
		}
		for _, gp := range p.Groups {
			for _, gr := range gp.Grants {
				c := *gr
				c.Via = gp
				grant(p, &c)
			}
			p.Incomplete = append(p.Incomplete, gp.Incomplete...)
		}
	}
	// Boundaries.
	for _, p := range g.principals {
		var b *PolicyLink
		switch p.Kind {
		case PrincipalRole:
			b = p.Resource.Facets.Role().Boundary
		case PrincipalUser:
			b = p.Resource.Facets.User().Boundary
		}
		if b == nil {
			continue
		}
		var refs []*Ref
		if b.Ref != nil {
			refs = []*Ref{b.Ref}
		}
		gs, why := managedGrants(p.Resource, b.ARN, refs, b.Range)
		switch {
		case len(gs) == 1:
			p.Boundary = gs[0]
		default:
			// A boundary that cannot be read limits in an unknown way:
			// nothing the principal does can be decided.
			p.Boundary = &Grant{Doc: &iam.Document{Unknown: true}, From: p.Resource, Range: b.Range}
			if why == "" {
				why = "the permissions boundary cannot be read"
			}
			p.Incomplete = append(p.Incomplete, why)
		}
	}
	// Access keys.
	for _, r := range g.Resources {
		c := r.Facets.Credential()
		if c == nil || c.Kind != CredentialAccessKey || c.Status.Is("Inactive") {
			continue
		}
		for _, u := range resolve(r, c.User, PrincipalUser) {
			u.Keys = append(u.Keys, r)
		}
	}
	for _, p := range g.principals {
		slices.Sort(p.Incomplete)
		p.Incomplete = slices.Compact(p.Incomplete)
	}
	return nil
}

// managedAttr is the attribute a principal lists managed policies in.
func managedAttr(r *Resource) string {
	if r.Format == CloudFormation {
		return "ManagedPolicyArns"
	}
	return "managed_policy_arns"
}

func comparePrincipals(a, b *Principal) int {
	return cmp.Compare(a.Resource.Key(), b.Resource.Key())
}

func uniquePrincipals(ps []*Principal) []*Principal {
	slices.SortFunc(ps, comparePrincipals)
	return slices.Compact(ps)
}

// principalARN builds the ARN of a user, role or group for matching.
func principalARN(kind, account string, path, name Value[string]) string {
	n := unknownName
	if name.State == Set && name.V != "" {
		n = name.V
	}
	pth := "/"
	if path.State == Set && path.V != "" {
		pth = path.V
	} else if path.State == Unknown {
		pth = "/" + unknownName + "/"
	}
	return "arn:aws:iam::" + account + ":" + kind + pth + n
}

// policyARN builds the ARN of a customer managed policy for matching.
func policyARN(r *Resource) string {
	ip := r.Facets.IdentityPolicy()
	acct := ""
	if r.Account.State == Set {
		acct = r.Account.V
	}
	return principalARN("policy", acct, ip.Path, ip.Name)
}
