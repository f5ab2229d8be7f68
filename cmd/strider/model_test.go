package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const modelFixture = "testdata/model/multi-account"

// The multi-account fixture's model in every format, from the repository
// root as a user would run it.
func TestModelGolden(t *testing.T) {
	t.Setenv("GITHUB_SERVER_URL", "") // file links stay relative
	exts := map[string]string{"markdown": "md", "otm": "otm.json", "threatdragon": "threatdragon.json", "mermaid": "mmd", "dot": "dot", "json": "json"}
	for _, format := range modelFormats {
		t.Run(format, func(t *testing.T) {
			out, stderr, code := strider(t, "model", "--format", format, modelFixture)
			if code != exitClean {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			golden(t, "model."+exts[format]+".golden", out)
		})
	}
}

func TestModelOutputFileAndTitle(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "model.md")
	out, stderr, code := strider(t, "model", "--title", "Landing zone", "--output", dst, modelFixture)
	if code != exitClean || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, out, stderr)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "# Threat model: Landing zone\n") {
		t.Errorf("document starts %q", string(b[:min(len(b), 60)]))
	}
}

func TestModelBadFormat(t *testing.T) {
	_, stderr, code := strider(t, "model", "--format", "svg", modelFixture)
	if code != exitError || !strings.Contains(stderr, "unknown --format") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A file that cannot be parsed makes the exit code 2, and the model of
// the rest is still written.
func TestModelBrokenInput(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"bad/main.tf": "resource \"aws_instance\" \"x\" {\n  ami = \n}\n",
		"ok/main.tf":  "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"data\"\n}\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr, code := runIn(t, dir, "model", "--format", "mermaid", ".")
	if code != exitError {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitError, stderr)
	}
	if !strings.Contains(stderr, "bad/main.tf:2") || !strings.Contains(out, "aws_s3_bucket.data") {
		t.Errorf("stderr:\n%s\nstdout:\n%s", stderr, out)
	}
}
