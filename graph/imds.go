package graph

import "fmt"

// imdsPass links instances to their launch templates and decides, for
// every resource with an IMDS facet, whether IMDSv1 is reachable, taking
// account-level defaults in the tree into account.
func imdsPass(g *Graph, _ []*Resource) Diagnostics {
	def := accountDefault(g)
	byName := map[string][]*Resource{}
	for _, r := range g.Resources {
		if m := r.Facets.IMDS(); m != nil && m.TemplateName.State == Set {
			byName[m.TemplateName.V] = append(byName[m.TemplateName.V], r)
		}
	}
	for _, r := range g.Resources {
		m := r.Facets.IMDS()
		if m == nil || m.LaunchTemplate == nil {
			continue
		}
		if t := resolveTemplate(g, r, m.LaunchTemplate, byName); t != nil {
			m.LaunchTemplate.Resolved = t
			g.Edges = append(g.Edges, Edge{From: r, To: t, Kind: LaunchesFrom, Range: m.LaunchTemplate.Range})
		}
	}
	for _, r := range g.Resources {
		m := r.Facets.IMDS()
		if m == nil || m.Image == nil || m.Image.Ref == nil {
			continue
		}
		for _, t := range g.ResolveRef(r, *m.Image.Ref) {
			if t.Facets.ImageSource() != nil {
				m.Image.Resolved = t
				break
			}
		}
	}
	for _, r := range g.Resources {
		if m := r.Facets.IMDS(); m != nil {
			m.Effective = effectiveIMDS(r, m, def)
		}
	}
	return nil
}

// al2023Names are how Amazon publishes Amazon Linux 2023: its AMI names
// and the public SSM parameters that hold their IDs. AL2023 AMIs are
// registered with ImdsSupport v2.0, so instances launched from them
// require IMDSv2 unless their metadata options say otherwise.
var al2023Names = []string{"al2023-ami-", "/aws/service/ami-amazon-linux-latest/al2023-ami-"}

// amazonOwners are the owners under which Amazon publishes its images.
var amazonOwners = map[string]bool{"amazon": true, "137112412989": true}

// requiresIMDSv2 reports whether the image a data source finds requires
// IMDSv2 by default: the image says so (a plan knows imds_support), or
// every name it may match is an Amazon Linux 2023 image published by
// Amazon. A name or owner that cannot be known decides nothing.
func requiresIMDSv2(s *ImageSource) bool {
	if s.IMDSSupport.State == Set {
		return s.IMDSSupport.V == "v2.0"
	}
	if len(s.Names) == 0 {
		return false
	}
	for _, n := range s.Names {
		if n.State != Set || !hasAnyPrefix(n.V, al2023Names) {
			return false
		}
	}
	if s.SSM {
		// Parameters under /aws/service/ are Amazon's own.
		return true
	}
	if len(s.Owners) == 0 {
		return false
	}
	for _, o := range s.Owners {
		if o.State != Set || !amazonOwners[o.V] {
			return false
		}
	}
	return true
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if len(s) >= len(p) && s[:len(p)] == p {
			return true
		}
	}
	return false
}

func resolveTemplate(g *Graph, from *Resource, l *TemplateLink, byName map[string][]*Resource) *Resource {
	if l.Ref != nil {
		for _, t := range g.ResolveRef(from, *l.Ref) {
			if t.Facets.IMDS() != nil {
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
		f := r.Facets.IMDSDefaults()
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
	// An image registered with ImdsSupport v2.0 makes tokens required,
	// unless an account default says otherwise (it takes precedence).
	if img := m.Image; def.via == nil && img != nil && img.ImageSource() != nil && requiresIMDSv2(img.ImageSource()) {
		what := "the image"
		if img.Resolved != nil {
			what += " " + img.Resolved.Addr.String()
		}
		return IMDSEffective{Status: IMDSv2Only, Range: img.Range, Via: img.Resolved,
			Reason: what + " (Amazon Linux 2023) requires tokens by default"}
	}
	reason := m.TokensName + " is not set and defaults to \"optional\""
	if !m.BlockSet {
		reason = "no metadata options are set, so tokens default to \"optional\""
	}
	return IMDSEffective{Status: IMDSv1Reachable, Range: m.Block, Reason: reason}
}
