package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/strider-sec/strider/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

// repoRoot is where README's quick start runs from, and pkgDir where the
// golden files live; both absolute, as tests change directory.
var repoRoot, pkgDir string

func TestMain(m *testing.M) {
	var err error
	if pkgDir, err = os.Getwd(); err != nil {
		panic(err)
	}
	repoRoot = filepath.Dir(filepath.Dir(pkgDir))
	os.Exit(m.Run())
}

// strider runs the CLI from the repository root, as a user would.
func strider(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Chdir(repoRoot)
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// normalize removes what legitimately differs between machines: the
// absolute path of the checkout and the tool version.
func normalize(t *testing.T, s string) string {
	t.Helper()
	s = strings.ReplaceAll(s, "file://"+filepath.ToSlash(repoRoot)+"/", "file:///SRCROOT/")
	return strings.ReplaceAll(s, `"version": "`+toolVersion()+`"`, `"version": "VERSION"`)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(pkgDir, "testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// The quick start: the shipped examples in every format.
func TestExamplesGolden(t *testing.T) {
	for _, format := range []string{"sarif", "json", "table"} {
		t.Run(format, func(t *testing.T) {
			out, stderr, code := strider(t, "scan", "--format", format, "--no-color", "examples")
			if code != exitFindings {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, exitFindings, stderr)
			}
			golden(t, "examples."+format+".golden", normalize(t, out))
			if format == "sarif" {
				validateSARIF(t, []byte(out))
			}
		})
	}
}

func validateSARIF(t *testing.T, doc []byte) {
	t.Helper()
	schemaPath := filepath.Join(repoRoot, "report", "testdata", "sarif-schema-2.1.0.json")
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate: %v", err)
	}
}

type sarifLog struct {
	Runs []struct {
		Results []struct {
			RuleID    string `json:"ruleId"`
			Locations []struct {
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
				} `json:"logicalLocations"`
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

// A broken file among good ones: exit 2, the good files' findings are
// still reported, the bad file is named on stderr with its line and in
// SARIF's notifications.
func TestBrokenInput(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"good/main.tf":    "resource \"aws_instance\" \"a\" {\n  ami = \"ami-1\"\n}\n",
		"bad/main.tf":     "resource \"aws_instance\" \"b\" {\n  ami = \n}\n",
		"cfn/broken.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  X:\n    Type: AWS::EC2::Instance\n    Properties: [unclosed\n",
		"cfn/ok.yaml":     "Resources:\n  Y:\n    Type: AWS::EC2::Instance\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	t.Chdir(dir)
	code := run(context.Background(), []string{"scan", "--format", "sarif", "."}, &out, &errb)
	if code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	for _, want := range []string{"bad/main.tf:2:", "cfn/broken.yaml:"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr does not name %s:\n%s", want, errb.String())
		}
	}
	var log sarifLog
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run0 := log.Runs[0]
	var found []string
	for _, r := range run0.Results {
		found = append(found, r.Locations[0].LogicalLocations[0].FullyQualifiedName)
	}
	// The broken Terraform file's resource block is still recognised;
	// the good files are scanned in full.
	if want := []string{"aws_instance.b", "Y", "aws_instance.a"}; !cmp.Equal(found, want) {
		t.Errorf("results on %v, want %v", found, want)
	}
	inv := run0.Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("executionSuccessful is true")
	}
	errorsAt := map[string]int{}
	for _, n := range inv.ToolExecutionNotifications {
		if n.Level == "error" && len(n.Locations) > 0 {
			l := n.Locations[0].PhysicalLocation
			errorsAt[l.ArtifactLocation.URI] = l.Region.StartLine
		}
	}
	if errorsAt["bad/main.tf"] != 2 || errorsAt["cfn/broken.yaml"] == 0 {
		t.Errorf("notifications do not locate the broken files: %v", errorsAt)
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"findings at the default threshold", []string{"scan", "examples/terraform"}, exitFindings},
		// The web module on its own yields one medium finding (its
		// variables have no values, so less is known than from the root).
		{"findings below --fail-on", []string{"scan", "--fail-on", "high", "examples/terraform/modules/web"}, exitClean},
		{"a file of no known kind", []string{"scan", "rules/testdata/ec2-imdsv1-reachable/good_terraform.txtar"}, exitError},
		{"unknown format", []string{"scan", "--format", "xml", "examples"}, exitError},
		{"unknown severity", []string{"scan", "--fail-on", "severe", "examples"}, exitError},
		{"missing path", []string{"scan", "no/such/dir"}, exitError},
		{"unknown flag", []string{"scan", "--nope"}, exitError},
		{"rules", []string{"rules"}, exitClean},
		{"rules as markdown", []string{"rules", "--format", "markdown"}, exitClean},
		{"rules in an unknown format", []string{"rules", "--format", "xml"}, exitError},
		{"explain by ID", []string{"explain", "SDR-EC2-001"}, exitClean},
		{"explain an unknown rule", []string{"explain", "SDR-NOPE-999"}, exitError},
		{"explain without a rule", []string{"explain"}, exitError},
		{"version", []string{"version"}, exitClean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := strider(t, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
		})
	}
}

func TestCleanScan(t *testing.T) {
	dir := t.TempDir()
	src := "resource \"aws_instance\" \"a\" {\n  metadata_options {\n    http_tokens = \"required\"\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"scan", "--format", "json", dir}, &out, &errb); code != exitClean {
		t.Errorf("exit %d, want 0; stderr %s", code, errb.String())
	}
	var rep struct {
		Findings []any `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Findings == nil || len(rep.Findings) != 0 {
		t.Errorf("want an empty findings array, got %s (%v)", out.String(), err)
	}
}

// The same input gives the same bytes whatever the parallelism.
func TestDeterminism(t *testing.T) {
	var outs []string
	for _, procs := range []int{1, 2, 1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		out, _, _ := strider(t, "scan", "--format", "sarif", "examples", "parser/plan/testdata")
		runtime.GOMAXPROCS(prev)
		outs = append(outs, out)
	}
	for i := 1; i < len(outs); i++ {
		if outs[i] != outs[0] {
			t.Fatalf("run %d differs from run 0:\n%s", i, cmp.Diff(outs[0], outs[i]))
		}
	}
}

func TestOutputFileTruncates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.sarif")
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := strider(t, "scan", "--format", "sarif", "--output", path, "examples/terraform"); code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Error("output file is not valid JSON: an earlier, longer file was not truncated")
	}
}

// Every format of `strider rules` lists every rule; explain finds a rule by
// ID or slug in any case and prints its page.
func TestRulesAndExplain(t *testing.T) {
	all := rules.All()
	for _, format := range []string{"table", "json", "markdown"} {
		out, stderr, code := strider(t, "rules", "--format", format)
		if code != exitClean {
			t.Fatalf("rules --format %s: exit %d: %s", format, code, stderr)
		}
		if format == "json" {
			var got []struct {
				ID     string   `json:"id"`
				Attack []string `json:"attack"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != len(all) {
				t.Fatalf("rules --format json: %d rules, %v; want %d", len(got), err, len(all))
			}
		}
		for _, r := range all {
			if !strings.Contains(out, r.ID) {
				t.Errorf("rules --format %s does not list %s", format, r.ID)
			}
		}
	}
	for _, r := range all {
		for _, name := range []string{r.ID, strings.ToLower(r.ID), r.Slug} {
			out, stderr, code := strider(t, "explain", name)
			if code != exitClean {
				t.Fatalf("explain %s: exit %d: %s", name, code, stderr)
			}
			if !strings.HasPrefix(out, "# "+r.ID+": "+r.Title+"\n") || !strings.Contains(out, "## Remediation") {
				t.Errorf("explain %s printed:\n%s", name, out)
			}
		}
	}
}
