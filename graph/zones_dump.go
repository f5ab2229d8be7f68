package graph

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// DumpBoundaries renders what the boundary passes computed: every zone
// with its parent, classification and members, every role's trustees and
// every compute's roles, then the flows with the zones they cross.
// Golden tests of the zones, identity and flows passes compare against it.
func (g *Graph) DumpBoundaries() string {
	var b strings.Builder
	for _, z := range g.zones {
		fmt.Fprintf(&b, "zone %s kind=%s name=%q", z.ID, z.Kind, z.Name)
		if z.Parent != nil {
			fmt.Fprintf(&b, " parent=%s", z.Parent.ID)
		}
		if z.External {
			b.WriteString(" external")
		}
		if z.Kind == ZoneSubnet {
			fmt.Fprintf(&b, " public=%s reason=%q", dumpValue(z.Public), z.Reason)
		}
		if len(z.SCPs) > 0 {
			var scps []string
			for _, s := range z.SCPs {
				scps = append(scps, s.Addr.String())
			}
			fmt.Fprintf(&b, " scps=%s", strings.Join(scps, ","))
		}
		b.WriteByte('\n')
		if z.Kind == ZoneSecurityGroup {
			for _, in := range z.Resource.Facets.SecurityGroup().Ingress {
				fmt.Fprintf(&b, "  ingress %s\n", in.Describe())
			}
		}
		for _, m := range z.Members {
			fmt.Fprintf(&b, "  member %s\n", m.Key())
		}
	}
	for _, r := range g.Resources {
		for _, t := range g.trust[r] {
			fmt.Fprintf(&b, "trust %s %s principal=%q", r.Key(), t.Kind, t.Principal)
			if t.Kind == iam.TrustAccount {
				fmt.Fprintf(&b, " account=%s same=%s", t.Account, t.Same)
			}
			if t.Provider != "" || len(t.Subject)+len(t.Audience) > 0 {
				fmt.Fprintf(&b, " provider=%s sub=%d aud=%d", t.Provider, len(t.Subject), len(t.Audience))
			}
			if t.ExternalID {
				b.WriteString(" external-id")
			}
			if t.OrgID {
				b.WriteString(" org-id")
			}
			fmt.Fprintf(&b, " actions=%s\n", strings.Join(t.Actions, ","))
		}
		for _, role := range g.runsAs[r] {
			fmt.Fprintf(&b, "runs-as %s %s\n", r.Key(), role.Key())
		}
	}
	for _, f := range g.flows {
		fmt.Fprintf(&b, "flow %s -%s-> %s [%s]", f.From, f.Kind, f.To, f.Label())
		if len(f.Crosses) > 0 {
			var ids []string
			for _, z := range f.Crosses {
				ids = append(ids, z.ID)
			}
			fmt.Fprintf(&b, " crosses=%s", strings.Join(ids, ","))
		}
		fmt.Fprintf(&b, " at=%s\n", f.Range)
	}
	for _, d := range g.omitted {
		fmt.Fprintf(&b, "omitted %s\n", d)
	}
	return b.String()
}
