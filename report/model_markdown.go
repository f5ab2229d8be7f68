package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/threatmodel"
)

// ModelSchemaVersion versions the JSON of WriteModelJSON: fields may be
// added within a version, never removed or renamed.
const ModelSchemaVersion = "1"

// WriteModelJSON writes the model as JSON: the threatmodel.Model with a
// schema version.
func WriteModelJSON(w io.Writer, m *threatmodel.Model) error {
	doc := struct {
		SchemaVersion string `json:"schema_version"`
		*threatmodel.Model
	}{ModelSchemaVersion, m}
	return writeJSON(w, doc, true)
}

// mermaidMaxText is the largest diagram embedded in the document: Mermaid
// refuses text over 50,000 characters by default, and GitHub keeps the
// default.
const mermaidMaxText = 50000

// ModelMarkdownOptions tune the Markdown document.
type ModelMarkdownOptions struct {
	// LinkBase, when set, turns file:line into links (a GitHub blob URL
	// ending in "/").
	LinkBase string
}

// WriteModelMarkdown writes the threat model as a document a team
// commits next to its code: a summary of the system, the data-flow
// diagram in Mermaid, the trust zones, the element inventory, the data
// flows, and the threats ranked by risk with their mitigations and the
// place in the code each comes from.
func WriteModelMarkdown(w io.Writer, m *threatmodel.Model, opts ModelMarkdownOptions) error {
	var b strings.Builder
	link := func(file string, line int) string {
		if file == "" {
			return "—"
		}
		return fileLink(graph.Range{Filename: file, Start: graph.PosAt(line, 0)}, opts.LinkBase)
	}
	zoneName := func(id string) string {
		if z := m.Zone(id); z != nil {
			return z.Name
		}
		return id
	}
	elemName := func(id string) string {
		if e := m.Element(id); e != nil {
			return e.Name
		}
		return id
	}

	fmt.Fprintf(&b, "# Threat model: %s\n\n", mdText(m.Title))
	switch len(m.Sources) {
	case 0:
		b.WriteString("Inferred by Strider, which found no input to read.")
	case 1:
		fmt.Fprintf(&b, "Inferred by Strider from %s.", mdText(m.Sources[0]))
	default:
		fmt.Fprintf(&b, "Inferred by Strider from %d inputs: %s.", len(m.Sources), mdText(strings.Join(m.Sources, ", ")))
	}
	b.WriteString(" Regenerate it with `strider model --format markdown`; edit the code, not this file.\n\n")

	b.WriteString("## System summary\n\n")
	counts := map[string]int{}
	for _, z := range m.Zones {
		counts[z.Kind]++
	}
	var zparts []string
	for _, k := range []string{"organization", "ou", "account", "vpc", "subnet", "security-group"} {
		if counts[k] > 0 {
			zparts = append(zparts, fmt.Sprintf("%d %s", counts[k], zoneKindWord(k, counts[k])))
		}
	}
	kinds := map[mappings.ElementKind]int{}
	var exposed []string
	for _, e := range m.Elements {
		kinds[e.Kind]++
		if e.Exposed {
			exposed = append(exposed, "`"+mdCode(e.Name)+"`")
		}
	}
	crossing := 0
	for _, f := range m.Flows {
		if f.Crossing() {
			crossing++
		}
	}
	sev := map[rules.Severity]int{}
	specific := 0
	for _, t := range m.Threats {
		sev[t.Severity]++
		if !t.Generic() {
			specific++
		}
	}
	if len(zparts) == 0 {
		b.WriteString("- **Trust zones:** the internet only.\n")
	} else {
		fmt.Fprintf(&b, "- **Trust zones:** %s, and the internet.\n", strings.Join(zparts, ", "))
	}
	fmt.Fprintf(&b, "- **Elements:** %d processes, %d data stores, %d external entities.\n",
		kinds[mappings.Process], kinds[mappings.DataStore], kinds[mappings.ExternalEntity])
	fmt.Fprintf(&b, "- **Data flows:** %d, of which %d cross a trust boundary.\n", len(m.Flows), crossing)
	if len(exposed) > 0 {
		fmt.Fprintf(&b, "- **Reached from the internet:** %s.\n", strings.Join(exposed, ", "))
	}
	fmt.Fprintf(&b, "- **Threats:** %d (%d found by rules, %d from STRIDE per element): %d critical, %d high, %d medium, %d low.\n\n",
		len(m.Threats), specific, len(m.Threats)-specific, sev[rules.Critical], sev[rules.High], sev[rules.Medium], sev[rules.Low])

	b.WriteString("## Data-flow diagram\n\n")
	if diagram := mermaidModel(m); len(diagram) <= mermaidMaxText {
		b.WriteString("Flows in red cross a trust boundary; elements outlined in red are reached from the internet.\n\n```mermaid\n")
		b.WriteString(diagram)
		b.WriteString("```\n\n")
	} else {
		fmt.Fprintf(&b, "The diagram (%d characters) is larger than GitHub's Mermaid renderer accepts; draw it with `strider model --format dot | dot -Tsvg`, or open `--format threatdragon` in Threat Dragon.\n\n", len(diagram))
	}

	if len(m.Omitted) > 0 {
		b.WriteString("Left out of the diagram and the flows, as too many to draw one by one:\n\n")
		for _, o := range m.Omitted {
			fmt.Fprintf(&b, "- %s\n", mdCell(o))
		}
		b.WriteString("\n")
	}

	b.WriteString("## Trust zones\n\n| Zone | Kind | Inside | Trust | Notes |\n|---|---|---|---|---|\n")
	for _, z := range m.Zones {
		inside := "—"
		if z.Parent != "" {
			inside = mdCell(zoneName(z.Parent))
		}
		notes := z.Description
		if len(z.SCPs) > 0 {
			notes += " SCPs: " + strings.Join(z.SCPs, ", ") + "."
		}
		if len(z.Ingress) > 0 {
			notes += " Admits " + strings.Join(z.Ingress, "; ") + "."
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %s |\n", mdCell(z.Name), z.Kind, inside, z.TrustRating, mdCell(strings.TrimSpace(notes)))
	}

	b.WriteString("\n## Elements\n\n| Element | DFD | Type | Zone | Declared at | Threats |\n|---|---|---|---|---|---|\n")
	for _, e := range m.Elements {
		name := "`" + mdCode(e.Name) + "`"
		if e.Exposed {
			name += " (internet)"
		}
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s | %d |\n", name, e.KindName, mdCode(e.Type), mdCell(zoneName(e.Zone)), link(e.File, e.Line), len(e.Threats))
	}

	b.WriteString("\n## Data flows\n\n| From | To | Carries | Crosses | Made at |\n|---|---|---|---|---|\n")
	for _, f := range m.Flows {
		var crosses []string
		for _, id := range f.Crosses {
			crosses = append(crosses, zoneName(id))
		}
		c := "—"
		if len(crosses) > 0 {
			c = mdCell(strings.Join(crosses, "; "))
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s |\n", mdCode(elemName(f.From)), mdCode(elemName(f.To)), mdCell(f.Label), c, link(f.File, f.Line))
	}

	b.WriteString("\n## Threats\n\nRanked by risk (likelihood × impact). Findings of rules come first: they are specific to this code; the generic threats of STRIDE per element follow, for review.\n\n")
	b.WriteString("| Risk | Severity | STRIDE | Threat | On | Where | Mitigation |\n|---|---|---|---|---|---|---|\n")
	for _, t := range m.Threats {
		var cats []string
		for _, c := range t.Categories {
			cats = append(cats, c.Letter())
		}
		on := "—"
		switch {
		case t.OnFlow:
			if f := m.Flow(t.Target); f != nil {
				on = "flow `" + mdCode(elemName(f.From)) + "` → `" + mdCode(elemName(f.To)) + "`"
			}
		case t.Target != "":
			on = "`" + mdCode(elemName(t.Target)) + "`"
		case t.Zone != "":
			on = "zone " + mdCell(zoneName(t.Zone))
		}
		title := mdCell(t.Title)
		if t.Rule != "" {
			title = fmt.Sprintf("**%s** (%s", title, t.Rule)
			if len(t.ATTACK) > 0 {
				title += "; ATT&CK " + strings.Join(t.ATTACK, ", ")
			}
			title += "): " + mdCell(t.Description)
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s |\n", t.Risk, t.Severity, strings.Join(cats, ""), title, on, link(t.File, t.Line), "`"+t.Mitigation+"`")
	}

	b.WriteString("\n## Mitigations\n\n")
	for _, x := range m.Mitigations {
		fmt.Fprintf(&b, "- **`%s`** %s: %s\n", x.ID, mdCell(x.Title), strings.Join(strings.Fields(x.Description), " "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func zoneKindWord(k string, n int) string {
	w := map[string]string{"organization": "organization", "ou": "OU", "account": "account", "vpc": "VPC",
		"subnet": "subnet", "security-group": "security group"}[k]
	if n != 1 {
		w += "s"
	}
	return w
}
