package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// TableOptions control the terminal rendering.
type TableOptions struct {
	// Color adds ANSI colors; the caller decides (a TTY, NO_COLOR), since
	// only cmd/ knows where the output goes.
	Color bool
	// Width wraps text to this many columns when > 0. Words longer than
	// the width (paths, addresses) are not broken.
	Width int
}

// indent is the left margin of every line under a finding's heading.
const indent = "  "

// ANSI styles; the table uses few so that it stays legible on any theme.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiRed     = "\x1b[31m"
	ansiYellow  = "\x1b[33m"
	ansiBoldRed = "\x1b[1;31m"
	ansiMagenta = "\x1b[1;35m"
	ansiCyan    = "\x1b[36m"
)

// WriteTable writes in for a person at a terminal: one block per finding
// in the given order (severity, rule and title; place and resource; the
// message; a one-line fix), then diagnostics and internal errors, then a
// one-line summary. Unlike the machine formats it renders whatever it is
// given, so that a broken input still shows something.
func WriteTable(w io.Writer, in *Input, opts TableOptions) error {
	t := &table{opts: opts}
	for i, f := range in.Findings {
		if i > 0 {
			t.blank()
		}
		t.finding(f)
	}
	if len(in.Diagnostics) > 0 {
		t.section("Diagnostics:")
		for _, d := range in.Diagnostics {
			t.diagnostic(d)
		}
	}
	if len(in.Errors) > 0 {
		t.section("Errors:")
		for _, err := range in.Errors {
			label := t.style(ansiRed, "error:")
			t.wrapped(indent, indent+indent, "error: "+firstLine(err.Error()), "error:", label)
		}
	}
	if len(in.Notes) > 0 {
		t.section("Notes:")
		for _, n := range in.Notes {
			t.wrapped(indent, indent+indent, n, "", "")
		}
	}
	if len(in.Findings) > 0 || len(in.Diagnostics) > 0 || len(in.Errors) > 0 || len(in.Notes) > 0 {
		t.blank()
	}
	t.wrapped("", "", summaryLine(in), "", "")
	_, err := w.Write(t.w.Bytes())
	return err
}

// table accumulates the output so that it goes to the writer in one
// piece and knows whether anything precedes a section.
type table struct {
	w    bytes.Buffer
	opts TableOptions
}

func (t *table) blank() { t.w.WriteString("\n") }

func (t *table) section(title string) {
	if t.w.Len() > 0 {
		t.blank()
	}
	t.w.WriteString(t.style(ansiBold, title) + "\n")
}

func (t *table) style(code, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *table) finding(f rules.Finding) {
	title, sev, id := "(unknown rule)", "UNKNOWN", ""
	var hint string
	if r := f.Rule; r != nil {
		title, sev, id, hint = r.Title, strings.ToUpper(f.EffectiveSeverity().String()), r.ID, firstSentence(r.Remediation)
	}
	label := t.style(severityStyle(f), sev)
	t.wrapped("", indent, strings.TrimSpace(sev+" "+id+" "+title), sev, label)

	where := findingRange(f).String()
	if f.Resource != nil {
		where = strings.TrimSpace(where + " (" + f.Resource.Addr.String() + ")")
	}
	if where != "" {
		t.wrapped(indent, indent+indent, where, "", "")
	}
	if f.Message != "" {
		t.wrapped(indent, indent, f.Message, "", "")
	}
	for _, rel := range f.Related {
		text := rel.Message
		if text == "" {
			text = rel.Address
		}
		if place := rel.Range.String(); place != "" {
			text = place + ": " + text
		}
		t.wrapped(indent, indent+indent, "see "+text, "", "")
	}
	for i, st := range f.Path {
		text := fmt.Sprintf("step %d [%s] ", i+1, st.Technique)
		if place := st.Range.String(); place != "" {
			text += place + " "
		}
		t.wrapped(indent, indent+indent, text+st.Message, "", "")
	}
	if hint != "" {
		t.wrapped(indent, indent+indent, "Fix: "+hint, "Fix:", t.style(ansiBold, "Fix:"))
	}
}

