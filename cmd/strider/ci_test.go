package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repo makes a git-looking repository (a .git directory is all the root
// detection needs) with the given files, and returns its path.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runIn runs the CLI with dir as the working directory.
func runIn(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// ciResult is the part of a SARIF result these tests read.
type ciResult struct {
	RuleID              string            `json:"ruleId"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	BaselineState       string            `json:"baselineState"`
	Suppressions        []struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	} `json:"suppressions"`
	Properties map[string]any `json:"properties"`
	Locations  []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
		LogicalLocations []struct {
			FullyQualifiedName string `json:"fullyQualifiedName"`
		} `json:"logicalLocations"`
	} `json:"locations"`
}

type ciLog struct {
	Runs []struct {
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Results     []ciResult `json:"results"`
		Invocations []struct {
			Notifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

func decodeCI(t *testing.T, out string) ciLog {
	t.Helper()
	validateSARIF(t, []byte(out))
	var l ciLog
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return l
}

func (r ciResult) addr() string { return r.Locations[0].LogicalLocations[0].FullyQualifiedName }

func instance(name, extra string) string {
	return "resource \"aws_instance\" \"" + name + "\" {\n  ami           = \"ami-0123456789abcdef0\"\n  instance_type = \"t3.micro\"\n" + extra + "}\n"
}

// Moving a resource down its file (new content above it) keeps both
// fingerprints of its finding, and the line hash matches what GitHub's
// upload action would compute.
func TestFingerprintsSurviveMoves(t *testing.T) {
	dir := repo(t, map[string]string{"infra/main.tf": instance("app", "")})
	out, _, _ := runIn(t, dir, "scan", "--format", "sarif", "infra")
	before := decodeCI(t, out).Runs[0].Results
	moved := "variable \"region\" {\n  default = \"eu-west-1\"\n}\n\nlocals {\n  name = \"x\"\n}\n\n" + instance("app", "")
	if err := os.WriteFile(filepath.Join(dir, "infra/main.tf"), []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, _ = runIn(t, dir, "scan", "--format", "sarif", "infra")
	after := decodeCI(t, out).Runs[0].Results
	if len(before) != 1 || len(after) != 1 {
		t.Fatalf("results %d, %d", len(before), len(after))
	}
	if before[0].Locations[0].PhysicalLocation.Region.StartLine == after[0].Locations[0].PhysicalLocation.Region.StartLine {
		t.Fatal("the resource did not move")
	}
	for _, k := range []string{"strider/v1", "primaryLocationLineHash"} {
		if before[0].PartialFingerprints[k] == "" || before[0].PartialFingerprints[k] != after[0].PartialFingerprints[k] {
			t.Errorf("%s changed: %q → %q", k, before[0].PartialFingerprints[k], after[0].PartialFingerprints[k])
		}
	}
	if got := before[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "infra/main.tf" {
		t.Errorf("uri %q, want it relative to the repository root", got)
	}
}

// A baseline run reports only what the change added, and exits on it.
func TestBaseline(t *testing.T) {
	for _, format := range []string{"sarif", "json"} {
		t.Run(format, func(t *testing.T) {
			dir := repo(t, map[string]string{"main.tf": instance("old", "")})
			base := filepath.Join(dir, "baseline."+format)
			if _, stderr, code := runIn(t, dir, "scan", "--format", format, "--output", base, "."); code != exitFindings {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			// Unchanged code: nothing new, exit 0.
			out, stderr, code := runIn(t, dir, "scan", "--format", "sarif", "--baseline", base, ".")
			if code != exitClean {
				t.Errorf("unchanged: exit %d, want 0: %s", code, stderr)
			}
			if l := decodeCI(t, out); len(l.Runs[0].Results) != 0 {
				t.Errorf("unchanged: %d results", len(l.Runs[0].Results))
			}
			// A new resource, and the old one moved: only the new one.
			src := instance("new", "") + "\n" + instance("old", "")
			os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
			out, _, code = runIn(t, dir, "scan", "--format", "sarif", "--baseline", base, ".")
			if code != exitFindings {
				t.Errorf("new finding: exit %d, want 1", code)
			}
			l := decodeCI(t, out)
			res := l.Runs[0].Results
			if len(res) != 1 || res[0].addr() != "aws_instance.new" || res[0].BaselineState != "new" {
				t.Errorf("results %+v, want only aws_instance.new marked new", res)
			}
			if n := l.Runs[0].Invocations[0].Notifications; len(n) == 0 || !strings.Contains(n[0].Message.Text, "1 finding already in the baseline") {
				t.Errorf("notifications %+v", n)
			}
		})
	}
	t.Run("not a report", func(t *testing.T) {
		dir := repo(t, map[string]string{"main.tf": instance("old", ""), "x.json": `{"a": 1}`})
		if _, stderr, code := runIn(t, dir, "scan", "--baseline", "x.json", "."); code != exitError || !strings.Contains(stderr, "neither a SARIF log nor") {
			t.Errorf("exit %d, stderr %s", code, stderr)
		}
	})
}

// --changed-only drops the findings on resources the plan leaves alone
// or deletes; every result carries its change action.
func TestChangedOnly(t *testing.T) {
	all, _, _ := strider(t, "scan", "--format", "sarif", "parser/plan/testdata/plan.json")
	changed, _, code := strider(t, "scan", "--format", "sarif", "--changed-only", "parser/plan/testdata/plan.json")
	if code != exitFindings {
		t.Errorf("exit %d", code)
	}
	addrs := func(out string) map[string]string {
		m := map[string]string{}
		for _, r := range decodeCI(t, out).Runs[0].Results {
			c, _ := r.Properties["change"].(string)
			m[r.addr()] = c
		}
		return m
	}
	a, c := addrs(all), addrs(changed)
	if a["aws_instance.old_bastion"] != "delete" {
		t.Fatalf("fixture changed: %v", a)
	}
	if _, ok := c["aws_instance.old_bastion"]; ok {
		t.Error("--changed-only kept a deleted resource")
	}
	if len(c) != len(a)-1 {
		t.Errorf("--changed-only kept %v of %v", c, a)
	}
	for addr, ch := range c {
		if ch != "create" && ch != "update" && ch != "replace" {
			t.Errorf("%s: change %q", addr, ch)
		}
	}
}

// An inline suppression with a reason suppresses exactly its rule on its
// resource: kept in SARIF with the justification, out of the exit code.
func TestInlineSuppression(t *testing.T) {
	src := "# strider:ignore SDR-EC2-001 -- bastion is replaced next sprint\n" + instance("bastion", "") + "\n" +
		instance("web", "") + "\n" +
		"# strider:ignore SDR-EC2-001\n" + instance("noreason", "")
	dir := repo(t, map[string]string{"main.tf": src})
	out, _, code := runIn(t, dir, "scan", "--format", "sarif", ".")
	if code != exitFindings {
		t.Errorf("exit %d, want 1 (web and noreason are not suppressed)", code)
	}
	res := decodeCI(t, out).Runs[0].Results
	got := map[string]string{}
	for _, r := range res {
		why := ""
		if len(r.Suppressions) == 1 && r.Suppressions[0].Kind == "inSource" {
			why = r.Suppressions[0].Justification
		}
		got[r.addr()] = why
	}
	want := map[string]string{"aws_instance.bastion": "bastion is replaced next sprint", "aws_instance.web": "", "aws_instance.noreason": ""}
	if len(got) != len(want) {
		t.Fatalf("results %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: suppression %q, want %q", k, got[k], v)
		}
	}
	// The directive without a reason is reported.
	out, _, _ = runIn(t, dir, "scan", "--format", "json", ".")
	if !strings.Contains(out, "a reason is required") {
		t.Error("missing reason not reported")
	}
	// Only the suppressed finding left: exit 0, and the table says so.
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte("# strider:ignore ec2-imdsv1-reachable -- accepted\n"+instance("bastion", "")), 0o644)
	out, _, code = runIn(t, dir, "scan", "--no-color", ".")
	if code != exitClean || !strings.Contains(out, "1 finding suppressed") || strings.Contains(out, "bastion") {
		t.Errorf("exit %d, table:\n%s", code, out)
	}
}

func TestConfigFile(t *testing.T) {
	files := map[string]string{
		"live/main.tf":   instance("app", "") + instance("legacy", ""),
		"legacy/main.tf": instance("old", ""),
	}
	t.Run("rules and exclude", func(t *testing.T) {
		files := clone(files)
		files[".strider.yaml"] = "rules: [all, -ec2-imdsv1-reachable]\n"
		dir := repo(t, files)
		if out, stderr, code := runIn(t, dir, "scan", "live"); code != exitClean {
			t.Errorf("rule deselected: exit %d\n%s%s", code, out, stderr)
		}
	})
	t.Run("exclude", func(t *testing.T) {
		files := clone(files)
		files[".strider.yaml"] = "exclude: [legacy/**]\n"
		dir := repo(t, files)
		out, _, _ := runIn(t, dir, "scan", "--format", "sarif", ".")
		for _, r := range decodeCI(t, out).Runs[0].Results {
			if strings.HasPrefix(r.Locations[0].PhysicalLocation.ArtifactLocation.URI, "legacy/") {
				t.Errorf("excluded path reported: %s", r.addr())
			}
		}
	})
	t.Run("severity", func(t *testing.T) {
		files := clone(files)
		files[".strider.yaml"] = "severity:\n  SDR-EC2-001: low\n"
		dir := repo(t, files)
		if _, _, code := runIn(t, dir, "scan", "--fail-on", "medium", "."); code != exitClean {
			t.Errorf("severity lowered to low, --fail-on medium: exit %d", code)
		}
		if _, _, code := runIn(t, dir, "scan", "."); code != exitFindings {
			t.Errorf("still reported at low: exit %d", code)
		}
	})
	t.Run("accepted risk", func(t *testing.T) {
		files := clone(files)
		files[".strider.yaml"] = "accept:\n  - rule: SDR-EC2-001\n    resource: aws_instance.leg*\n    owner: platform-team\n    reason: retired in Q3\n    expires: 2999-01-01\n" +
			"  - rule: SDR-EC2-001\n    resource: aws_instance.old\n    owner: ops\n    reason: too late\n    expires: 2000-01-01\n"
		dir := repo(t, files)
		out, _, _ := runIn(t, dir, "scan", "--format", "sarif", ".")
		for _, r := range decodeCI(t, out).Runs[0].Results {
			ext := len(r.Suppressions) == 1 && r.Suppressions[0].Kind == "external"
			if want := r.addr() == "aws_instance.legacy"; ext != want {
				t.Errorf("%s: external suppression %v, want %v", r.addr(), ext, want)
			}
			if ext && !strings.Contains(r.Suppressions[0].Justification, "platform-team") {
				t.Errorf("justification %q lacks the owner", r.Suppressions[0].Justification)
			}
		}
		out, _, _ = runIn(t, dir, "scan", "--format", "json", ".")
		if !strings.Contains(out, "accepted risk expired") {
			t.Error("expired acceptance not reported")
		}
	})
	t.Run("invalid", func(t *testing.T) {
		for _, cfg := range []string{
			"rules: [nope]\n",
			"severity: {SDR-EC2-001: severe}\n",
			"accept:\n  - rule: SDR-EC2-001\n",
			"unknown_key: 1\n",
		} {
			files := clone(files)
			files[".strider.yaml"] = cfg
			dir := repo(t, files)
			if _, stderr, code := runIn(t, dir, "scan", "."); code != exitError {
				t.Errorf("%q: exit %d, stderr %s", cfg, code, stderr)
			}
		}
	})
	t.Run("--config", func(t *testing.T) {
		files := clone(files)
		files["ci/strider.yaml"] = "rules: [-SDR-EC2-001]\n"
		dir := repo(t, files)
		if _, _, code := runIn(t, dir, "scan", "--config", "ci/strider.yaml", "."); code != exitClean {
			t.Errorf("exit %d", code)
		}
	})
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestCategoryAndRepoRoot(t *testing.T) {
	dir := repo(t, map[string]string{"stacks/a/main.tf": instance("app", "")})
	out, _, _ := runIn(t, dir, "scan", "--format", "sarif", "stacks/a")
	l := decodeCI(t, out)
	if got := l.Runs[0].AutomationDetails.ID; got != "strider/terraform/" {
		t.Errorf("default category %q", got)
	}
	if got := l.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "stacks/a/main.tf" {
		t.Errorf("uri %q", got)
	}
	// From a subdirectory the names stay relative to the repository root.
	out, _, _ = runIn(t, filepath.Join(dir, "stacks"), "scan", "--format", "sarif", "--category", "iac/prod", "a")
	l = decodeCI(t, out)
	if got := l.Runs[0].AutomationDetails.ID; got != "iac/prod/" {
		t.Errorf("category %q", got)
	}
	if got := l.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "stacks/a/main.tf" {
		t.Errorf("uri from a subdirectory %q", got)
	}
	out, _, _ = runIn(t, dir, "scan", "--format", "sarif", "--repo-root", "stacks", "stacks/a")
	if got := decodeCI(t, out).Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "a/main.tf" {
		t.Errorf("--repo-root uri %q", got)
	}
	_, stderr, _ := runIn(t, dir, "scan", "--verbose", "--repo-root", "stacks/a/..", "--format", "json", ".")
	if !strings.Contains(stderr, "input outside the repository root") {
		t.Errorf("no warning for inputs outside --repo-root:\n%s", stderr)
	}
}

func TestMarkdownGolden(t *testing.T) {
	t.Setenv("GITHUB_SERVER_URL", "")
	out, stderr, code := strider(t, "scan", "--format", "markdown", "examples", "parser/plan/testdata/plan.json")
	if code != exitFindings {
		t.Errorf("exit %d: %s", code, stderr)
	}
	golden(t, "examples.md.golden", out)
	for _, want := range []string{"## Strider", "```mermaid", "](examples/terraform/main.tf#L"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestVersion(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	version, commit, date = "1.2.3", "abc123", "2026-11-28T20:00:00Z"
	out, _, code := strider(t, "version")
	if want := "strider 1.2.3\ncommit: abc123\ndate: 2026-11-28T20:00:00Z\n"; code != 0 || out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	version, commit, date = "", "", ""
	out, _, _ = strider(t, "version")
	// A test binary has no VCS stamp: the fallbacks must still print
	// three lines, never an empty value.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || strings.HasSuffix(lines[1], ": ") || strings.HasSuffix(lines[2], ": ") {
		t.Errorf("unstamped version output %q", out)
	}
}
