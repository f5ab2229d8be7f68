package graph

import (
	"fmt"
	"strings"
)

// Dump renders the graph as text, one resource a line followed by its
// facets, then the edges. Golden tests of the passes compare against it,
// so it shows what passes compute and nothing that varies between runs.
func (g *Graph) Dump() string {
	var b strings.Builder
	for _, r := range g.Resources {
		fmt.Fprintf(&b, "%s %s %s", r.Key(), r.Format, r.Range)
		if r.Change != NoChange {
			fmt.Fprintf(&b, " change=%s", r.Change)
		}
		// Shown only when the input tells region or account, so dumps of
		// inputs that do not know them stay as they were.
		if r.Region.State == Set || r.Account.State == Set {
			fmt.Fprintf(&b, " provider=%s region=%s account=%s", r.Provider, dumpValue(r.Region), dumpValue(r.Account))
		}
		b.WriteByte('\n')
		if m := r.Facets.IMDS(); m != nil {
			fmt.Fprintf(&b, "  imds tokens=%s endpoint=%s block=%v effective=%s",
				dumpValue(m.Tokens), dumpValue(m.Endpoint), m.BlockSet, m.Effective.Status)
			if m.Effective.Via != nil {
				fmt.Fprintf(&b, " via=%s", m.Effective.Via.Addr)
			}
			fmt.Fprintf(&b, " at=%s\n", m.Effective.Range)
		}
		if sg := r.Facets.SecurityGroup(); sg != nil {
			dumpSecurityGroup(&b, r, sg)
		}
		if d := r.Facets.IMDSDefaults(); d != nil {
			fmt.Fprintf(&b, "  imds-defaults tokens=%s endpoint=%s\n", dumpValue(d.Tokens), dumpValue(d.Endpoint))
		}
		dumpIAM(&b, r)
		dumpOrg(&b, r)
		dumpPrincipal(&b, g, r)
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "%s -%s-> %s\n", e.From.Key(), e.Kind, e.To.Key())
	}
	return b.String()
}

func dumpValue[T comparable](v Value[T]) string {
	switch v.State {
	case Set:
		return fmt.Sprint(v.V)
	case Unknown:
		return "(unknown)"
	}
	return "(absent)"
}
