package suppress

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

var (
	imds  = &rules.EC2IMDSv1Reachable
	other = &rules.Rule{ID: "SDR-S3-001", Slug: "s3-public"}
	today = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

func known(id string) bool {
	for _, r := range []*rules.Rule{imds, other} {
		if strings.EqualFold(id, r.ID) || strings.EqualFold(id, r.Slug) {
			return true
		}
	}
	return false
}

// finding is a finding of rule r on a resource whose block starts on
// line block, pointing at line at.
func finding(r *rules.Rule, file string, block, at int) rules.Finding {
	res := &graph.Resource{
		Addr:  graph.Address{Type: "aws_instance", Name: "app"},
		Range: graph.Range{Filename: file, Start: graph.PosAt(block, 1)},
	}
	return rules.Finding{Rule: r, Resource: res, Range: graph.Range{Filename: file, Start: graph.PosAt(at, 3)}}
}

func TestMatchTerraform(t *testing.T) {
	const tf = `# strider:ignore SDR-EC2-001 -- legacy host, replaced in Q3
resource "aws_instance" "app" {
  metadata_options {
    http_tokens = "optional" # strider:ignore ec2-imdsv1-reachable -- trailing form
  }
}

# strider:ignore SDR-EC2-001
resource "aws_instance" "noreason" {
  // strider:ignore s3-public -- another rule
  http_tokens = "optional"
}

# strider:ignore SDR-EC2-001 exp:2026-01-01 -- expired
resource "aws_instance" "expired" {}

# strider:ignore SDR-EC2-001 exp:2026-06-01 -- expires today, still valid
# a comment in between
resource "aws_instance" "today" {}

# strider:ignore SDR-EC2-001 -- not directly above

resource "aws_instance" "gap" {}

# strider:ignore SDR-NOPE-001 -- no such rule
resource "aws_instance" "unknown" {}

# strider:ignore SDR-EC2-001 exp:tomorrow -- bad date
resource "aws_instance" "baddate" {}

# strider:ignore s3-public, ec2-imdsv1-reachable -- a list with a space
resource "aws_instance" "list" {}
`
	fsys := fstest.MapFS{"main.tf": {Data: []byte(tf)}}
	tests := []struct {
		name     string
		f        rules.Finding
		want     bool
		wantLine int
		wantWhy  string
	}{
		{"line before the block", finding(imds, "main.tf", 2, 2), true, 1, "legacy host, replaced in Q3"},
		{"trailing on the attribute", finding(imds, "main.tf", 99, 4), true, 4, "trailing form"},
		{"block directive covers its attributes", finding(imds, "main.tf", 2, 4), true, 4, "trailing form"},
		{"other rule not suppressed", finding(other, "main.tf", 2, 4), false, 0, ""},
		{"no reason", finding(imds, "main.tf", 9, 9), false, 0, ""},
		{"directive for another rule above the attribute", finding(imds, "main.tf", 99, 11), false, 0, ""},
		{"the other rule on the attribute", finding(other, "main.tf", 99, 11), true, 10, "another rule"},
		{"expired", finding(imds, "main.tf", 15, 15), false, 0, ""},
		{"expires today", finding(imds, "main.tf", 19, 19), true, 17, "expires today, still valid"},
		{"blank line in between", finding(imds, "main.tf", 23, 23), false, 0, ""},
		{"unknown rule", finding(imds, "main.tf", 26, 26), false, 0, ""},
		{"bad date", finding(imds, "main.tf", 29, 29), false, 0, ""},
		{"list", finding(imds, "main.tf", 32, 32), true, 31, "a list with a space"},
		{"file outside the root", finding(imds, "../main.tf", 2, 2), false, 0, ""},
		{"missing file", finding(imds, "nope.tf", 2, 2), false, 0, ""},
	}
	s := New(fsys, Options{Today: today, Known: known})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := s.Match(tt.f)
			if ok != tt.want {
				t.Fatalf("suppressed = %v, want %v (%+v)", ok, tt.want, d)
			}
			if ok && (int(d.Range.Start.Line) != tt.wantLine || d.Reason != tt.wantWhy) {
				t.Errorf("directive at line %d %q, want line %d %q", d.Range.Start.Line, d.Reason, tt.wantLine, tt.wantWhy)
			}
		})
	}
	var got []string
	for _, d := range s.Diagnostics() {
		got = append(got, d.String())
	}
	want := []string{
		`main.tf:8:1: warning: suppression ignored: a reason is required: add "-- <why this is accepted>"`,
		`main.tf:14:1: warning: suppression expired: it expired on 2026-01-01 and no longer suppresses SDR-EC2-001`,
		`main.tf:25:1: warning: suppression ignored: unknown rule "SDR-NOPE-001"`,
		`main.tf:28:1: warning: suppression ignored: expiry "tomorrow" is not a date YYYY-MM-DD`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMatchCloudFormation(t *testing.T) {
	const tpl = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  App:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      strider:
        ignore:
          - id: SDR-EC2-001
            reason: fleet is retired next sprint
            expires: 2026-12-31
    Properties:
      ImageId: !Ref Ami
  Old:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      strider:
        ignore:
          - id: SDR-EC2-001
            expires: 2026-12-31
  Web: # strider:ignore SDR-EC2-001 -- comment form works in YAML too
    Type: AWS::EC2::LaunchTemplate
`
	const json = `{"Resources": {"Db": {"Type": "AWS::EC2::Instance",
  "Metadata": {"strider": {"ignore": [{"id": "ec2-imdsv1-reachable", "reason": "JSON works", "expires": "2020-01-01"}]}}}}}`
	fsys := fstest.MapFS{"t.yaml": {Data: []byte(tpl)}, "t.json": {Data: []byte(json)}}
	cfn := func(file, id string, line int) rules.Finding {
		f := finding(imds, file, line, line)
		f.Resource.Format = graph.CloudFormation
		f.Resource.Addr = graph.Address{Kind: graph.CloudFormationAddr, Name: id}
		return f
	}
	s := New(fsys, Options{Today: today, Known: known})
	if d, ok := s.Match(cfn("t.yaml", "App", 3)); !ok || d.Reason != "fleet is retired next sprint" || d.Range.Start.Line != 8 {
		t.Errorf("App: %v %+v", ok, d)
	}
	if _, ok := s.Match(cfn("t.yaml", "Old", 13)); ok {
		t.Error("Old suppressed without a reason")
	}
	if d, ok := s.Match(cfn("t.yaml", "Web", 20)); !ok || d.Reason != "comment form works in YAML too" {
		t.Errorf("Web: %v %+v", ok, d)
	}
	if _, ok := s.Match(cfn("t.json", "Db", 1)); ok {
		t.Error("expired JSON metadata suppressed")
	}
	if f := cfn("t.yaml", "App", 3); true {
		f.Rule = other
		if _, ok := s.Match(f); ok {
			t.Error("metadata for SDR-EC2-001 suppressed another rule")
		}
	}
	var got []string
	for _, d := range s.Diagnostics() {
		got = append(got, d.String())
	}
	want := []string{
		`t.json:2:39: warning: suppression expired: it expired on 2020-01-01 and no longer suppresses ec2-imdsv1-reachable`,
		`t.yaml:18:13: warning: suppression ignored: a reason is required: add "-- <why this is accepted>"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Broken templates and binary junk give no directives and no panic.
func TestNoPanics(t *testing.T) {
	fsys := fstest.MapFS{
		"bad.yaml": {Data: []byte("Resources: [strider\n  : {")},
		"bin.tf":   {Data: []byte("\x00\xff# strider:ignore\xff")},
		"meta.yml": {Data: []byte("Resources:\n  A:\n    Metadata:\n      strider:\n        ignore: 3\n")},
	}
	s := New(fsys, Options{Today: today})
	for name := range fsys {
		s.Scan(name)
		s.Match(finding(imds, name, 1, 1))
	}
	if len(s.Diagnostics()) != 2 {
		t.Errorf("diagnostics: %v", s.Diagnostics())
	}
}
