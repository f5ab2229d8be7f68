package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

func renderMarkdown(t *testing.T, in *Input, opts MarkdownOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, in, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMarkdownSummary(t *testing.T) {
	out := renderMarkdown(t, emptyInput(), MarkdownOptions{})
	if !strings.Contains(out, "**No findings**") || strings.Contains(out, "mermaid") {
		t.Errorf("empty report:\n%s", out)
	}
	in := findingsInput()
	in.Notes = []string{"2 findings already in the baseline not reported"}
	out = renderMarkdown(t, in, MarkdownOptions{LinkBase: "https://github.com/o/r/blob/abc/"})
	for _, want := range []string{
		"### 🟥 Critical", "### 🟨 Medium",
		"> 2 findings already in the baseline not reported",
		"(https://github.com/o/r/blob/abc/infra/modules/web%20app/main.tf#L5)", // encoded, with the line
		"`create`", // plan change action
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if has := strings.Contains(out, "<details><summary>Diagnostics"); has != (len(in.Diagnostics) > 0) {
		t.Errorf("diagnostics section present %v for %d diagnostics", has, len(in.Diagnostics))
	}
	out = renderMarkdown(t, diagnosticInput(), MarkdownOptions{})
	if !strings.Contains(out, "<details><summary>Diagnostics") || !strings.Contains(out, "Some inputs could not be read") {
		t.Errorf("diagnostics not shown:\n%s", out)
	}
}

// Text from the scanned code cannot break a table row or inject markup.
func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"a | b":            `a \| b`,
		"<img src=x>":      "&lt;img src=x&gt;",
		"line\nbreak":      "line break",
		"[link](http://x)": `\[link\](http://x)`,
		"`code` *em* _u_":  "\\`code\\` \\*em\\* \\_u\\_",
	} {
		if got := mdCell(in); got != want {
			t.Errorf("mdCell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdCode("a`b|c"); got != `a'b\|c` {
		t.Errorf("mdCode = %q", got)
	}
	if got := mermaidLabel(`m["a"]`); got != "m[#quot;a#quot;]" {
		t.Errorf("mermaidLabel = %q", got)
	}
	if got := fileLink(graph.Range{Filename: "../outside.tf", Start: graph.Pos{Line: 3}}, ""); strings.Contains(got, "](") {
		t.Errorf("link to a file outside the repository: %s", got)
	}
}

func TestMarkdownLimits(t *testing.T) {
	in := findingsInput()
	r := &rules.Rule{ID: "SDR-X-001", Title: "t", Severity: rules.Low}
	in.Rules = append(in.Rules, r)
	res := &graph.Resource{Addr: graph.Address{Type: "aws_instance", Name: "n"}, Range: rng("a.tf", 1, 1, 1, 2), Change: graph.Create}
	g := &graph.Graph{}
	for range 7 {
		in.Findings = append(in.Findings, rules.Finding{Rule: r, Resource: res, Range: res.Range, Message: "m"})
	}
	for i := range 5 {
		g.Resources = append(g.Resources, &graph.Resource{Addr: graph.Address{Type: "t", Name: string(rune('a' + i))}, Change: graph.Update})
	}
	lows := 0
	for _, f := range in.Findings {
		if f.Rule.Severity == rules.Low {
			lows++
		}
	}
	out := renderMarkdown(t, in, MarkdownOptions{MaxRows: 3, Graph: g, MaxDiagramNodes: 2})
	if !strings.Contains(out, fmt.Sprintf("… and %d more low findings", lows-3)) {
		t.Errorf("rows not capped:\n%s", out)
	}
	if !strings.Contains(out, "… 3 more resources") || strings.Contains(out, "n2[") {
		t.Errorf("diagram not capped:\n%s", out)
	}
}