func (t *table) diagnostic(d graph.Diagnostic) {
	sev := d.Severity.String()
	code := ansiRed
	if d.Severity == graph.Warning {
		code = ansiYellow
	}
	text := sev + ": " + diagnosticText(d)
	if place := d.Range.String(); place != "" {
		text = sev + ": " + place + ": " + diagnosticText(d)
	}
	t.wrapped(indent, indent+indent, text, sev+":", t.style(code, sev+":"))
}

// wrapped writes text wrapped to the width, the first line after first
// and the others after rest. When plain is non-empty, the first line's
// leading plain is replaced by styled: widths are measured on the
// uncolored text so that escape codes never count as columns.
func (t *table) wrapped(first, rest, text, plain, styled string) {
	lines := wrap(text, t.opts.Width, first, rest)
	if plain != "" && len(lines) > 0 {
		lines[0] = strings.Replace(lines[0], plain, styled, 1)
	}
	for _, l := range lines {
		t.w.WriteString(l + "\n")
	}
}

// wrap breaks text into lines of at most width columns (runes), each
// prefixed; width <= 0 keeps each paragraph on one line. Newlines in text
// start new lines.
func wrap(text string, width int, first, rest string) []string {
	var out []string
	prefix := first
	for para := range strings.SplitSeq(text, "\n") {
		words := strings.Fields(para)
		if width <= 0 || len(words) == 0 {
			out = append(out, strings.TrimRight(prefix+strings.Join(words, " "), " "))
			prefix = rest
			continue
		}
		line, n := prefix, utf8.RuneCountInString(prefix)
		empty := true
		for _, word := range words {
			wn := utf8.RuneCountInString(word)
			if !empty && n+1+wn > width {
				out = append(out, line)
				prefix = rest
				line, n, empty = prefix, utf8.RuneCountInString(prefix), true
			}
			if !empty {
				line += " "
				n++
			}
			line += word
			n += wn
			empty = false
		}
		out = append(out, line)
		prefix = rest
	}
	return out
}

func severityStyle(f rules.Finding) string {
	if f.Rule == nil {
		return ansiBold
	}
	switch f.EffectiveSeverity() {
	case rules.Critical:
		return ansiMagenta
	case rules.High:
		return ansiBoldRed
	case rules.Medium:
		return ansiYellow
	}
	return ansiCyan
}

// firstSentence is the remediation's first sentence on one line, a hint
// that fits a terminal; the whole text is in SARIF help and JSON. A
// period inside `code` does not end the sentence.
func firstSentence(md string) string {
	s := strings.Join(strings.Fields(md), " ")
	inCode := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '`':
			inCode = !inCode
		case !inCode && (s[i] == '.' || s[i] == '!' || s[i] == '?') && (i+1 == len(s) || s[i+1] == ' '):
			return s[:i+1]
		}
	}
	return s
}

// summaryLine is the verdict in one sentence, e.g. "3 findings (1
// critical, 2 high) in 5 files; 1 file could not be read."
func summaryLine(in *Input) string {
	var b strings.Builder
	if len(in.Findings) == 0 {
		b.WriteString("No findings")
	} else {
		b.WriteString(plural(len(in.Findings), "finding", "findings"))
		c := countSeverities(in.Findings)
		var parts []string
		for _, p := range []struct {
			n    int
			name string
		}{{c.Critical, "critical"}, {c.High, "high"}, {c.Medium, "medium"}, {c.Low, "low"}} {
			if p.n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", p.n, p.name))
			}
		}
		if len(parts) > 0 {
			b.WriteString(" (" + strings.Join(parts, ", ") + ")")
		}
	}
	b.WriteString(" in " + plural(len(in.inputFiles()), "file", "files"))

	unreadable := map[string]bool{}
	warnings := 0
	for _, d := range in.Diagnostics {
		if d.Severity == graph.Warning {
			warnings++
		} else {
			unreadable[d.Range.Filename] = true
		}
	}
	if n := len(unreadable); n > 0 {
		b.WriteString("; " + plural(n, "file", "files") + " could not be read")
	}
	if warnings > 0 {
		b.WriteString("; " + plural(warnings, "warning", "warnings"))
	}
	if n := len(in.Errors); n > 0 {
		b.WriteString("; " + plural(n, "internal error", "internal errors") + ", results are incomplete")
	}
	b.WriteString(".")
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
