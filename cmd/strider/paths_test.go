package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

func TestPathsCommand(t *testing.T) {
	ar, err := txtar.ParseFile("../../rules/testdata/attack-path/bad_terraform.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range ar.Files {
		files[f.Name] = string(f.Data)
	}
	dir := repo(t, files)

	out, stderr, code := runIn(t, dir, "paths", ".")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitFindings, stderr)
	}
	for _, want := range []string{
		"Path 1 (critical), from aws_instance.web",
		"1. [T1190] main.tf:",
		"2. [T1552.005] main.tf:",
		"4. [T1078.004] main.tf:",
		"6. [T1078.004] main.tf:",
		"aws_iam_role.admin has administrator permissions",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}

	out, _, code = runIn(t, dir, "paths", "--format", "json", ".")
	if code != exitFindings {
		t.Fatalf("json: exit %d", code)
	}
	var doc pathsJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths) != 3 || len(doc.Paths[0].Steps) != 6 || doc.Paths[0].Steps[1].Technique != "T1552.005" || doc.Paths[1].Steps[4].Technique != "T1530" {
		t.Errorf("json paths = %+v", doc)
	}

	if err := os.WriteFile(dir+"/main.tf", []byte(strings.ReplaceAll(files["main.tf"], `"optional"`, `"required"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"data.tf", "keys.tf"} {
		if err := os.Remove(dir + "/" + f); err != nil {
			t.Fatal(err)
		}
	}
	out, _, code = runIn(t, dir, "paths", ".")
	if code != exitClean || !strings.Contains(out, "No attack path") {
		t.Errorf("after the fix: exit %d, output %q", code, out)
	}
	if _, stderr, code := runIn(t, dir, "paths", "--format", "sarif", "."); code != exitError || !strings.Contains(stderr, "unknown --format") {
		t.Errorf("bad format: exit %d, stderr %q", code, stderr)
	}
}

// The CloudFormation path points at the statement that allows the
// escalation, not only at its policy.
func TestPathsCloudFormationStatement(t *testing.T) {
	ar, err := txtar.ParseFile("../../rules/testdata/attack-path/bad_cloudformation.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range ar.Files {
		files[f.Name] = string(f.Data)
	}
	dir := repo(t, files)
	out, _, code := runIn(t, dir, "paths", "--format", "json", ".")
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var doc pathsJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths) != 1 || len(doc.Paths[0].Steps) != 6 {
		t.Fatalf("paths = %+v", doc)
	}
	want := 1 + strings.Count(files["template.yaml"][:strings.Index(files["template.yaml"], "- iam:PassRole")], "\n") - 2
	if st := doc.Paths[0].Steps[4]; st.Address != "WebRole" || st.Line != want {
		t.Errorf("escalation step at %s line %d, want WebRole line %d (the statement)", st.Address, st.Line, want)
	}
}

// TestPathsFollowsConfiguration: paths reads the tree as scan does, so a
// configuration that turns the attack-path rule off leaves no path.
func TestPathsFollowsConfiguration(t *testing.T) {
	ar, err := txtar.ParseFile("../../rules/testdata/attack-path/bad_terraform.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{".strider.yaml": "rules: [all, -SDR-PATH-001]\n"}
	for _, f := range ar.Files {
		files[f.Name] = string(f.Data)
	}
	dir := repo(t, files)
	out, stderr, code := runIn(t, dir, "paths", ".")
	if code != 0 || !strings.Contains(out, "No attack path.") {
		t.Errorf("exit %d, output %q, stderr %q; want 0 and no path", code, out, stderr)
	}
}
