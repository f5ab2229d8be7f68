package graph

import "fmt"

// imdsPass links instances to their launch templates and decides, for
// every resource with an IMDS facet, whether IMDSv1 is reachable, taking
// account-level defaults in the tree into account.
func imdsPass(g *Graph, _ []*Resource) Diagnostics {
	def := accountDefault(g)
	byName := map[string][]*Resource{}
	for _, r := range g.Resources {
		if m := r.Facets.IMDS; m != nil && m.TemplateName.State == Set {
			byName[m.TemplateName.V] = append(byName[m.TemplateName.V], r)
		}
	}
	for _, r := range g.Resources {
		m := r.Facets.IMDS
		if m == nil || m.LaunchTemplate == nil {
			continue
		}
		if t := resolveTemplate(g, r, m.LaunchTemplate, byName); t != nil {
			m.LaunchTemplate.Resolved = t
			g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: LaunchesFrom, Range: m.LaunchTemplate.Range})
		}
	}
	for _, r := range g.Resources {
		if m := r.Facets.IMDS; m != nil {
			m.Effective = effectiveIMDS(r, m, def)
		}
	}
	return nil
}

func resolveTemplate(g *Graph, from *Resource, l *TemplateLink, byName map[string][]*Resource) *Resource {
	if l.Ref != nil {
		for _, t := range g.ResolveRef(from, *l.Ref) {
			if t.Facets.IMDS != nil {
				return t
			}
		}
	}
	if l.Name.State == Set {
		if ts := byName[l.Name.V]; len(ts) == 1 {
			return ts[0]
		}
	}
	return nil
}

// defaultDecision is what the account-level defaults in the tree say
// about tokens for instances that do not choose.
type defaultDecision struct {
	status IMDSStatus // IMDSv2Only, IMDSv1Reachable, IMDSUndetermined; zero value with via==nil means no default
	via    *Resource
}

func accountDefault(g *Graph) defaultDecision {
	var d defaultDecision
	for _, r := range g.Resources {
		f := r.Facets.IMDSDefaults
		if f == nil {
			continue
		}
		var s IMDSStatus
		switch {
		case f.Endpoint.Is(EndpointDisabled):
			s = IMDSOff
		case f.Tokens.Is(TokensRequired):
			s = IMDSv2Only
		case f.Tokens.Is(TokensOptional):
			s = IMDSv1Reachable
		case f.Tokens.State == Unknown:
			s = IMDSUndetermined
		default: // absent or no-preference: this default does not decide
			continue
		}
		if d.via == nil {
			d = defaultDecision{status: s, via: r}
		} else if d.status != s {
			// Two defaults disagree (accounts or regions we cannot tell
			// apart yet): no instance can rely on either.
			d.status = IMDSUndetermined
		}
	}
	return d
}

func effectiveIMDS(r *Resource, m *IMDS, def defaultDecision) IMDSEffective {
	if m.Endpoint.Is(EndpointDisabled) {
		return IMDSEffective{Status: IMDSOff, Range: m.Endpoint.Range, Reason: "the metadata endpoint is disabled"}
	}
	switch m.Tokens.State {
	case Set:
		if m.Tokens.V == TokensRequired {
			return IMDSEffective{Status: IMDSv2Only, Range: m.Tokens.Range, Reason: "tokens are required"}
		}
		return IMDSEffective{Status: IMDSv1Reachable, Range: m.Tokens.Range,
			Reason: fmt.Sprintf("%s is %q", m.TokensName, m.Tokens.V)}
	case Unknown:
		return IMDSEffective{Status: IMDSUndetermined, Range: m.Tokens.Range, Reason: m.TokensName + " is not known before apply"}
	}
	if l := m.LaunchTemplate; l != nil {
		if l.Resolved != nil {
			return IMDSEffective{Status: IMDSInherited, Range: l.Range, Via: l.Resolved,
				Reason: "metadata options come from launch template " + l.Resolved.Addr.String()}
		}
		return IMDSEffective{Status: IMDSUndetermined, Range: l.Range, Reason: "the launch template is outside the scanned code"}
	}
	if def.via != nil {
		switch def.status {
		case IMDSv2Only, IMDSOff:
			return IMDSEffective{Status: def.status, Range: m.Block, Via: def.via,
				Reason: "the account default " + def.via.Addr.String() + " applies"}
		case IMDSUndetermined:
			return IMDSEffective{Status: IMDSUndetermined, Range: m.Block, Via: def.via,
				Reason: "the account default cannot be determined"}
		}
	}
	reason := m.TokensName + " is not set and defaults to \"optional\""
	if !m.BlockSet {
		reason = "no metadata options are set, so tokens default to \"optional\""
	}
	return IMDSEffective{Status: IMDSv1Reachable, Range: m.Block, Reason: reason}
}
