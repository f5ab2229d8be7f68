package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func readYAML(t *testing.T, rel string, v any) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(src, v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return string(src)
}

// The Action is a composite action whose every step can run: shells are
// given for run steps, every input it reads is declared, and the flags it
// passes exist on the scan command.
func TestActionYAML(t *testing.T) {
	var action struct {
		Name    string                       `yaml:"name"`
		Inputs  map[string]map[string]string `yaml:"inputs"`
		Outputs map[string]map[string]string `yaml:"outputs"`
		Runs    struct {
			Using string `yaml:"using"`
			Steps []struct {
				Name  string            `yaml:"name"`
				ID    string            `yaml:"id"`
				Run   string            `yaml:"run"`
				Uses  string            `yaml:"uses"`
				Shell string            `yaml:"shell"`
				With  map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	src := readYAML(t, "action.yml", &action)
	if action.Name == "" || action.Runs.Using != "composite" || len(action.Runs.Steps) == 0 {
		t.Fatalf("not a composite action: %+v", action)
	}
	for _, in := range []string{"path", "plan", "format", "category", "fail-on", "baseline"} {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("input %s missing", in)
		}
	}
	for name, in := range action.Inputs {
		if in["description"] == "" {
			t.Errorf("input %s has no description", name)
		}
	}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(src, -1) {
		if _, ok := action.Inputs[m[1]]; !ok {
			t.Errorf("action reads undeclared input %s", m[1])
		}
	}
	ids := map[string]bool{}
	uploads := false
	for _, st := range action.Runs.Steps {
		if st.Run != "" && st.Shell == "" {
			t.Errorf("step %q: composite run steps need a shell", st.Name)
		}
		if st.ID != "" {
			ids[st.ID] = true
		}
		if strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@") {
			uploads = true
		}
	}
	if !uploads {
		t.Error("the action does not upload SARIF with github/codeql-action/upload-sarif")
	}
	for _, m := range regexp.MustCompile(`steps\.([a-z-]+)\.outputs`).FindAllStringSubmatch(src, -1) {
		if !ids[m[1]] {
			t.Errorf("action reads outputs of unknown step %s", m[1])
		}
	}
	scan := newScanCmd()
	for _, m := range regexp.MustCompile(`(?m)(?:\+=\(|\s)--([a-z-]+)`).FindAllStringSubmatch(src, -1) {
		if scan.Flags().Lookup(m[1]) == nil && !slices.Contains([]string{"repo", "pattern", "clobber", "json", "jq"}, m[1]) {
			t.Errorf("action passes unknown flag --%s", m[1])
		}
	}
}

// Workflows parse, name their triggers and jobs, and grant what SARIF
// upload needs.
func TestWorkflows(t *testing.T) {
	for _, rel := range []string{
		".github/workflows/release.yml",
		"docs/workflows/code-scanning.yml",
		"docs/workflows/pr-plan-check.yml",
	} {
		t.Run(rel, func(t *testing.T) {
			var wf struct {
				On          any                       `yaml:"on"`
				Permissions map[string]string         `yaml:"permissions"`
				Jobs        map[string]map[string]any `yaml:"jobs"`
			}
			readYAML(t, rel, &wf)
			if wf.On == nil || len(wf.Jobs) == 0 {
				t.Fatalf("no triggers or jobs")
			}
			for name, job := range wf.Jobs {
				if job["runs-on"] == nil || job["steps"] == nil {
					t.Errorf("job %s lacks runs-on or steps", name)
				}
			}
			if strings.HasPrefix(rel, "docs/") && wf.Permissions["security-events"] != "write" {
				t.Error("code scanning needs permissions security-events: write")
			}
		})
	}
}

// The release build stamps the variables strider version prints.
func TestGoreleaserStampsVersion(t *testing.T) {
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
	}
	readYAML(t, ".goreleaser.yaml", &cfg)
	if cfg.Version != 2 || len(cfg.Builds) != 1 || cfg.Builds[0].Main != "./cmd/strider" {
		t.Fatalf("unexpected goreleaser config %+v", cfg)
	}
	flags := strings.Join(cfg.Builds[0].Ldflags, " ")
	for _, v := range []string{"main.version=", "main.commit=", "main.date="} {
		if !strings.Contains(flags, "-X "+v) {
			t.Errorf("ldflags do not set %s", v)
		}
	}
}

// The Action's scan step, run with bash against a freshly built binary:
// outputs are written, the exit code follows fail-on and the baseline,
// and the SARIF always holds every finding.
func TestActionScanStep(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if testing.Short() {
		t.Skip("builds the binary")
	}
	var action struct {
		Runs struct {
			Steps []struct {
				ID  string `yaml:"id"`
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	readYAML(t, "action.yml", &action)
	var script string
	for _, st := range action.Runs.Steps {
		if st.ID == "scan" {
			script = st.Run
		}
	}
	if script == "" {
		t.Fatal("no step with id scan")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "strider"), ".")
	build.Dir = pkgDir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	step := func(inputs map[string]string) map[string]string {
		t.Helper()
		tmp := t.TempDir()
		outFile := filepath.Join(tmp, "output")
		// As GitHub Actions runs a composite step's bash: with -e.
		cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			"RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+outFile)
		for _, k := range []string{"PATH", "PLAN", "SOURCE", "CHANGED_ONLY", "FORMAT", "CATEGORY", "FAIL_ON", "BASELINE", "CONFIG"} {
			cmd.Env = append(cmd.Env, "INPUT_"+k+"="+inputs[k])
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("scan step failed: %v\n%s", err, out)
		}
		b, err := os.ReadFile(outFile)
		if err != nil {
			t.Fatal(err)
		}
		outs := map[string]string{}
		for line := range strings.SplitSeq(strings.TrimSpace(string(b)), "\n") {
			k, v, _ := strings.Cut(line, "=")
			outs[k] = v
		}
		return outs
	}
	full := step(map[string]string{"PATH": "examples", "FORMAT": "json", "FAIL_ON": "high"})
	if full["exit-code"] != "1" || !strings.HasSuffix(full["report-file"], ".json") {
		t.Errorf("outputs %v", full)
	}
	known := step(map[string]string{"PATH": "examples", "FORMAT": "sarif", "FAIL_ON": "high", "BASELINE": full["report-file"]})
	if known["exit-code"] != "0" {
		t.Errorf("with the baseline of the same code: exit %s", known["exit-code"])
	}
	sarif, err := os.ReadFile(known["sarif-file"])
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(sarif), `"ruleId"`); n == 0 {
		t.Error("the uploaded SARIF was filtered by the baseline")
	}
	never := step(map[string]string{"PLAN": "parser/plan/testdata/plan.json", "CHANGED_ONLY": "true", "FORMAT": "sarif", "FAIL_ON": "never"})
	if never["exit-code"] != "0" {
		t.Errorf("fail-on never: exit %s", never["exit-code"])
	}
}
