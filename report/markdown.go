package report

import (
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// MarkdownOptions tune WriteMarkdown.
type MarkdownOptions struct {
	// Graph is the scanned graph, for the diagram; nil leaves it out.
	Graph *graph.Graph
	// LinkBase is prefixed to repository-relative file names in links
	// ("https://github.com/o/r/blob/<sha>/"); empty gives relative links.
	LinkBase string
	// MaxDiagramNodes caps the diagram, which GitHub stops rendering when
	// it grows too large; 0 means 50.
	MaxDiagramNodes int
	// MaxRows caps each severity's table, so that a summary fits a pull
	// request comment (65,536 characters); 0 means 50.
	MaxRows int
}

// WriteMarkdown writes in as GitHub-flavoured Markdown for
// $GITHUB_STEP_SUMMARY and pull-request comments: a summary line, the
// findings grouped by severity in tables with links to the files, the
// notes and diagnostics, and a Mermaid diagram of the changed part of the
// model (the resources a plan changes, or else the resources with
// findings, with the edges between them and their direct neighbours).
// Attack paths are not in the graph yet, so there is no section for them.
// Findings are rendered as given: callers leave suppressed ones out.
func WriteMarkdown(w io.Writer, in *Input, opts MarkdownOptions) error {
	var b strings.Builder
	b.WriteString("## Strider threat-model scan\n\n")
	b.WriteString(markdownSummary(in) + "\n")
	for _, n := range in.Notes {
		b.WriteString("\n> " + mdText(n) + "\n")
	}
	for sev := rules.Critical; sev >= rules.Low; sev-- {
		var fs []rules.Finding
		for _, f := range in.Findings {
			if f.Rule != nil && f.EffectiveSeverity() == sev {
				fs = append(fs, f)
			}
		}
		if len(fs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s %s (%d)\n\n", severityIcon(sev), titleCase(sev.String()), len(fs))
		b.WriteString("| Rule | Resource | Change | Location | Finding |\n|---|---|---|---|---|\n")
		limit := opts.MaxRows
		if limit <= 0 {
			limit = 50
		}
		more := 0
		if len(fs) > limit {
			fs, more = fs[:limit], len(fs)-limit
		}
		for _, f := range fs {
			change := "—"
			if f.Resource.Change != graph.NoChange {
				change = "`" + string(f.Resource.Change) + "`"
			}
			fmt.Fprintf(&b, "| %s `%s` | `%s` | %s | %s | %s |\n",
				mdCell(f.Rule.Title), f.Rule.ID, mdCode(f.Resource.Addr.String()), change,
				fileLink(findingRange(f), opts.LinkBase), mdCell(nonEmpty(f.Message, f.Rule.Title)))
		}
		if more > 0 {
			fmt.Fprintf(&b, "\n… and %d more %s findings: see the SARIF or JSON report.\n", more, sev)
		}
	}
	writeMarkdownPaths(&b, in, opts)
	if len(in.Diagnostics) > 0 || len(in.Errors) > 0 {
		b.WriteString("\n<details><summary>Diagnostics</summary>\n\n")
		for _, d := range in.Diagnostics {
			fmt.Fprintf(&b, "- **%s** %s: %s\n", d.Severity, fileLink(d.Range, opts.LinkBase), mdText(diagnosticText(d)))
		}
		for _, err := range in.Errors {
			fmt.Fprintf(&b, "- **internal error**: %s\n", mdText(firstLine(err.Error())))
		}
		b.WriteString("\n</details>\n")
	}
	if opts.Graph != nil {
		if d := mermaid(opts.Graph, in.Findings, max(opts.MaxDiagramNodes, 0)); d != "" {
			b.WriteString("\n### Changed part of the model\n\n```mermaid\n" + d + "```\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownSummary(in *Input) string {
	counts := map[rules.Severity]int{}
	for _, f := range in.Findings {
		if f.Rule != nil {
			counts[f.EffectiveSeverity()]++
		}
	}
	if len(in.Findings) == 0 {
		s := fmt.Sprintf("✅ **No findings** in %d files.", len(in.inputFiles()))
		if !in.Successful() {
			s += " ⚠️ Some inputs could not be read: see the diagnostics."
		}
		return s
	}
	var parts []string
	for sev := rules.Critical; sev >= rules.Low; sev-- {
		if counts[sev] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[sev], sev))
		}
	}
	word := "findings"
	if len(in.Findings) == 1 {
		word = "finding"
	}
	s := fmt.Sprintf("**%d %s** (%s) in %d files.", len(in.Findings), word, strings.Join(parts, ", "), len(in.inputFiles()))
	if !in.Successful() {
		s += " ⚠️ Some inputs could not be read: see the diagnostics."
	}
	return s
}

func severityIcon(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "🟥"
	case rules.High:
		return "🟧"
	case rules.Medium:
		return "🟨"
	}
	return "🟦"
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fileLink links file:line; a file outside the repository ("../x") or
// without a name is shown as text, since a link would lead nowhere.
func fileLink(rg graph.Range, base string) string {
	if rg.Filename == "" {
		return "—"
	}
	label := mdCode(rg.String())
	if strings.HasPrefix(rg.Filename, "../") || strings.HasPrefix(rg.Filename, "/") {
		return "`" + label + "`"
	}
	target := (&url.URL{Path: rg.Filename}).String()
	if rg.Start.Line > 0 {
		target += fmt.Sprintf("#L%d", rg.Start.Line)
	}
	return "[`" + label + "`](" + base + target + ")"
}

// mdCell makes text safe inside a table cell: one line, pipes escaped,
// and no HTML or Markdown that could break the table or inject markup.
func mdCell(s string) string { return mdText(strings.ReplaceAll(s, "\n", " ")) }

// mdText escapes the characters that start Markdown or HTML constructs.
func mdText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

// mdCode is text for inside a code span: backticks cannot be escaped
// there, so they are replaced, and pipes would still split a table row.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`, "\n", " ").Replace(s)
}

// mermaid draws the changed resources (or, without a plan, those with
// findings) and their direct neighbours, with the edges between them.
// Node IDs are indexes, labels are quoted addresses, so no address can
// break the syntax.
func mermaid(g *graph.Graph, findings []rules.Finding, limit int) string {
	if limit == 0 {
		limit = 50
	}
	focus := map[*graph.Resource]bool{}
	for _, r := range g.Resources {
		switch r.Change {
		case graph.Create, graph.Update, graph.Replace, graph.Delete:
			focus[r] = true
		}
	}
	if len(focus) == 0 {
		for _, f := range findings {
			if f.Resource != nil {
				focus[f.Resource] = true
			}
		}
	}
	if len(focus) == 0 {
		return ""
	}
	flagged := map[*graph.Resource]bool{}
	for _, f := range findings {
		flagged[f.Resource] = true
	}
	shown := map[*graph.Resource]bool{}
	for r := range focus {
		shown[r] = true
	}
	var edges []graph.Edge
	for _, e := range g.Edges {
		if focus[e.From] || focus[e.To] {
			edges = append(edges, e)
			shown[e.From], shown[e.To] = true, true
		}
	}
	nodes := make([]*graph.Resource, 0, len(shown))
	for _, r := range g.Resources { // graph order: deterministic
		if shown[r] {
			nodes = append(nodes, r)
		}
	}
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	omitted := 0
	if len(nodes) > limit {
		omitted = len(nodes) - limit
		nodes = nodes[:limit]
	}
	id := map[*graph.Resource]string{}
	for i, r := range nodes {
		id[r] = fmt.Sprintf("n%d", i)
		label := r.Addr.String()
		if r.Change != graph.NoChange && r.Change != graph.NoOp {
			label += " (" + string(r.Change) + ")"
		}
		fmt.Fprintf(&b, "  %s[\"%s\"]\n", id[r], mermaidLabel(label))
	}
	for _, e := range edges {
		from, ok1 := id[e.From]
		to, ok2 := id[e.To]
		if ok1 && ok2 {
			fmt.Fprintf(&b, "  %s -->|%s| %s\n", from, e.Kind, to)
		}
	}
	var flaggedIDs, changedIDs []string
	for _, r := range nodes {
		if flagged[r] {
			flaggedIDs = append(flaggedIDs, id[r])
		} else if focus[r] {
			changedIDs = append(changedIDs, id[r])
		}
	}
	if len(flaggedIDs) > 0 {
		b.WriteString("  classDef finding fill:#fdd,stroke:#c00\n  class " + strings.Join(flaggedIDs, ",") + " finding\n")
	}
	if len(changedIDs) > 0 {
		b.WriteString("  classDef changed fill:#ffd,stroke:#aa0\n  class " + strings.Join(changedIDs, ",") + " changed\n")
	}
	if omitted > 0 {
		fmt.Fprintf(&b, "  more[\"… %d more resources\"]\n", omitted)
	}
	return b.String()
}

// mermaidLabel keeps a label inside its quotes: Mermaid reads #quot; as a
// quote character and has no other escape.
func mermaidLabel(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ").Replace(s)
}

// writeMarkdownPaths lists the steps of each attack path, in order.
func writeMarkdownPaths(b *strings.Builder, in *Input, opts MarkdownOptions) {
	first := true
	for _, f := range in.Findings {
		if len(f.Path) == 0 || f.Rule == nil {
			continue
		}
		if first {
			b.WriteString("\n### Attack paths\n")
			first = false
		}
		fmt.Fprintf(b, "\n**%s** `%s` from `%s`\n\n", mdText(f.Rule.Title), f.Rule.ID, mdCode(f.Resource.Addr.String()))
		for i, st := range f.Path {
			fmt.Fprintf(b, "%d. `%s` %s `%s`: %s\n", i+1, st.Technique, fileLink(st.Range, opts.LinkBase), mdCode(st.Address), mdText(st.Message))
		}
	}
}
