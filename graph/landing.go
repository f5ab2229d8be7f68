package graph

// Landing-zone questions over accounts: which account holds the
// organization, and whether a resource lives there. Resource.Account is
// filled before the graph is built (the provider's assume_role, the
// scanner's account conventions, StackSet targets).

// Management is the management account as the scanned code shows it: the
// account of the resource that creates the organization.
type Management struct {
	// Org is the resource that creates the organization
	// (aws_organizations_organization, AWS::Organizations::Organization).
	Org *Resource
	// Account is the management account's ID when Org's provider or a
	// convention says.
	Account Value[string]
	// Stacks are the roots that create the organization: what else they
	// create lives in the management account unless its provider says
	// otherwise.
	Stacks map[string]bool
}

// Management finds the management account; ok is false when the code
// creates no organization, or more than one.
func (g *Graph) Management() (m Management, ok bool) {
	m.Stacks = map[string]bool{}
	for _, r := range g.Resources {
		if a := r.Facets.Account(); a != nil && a.Kind == "organization" && r.Addr.Mode == Managed {
			if m.Org != nil {
				return Management{}, false
			}
			m.Org, m.Account = r, r.Account
			m.Stacks[r.Addr.Stack] = true
		}
	}
	return m, m.Org != nil
}

// Holds reports whether r lives in the management account: the same
// account ID when both are known, else the same root as the organization
// when r's own account is not stated. A resource whose provider names an
// account while the management account's ID is unknown is not counted,
// nor one of the organization's root managed by another provider
// configuration: which account it is cannot be told.
func (m Management) Holds(r *Resource) bool {
	switch {
	case m.Org == nil:
		return false
	case r.Account.State == Set && m.Account.State == Set:
		return r.Account.V == m.Account.V
	case r.Account.State == Set:
		return false
	}
	return m.Stacks[r.Addr.Stack] && r.Provider == m.Org.Provider
}
