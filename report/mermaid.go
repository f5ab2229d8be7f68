package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/threatmodel"
)

// WriteMermaid writes the model's data-flow diagram as a Mermaid
// flowchart, which GitHub renders in Markdown: a subgraph per trust zone,
// nested as the zones are; external entities as rectangles, processes as
// circles, stores as cylinders; flows labelled with what they carry, and
// those that cross a trust boundary drawn thick and red. A zone that
// holds nothing gets a note, so that every account and OU is drawn.
func WriteMermaid(w io.Writer, m *threatmodel.Model) error {
	_, err := io.WriteString(w, mermaidModel(m))
	return err
}

// mermaidID makes an identifier Mermaid accepts everywhere: letters,
// digits and underscores, with a prefix so that no ID is a keyword
// ("end", "graph", "subgraph").
func mermaidID(prefix, id string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, c := range id {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// mermaidText keeps text inside a quoted Mermaid label: quotes and angle
// brackets become entity codes, and "#", which starts one, too.
func mermaidText(s string) string {
	return strings.NewReplacer("#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ", "\r", " ").Replace(s)
}

func mermaidModel(m *threatmodel.Model) string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	nonEmpty := map[string]bool{} // zones with an element inside
	for _, e := range m.Elements {
		for z := m.Zone(e.Zone); z != nil; z = m.Zone(z.Parent) {
			nonEmpty[z.ID] = true
		}
	}
	var zone func(z *threatmodel.Zone, indent string)
	node := func(e *threatmodel.Element, indent string) {
		id, label := mermaidID("n_", e.ID), mermaidText(e.Name)
		switch e.Kind {
		case mappings.Process:
			fmt.Fprintf(&b, "%s%s((\"%s\"))\n", indent, id, label)
		case mappings.DataStore:
			fmt.Fprintf(&b, "%s%s[(\"%s\")]\n", indent, id, label)
		default:
			fmt.Fprintf(&b, "%s%s[\"%s\"]\n", indent, id, label)
		}
	}
	var empty []string
	zone = func(z *threatmodel.Zone, indent string) {
		if !z.Container {
			return
		}
		fmt.Fprintf(&b, "%ssubgraph %s[\"%s\"]\n", indent, mermaidID("z_", z.ID), mermaidText(z.Name))
		if !nonEmpty[z.ID] && len(containers(m, z.ID)) == 0 {
			// An account or OU the code names but deploys nothing to is
			// still a zone; the note keeps its box drawn.
			id := mermaidID("e_", z.ID)
			fmt.Fprintf(&b, "%s  %s[\"no element in the code\"]\n", indent, id)
			empty = append(empty, id)
		}
		for _, e := range m.Members(z.ID) {
			node(e, indent+"  ")
		}
		for _, c := range m.Children(z.ID) {
			zone(c, indent+"  ")
		}
		fmt.Fprintf(&b, "%send\n", indent)
	}
	for _, z := range m.Children("") {
		zone(z, "  ")
	}
	var crossing []string
	for i, f := range m.Flows {
		fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", mermaidID("n_", f.From), mermaidText(f.Label), mermaidID("n_", f.To))
		if f.Crossing() {
			crossing = append(crossing, strconv.Itoa(i))
		}
	}
	classes := map[string][]string{}
	for _, e := range m.Elements {
		c := "process"
		switch e.Kind {
		case mappings.ExternalEntity:
			c = "external"
		case mappings.DataStore:
			c = "store"
		}
		if e.Exposed {
			c += "Exposed"
		}
		classes[c] = append(classes[c], mermaidID("n_", e.ID))
	}
	b.WriteString("  classDef note fill:none,stroke:none,color:#6b7280\n")
	b.WriteString("  classDef external fill:#f3f4f6,stroke:#4b5563\n")
	b.WriteString("  classDef process fill:#e0ecff,stroke:#1d4ed8\n")
	b.WriteString("  classDef store fill:#fef3c7,stroke:#b45309\n")
	b.WriteString("  classDef externalExposed fill:#f3f4f6,stroke:#dc2626,stroke-width:3px\n")
	b.WriteString("  classDef processExposed fill:#e0ecff,stroke:#dc2626,stroke-width:3px\n")
	b.WriteString("  classDef storeExposed fill:#fef3c7,stroke:#dc2626,stroke-width:3px\n")
	if len(empty) > 0 {
		fmt.Fprintf(&b, "  class %s note\n", strings.Join(empty, ","))
	}
	for _, c := range []string{"external", "process", "store", "externalExposed", "processExposed", "storeExposed"} {
		if ids := classes[c]; len(ids) > 0 {
			fmt.Fprintf(&b, "  class %s %s\n", strings.Join(ids, ","), c)
		}
	}
	if len(crossing) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:#dc2626,stroke-width:2px\n", strings.Join(crossing, ","))
	}
	return b.String()
}

// containers returns the container zones directly inside zone id.
func containers(m *threatmodel.Model, id string) []*threatmodel.Zone {
	var out []*threatmodel.Zone
	for _, c := range m.Children(id) {
		if c.Container {
			out = append(out, c)
		}
	}
	return out
}
