package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/threatmodel"
)

// WriteModelDOT writes the model's data-flow diagram for Graphviz: a
// cluster per container zone, nested; external entities as boxes,
// processes as ellipses, stores as cylinders; flows that cross a trust
// boundary in red.
func WriteModelDOT(w io.Writer, m *threatmodel.Model) error {
	var b strings.Builder
	b.WriteString("digraph threatmodel {\n  rankdir=LR;\n  compound=true;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n")
	var zone func(z *threatmodel.Zone, indent string)
	zone = func(z *threatmodel.Zone, indent string) {
		if !z.Container {
			return
		}
		fmt.Fprintf(&b, "%ssubgraph %s {\n%s  label=%s;\n%s  style=dashed;\n", indent, dotQuote("cluster_"+z.ID), indent, dotQuote(z.Name), indent)
		for _, e := range m.Members(z.ID) {
			shape := "ellipse"
			switch e.Kind {
			case mappings.ExternalEntity:
				shape = "box"
			case mappings.DataStore:
				shape = "cylinder"
			}
			color := "black"
			if e.Exposed {
				color = "red"
			}
			fmt.Fprintf(&b, "%s  %s [label=%s, shape=%s, color=%s];\n", indent, dotQuote(e.ID), dotQuote(e.Name), shape, color)
		}
		for _, c := range m.Children(z.ID) {
			zone(c, indent+"  ")
		}
		fmt.Fprintf(&b, "%s}\n", indent)
	}
	for _, z := range m.Children("") {
		zone(z, "  ")
	}
	for _, f := range m.Flows {
		attrs := "label=" + dotQuote(f.Label)
		if f.Crossing() {
			attrs += ", color=red, penwidth=2"
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", dotQuote(f.From), dotQuote(f.To), attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
