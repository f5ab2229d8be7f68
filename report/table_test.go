package report

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

func TestTableColor(t *testing.T) {
	for _, c := range cases {
		plain := string(renderTable(t, c.input(), TableOptions{Width: 80}))
		if strings.Contains(plain, "\x1b") {
			t.Errorf("%s: escape codes without Color", c.name)
		}
		colored := string(renderTable(t, c.input(), TableOptions{Width: 80, Color: true}))
		if stripANSI(colored) != plain {
			t.Errorf("%s: colored output differs from plain in more than escape codes:\n%s", c.name, cmp.Diff(plain, stripANSI(colored)))
		}
	}
	colored := string(renderTable(t, findingsInput(), TableOptions{Color: true}))
	for _, want := range []string{ansiMagenta + "CRITICAL" + ansiReset, ansiBoldRed + "HIGH" + ansiReset, ansiYellow + "MEDIUM" + ansiReset, ansiCyan + "LOW" + ansiReset} {
		if !strings.Contains(colored, want) {
			t.Errorf("no %q", want)
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		s = s[i+2:]
		j := strings.IndexByte(s, 'm')
		s = s[j+1:]
	}
}

// TestTableWidth wants every line within the width unless it is a single
// word that cannot be broken.
func TestTableWidth(t *testing.T) {
	for _, width := range []int{40, 60, 80, 100} {
		for _, c := range cases {
			out := string(renderTable(t, c.input(), TableOptions{Width: width}))
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if utf8.RuneCountInString(line) > width && strings.Contains(strings.TrimSpace(line), " ") {
					t.Errorf("%s at width %d: line of %d columns: %q", c.name, width, utf8.RuneCountInString(line), line)
				}
			}
		}
	}
	// Width 0 keeps each message on one line.
	out := string(renderTable(t, findingsInput(), TableOptions{}))
	if !strings.Contains(out, "\n  "+findingsInput().Findings[1].Message+"\n") {
		t.Error("message wrapped without a width")
	}
}

func TestTableContent(t *testing.T) {
	out := string(renderTable(t, findingsInput(), TableOptions{Width: 100}))
	for _, want := range []string{
		"HIGH SDR-EC2-001 Instance metadata service v1 is reachable (session tokens not required)\n",
		"  infra/main.tf:15:3 (aws_instance.app)\n",
		"  Fix: Set the metadata options to require tokens: `http_tokens = \"required\"` in Terraform,",
		"  see infra/modules/web app/main.tf:5:5: the launch template leaves http_tokens optional\n",
		"  see no account-level metadata default is declared\n",
		"Diagnostics:\n  warning: infra/main.tf:11:19: Unknown value: var.ami_id",
		"\n5 findings (1 critical, 2 high, 1 medium, 1 low) in 6 files; 1 warning.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	if strings.Index(out, "CRITICAL SDR-IAM-001") > strings.Index(out, "HIGH SDR-EC2-001") {
		t.Error("findings not in the given order")
	}

	out = string(renderTable(t, ruleErrorInput(), TableOptions{Width: 100}))
	if !strings.Contains(out, "Errors:\n  error: rule SDR-IAM-001 (iam-policy-admin-wildcard): internal error: index out of range") ||
		strings.Contains(out, "goroutine") {
		t.Errorf("internal errors: want the first line only:\n%s", out)
	}

	// A broken input still renders.
	out = string(renderTable(t, &Input{Findings: []rules.Finding{{Message: "orphan"}}}, TableOptions{}))
	if !strings.Contains(out, "UNKNOWN (unknown rule)\n  orphan\n") {
		t.Errorf("broken finding:\n%s", out)
	}
}

func TestSummaryLine(t *testing.T) {
	f := func(r *rules.Rule) rules.Finding { return rules.Finding{Rule: r} }
	errDiag := func(file string) graph.Diagnostic {
		return graph.Diagnostic{Severity: graph.Error, Range: graph.Range{Filename: file}}
	}
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"nothing", Input{}, "No findings in 0 files."},
		{"clean", Input{Inputs: []string{"a.tf"}}, "No findings in 1 file."},
		{"one", Input{Findings: []rules.Finding{f(s3Rule)}, Inputs: []string{"a.tf", "b.tf"}}, "1 finding (1 medium) in 2 files."},
		{"mixed", Input{
			Findings:    []rules.Finding{f(iamRule), f(&rules.EC2IMDSv1Reachable), f(&rules.EC2IMDSv1Reachable)},
			Inputs:      []string{"a.tf", "b.tf", "c.tf", "d.tf", "e.tf"},
			Diagnostics: graph.Diagnostics{errDiag("c.tf"), errDiag("c.tf")},
		}, "3 findings (1 critical, 2 high) in 5 files; 1 file could not be read."},
		{"everything wrong", Input{
			Inputs:      []string{"a.tf", "b.tf"},
			Diagnostics: graph.Diagnostics{errDiag("a.tf"), errDiag("b.tf"), {Severity: graph.Warning}},
			Errors:      []error{errors.New("x"), errors.New("y")},
		}, "No findings in 2 files; 2 files could not be read; 1 warning; 2 internal errors, results are incomplete."},
	}
	for _, tt := range tests {
		if got := summaryLine(&tt.in); got != tt.want {
			t.Errorf("%s: summaryLine = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		text        string
		width       int
		first, rest string
		want        []string
	}{
		{"a b c", 0, "> ", "  ", []string{"> a b c"}},
		{"aaa bbb ccc", 7, "", "", []string{"aaa bbb", "ccc"}},
		{"aaa bbb ccc", 8, "- ", "  ", []string{"- aaa", "  bbb", "  ccc"}},
		{"averyverylongword b", 6, "", "  ", []string{"averyverylongword", "  b"}},
		{"one\ntwo three", 20, "* ", "  ", []string{"* one", "  two three"}},
		{"", 10, "  ", "  ", []string{""}},
	}
	for _, tt := range tests {
		if got := wrap(tt.text, tt.width, tt.first, tt.rest); !cmp.Equal(got, tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Do this. Then that.", "Do this."},
		{"Set `a.b = 1` on the\nresource. More.", "Set `a.b = 1` on the resource."},
		{"No period at all", "No period at all"},
		{"Version 1.2 is fine! Really.", "Version 1.2 is fine!"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := firstSentence(tt.in); got != tt.want {
			t.Errorf("firstSentence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRuleTags(t *testing.T) {
	got := ruleTags(&rules.EC2IMDSv1Reachable)
	want := []string{"security", "stride/information-disclosure", "stride/elevation-of-privilege", "attack/T1552.005", "attack-tactic/credential-access"}
	if !cmp.Equal(got, want) {
		t.Errorf("EC2 tags %q, want %q", got, want)
	}
	// T1078.004 and T1098.003 share tactics; each tag appears once.
	got = ruleTags(iamRule)
	want = []string{"security", "stride/elevation-of-privilege", "attack/T1078.004", "attack/T1098.003",
		"attack-tactic/defense-evasion", "attack-tactic/persistence", "attack-tactic/privilege-escalation", "attack-tactic/initial-access"}
	if !cmp.Equal(got, want) {
		t.Errorf("IAM tags %q, want %q", got, want)
	}
	got = ruleTags(trailRule)
	if len(got) != maxTags || got[0] != "security" || got[len(got)-1] != "attack/T1496" {
		t.Errorf("trail tags %q: want %d, security first, tactics dropped first", got, maxTags)
	}
}
