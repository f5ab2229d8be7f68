package graph

import (
	"cmp"
	"slices"

	"github.com/strider-sec/strider/graph/iam"
)

// RunsAs: a compute resource runs with the credentials of a role, through
// an instance profile or as its execution, task, node or service role.
const RunsAs EdgeKind = "runs-as"

// Trustees returns who may assume a role, classified from its trust
// policy; nil when the resource is not a role or its trust policy cannot
// be read.
func (g *Graph) Trustees(role *Resource) []iam.Trustee { return g.trust[role] }

// RunsAs returns the roles a compute resource runs as, in address order.
func (g *Graph) RunsAs(r *Resource) []*Resource { return g.runsAs[r] }

// RoleAccount is a role's own account: its ARN's when known, else the
// account it is deployed to; "" when neither is known.
func RoleAccount(r *Resource) string {
	if role := r.Facets.Role(); role != nil && role.ARN.State == Set {
		if id := arnAccount(role.ARN.V); id != "" {
			return id
		}
	}
	return accountOf(r)
}

// identityPass classifies every role's trust and binds roles to the
// compute that runs as them: instance profiles to instances and launch
// templates (and the groups that launch from them), execution roles to
// functions, task roles to ECS tasks, node and service roles to EKS.
func identityPass(g *Graph, _ []*Resource) Diagnostics {
	g.trust = map[*Resource][]iam.Trustee{}
	g.runsAs = map[*Resource][]*Resource{}
	for _, r := range g.Resources {
		if role := r.Facets.Role(); role != nil && role.Trust.Known() {
			g.trust[r] = iam.ClassifyTrust(role.Trust.Doc, RoleAccount(r))
		}
	}
	for _, r := range g.Resources {
		if p := r.Facets.InstanceProfile(); p != nil {
			for i := range p.Roles {
				if t := g.resolveFirst(r, p.Roles[i].Ref, hasRole); t != nil && !slices.Contains(p.Resolved, t) {
					p.Resolved = append(p.Resolved, t)
				}
			}
		}
	}
	bind := func(r, role *Resource, rg Range) {
		if !slices.Contains(g.runsAs[r], role) {
			g.runsAs[r] = append(g.runsAs[r], role)
			g.Edges = append(g.Edges, Edge{From: r, To: role, Kind: RunsAs, Range: rg})
		}
	}
	for _, r := range g.Resources {
		u := r.Facets.RoleUse()
		if u == nil {
			continue
		}
		for _, ref := range u.Refs {
			for _, t := range g.ResolveRef(r, ref) {
				switch {
				case t.Facets.Role() != nil:
					bind(r, t, ref.Range)
					u.Roles = append(u.Roles, t)
				case t.Facets.InstanceProfile() != nil:
					for _, role := range t.Facets.InstanceProfile().Resolved {
						bind(r, role, ref.Range)
						u.Roles = append(u.Roles, role)
					}
				}
			}
		}
	}
	// What uses roles through another user of roles (a service through
	// its task definition) runs as that one's roles.
	for _, r := range g.Resources {
		u := r.Facets.RoleUse()
		if u == nil {
			continue
		}
		for _, ref := range u.Refs {
			for _, t := range g.ResolveRef(r, ref) {
				if t != r && t.Facets.RoleUse() != nil && t.Facets.Role() == nil {
					for _, role := range t.Facets.RoleUse().Roles {
						bind(r, role, ref.Range)
						u.Roles = append(u.Roles, role)
					}
				}
			}
		}
	}
	// Instances and groups take the profile of the template they launch
	// from when they name none themselves.
	for _, r := range g.Resources {
		var tpl *Resource
		switch {
		case r.Facets.IMDS() != nil && r.Facets.IMDS().LaunchTemplate != nil:
			tpl = r.Facets.IMDS().LaunchTemplate.Resolved
		case r.Facets.LaunchGroup() != nil && r.Facets.LaunchGroup().Template != nil:
			tpl = r.Facets.LaunchGroup().Template.Resolved
		}
		if tpl == nil || len(g.runsAs[r]) > 0 {
			continue
		}
		for _, role := range g.runsAs[tpl] {
			bind(r, role, tpl.Range)
		}
	}
	for r := range g.runsAs {
		slices.SortFunc(g.runsAs[r], func(a, b *Resource) int { return cmp.Compare(a.Key(), b.Key()) })
	}
	return nil
}
