package ruledocs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/internal/ruledocs"
	"github.com/strider-sec/strider/rules"
)

// The committed docs must be exactly what the registry and fixtures
// generate: a rule changed without `go generate ./internal/ruledocs`
// fails here.
func TestDocsUpToDate(t *testing.T) {
	want, err := ruledocs.Generate(rules.All(), os.DirFS("../../rules/testdata"))
	if err != nil {
		t.Fatal(err)
	}
	dir := "../../docs/rules"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v (run go generate ./internal/ruledocs)", err)
	}
	var have []string
	for _, e := range entries {
		have = append(have, e.Name())
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("docs/rules/%s belongs to no rule (run go generate ./internal/ruledocs)", e.Name())
		}
	}
	for name, data := range want {
		if !slices.Contains(have, name) {
			t.Errorf("docs/rules/%s is missing (run go generate ./internal/ruledocs)", name)
			continue
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(data), string(got)); diff != "" {
			t.Errorf("docs/rules/%s is stale (run go generate ./internal/ruledocs); -generated +committed:\n%s", name, diff)
		}
	}
}

// A page shows the rule's identity, its help, and every fixture with its
// verdict; the index links every rule.
func TestPageContents(t *testing.T) {
	fixtures := os.DirFS("../../rules/testdata")
	index := string(ruledocs.Index(rules.All()))
	for _, r := range rules.All() {
		page, err := ruledocs.Page(r, fixtures)
		if err != nil {
			t.Fatal(err)
		}
		s := string(page)
		wants := []string{"# " + r.ID + ": " + r.Title, "`" + r.Slug + "`", "## Remediation",
			"### Flagged: `bad_terraform`", "### Not flagged: `good_terraform`"}
		if _, err := fs.Stat(fixtures, r.Slug+"/"+ruledocs.NoCloudFormation); err == nil {
			wants = append(wants, "There is no CloudFormation example: ")
		} else {
			wants = append(wants, "### Flagged: `bad_cloudformation`", "### Not flagged: `good_cloudformation`")
		}
		for _, want := range wants {
			if !strings.Contains(s, want) {
				t.Errorf("%s page lacks %q", r.ID, want)
			}
		}
		for _, id := range r.ATTACK {
			if !strings.Contains(s, id) {
				t.Errorf("%s page lacks technique %s", r.ID, id)
			}
		}
		if !strings.Contains(index, "]("+ruledocs.PageFile(r)+")") {
			t.Errorf("index does not link %s", r.ID)
		}
		if strings.Contains(ruledocs.Explain(r), "## Examples") {
			t.Errorf("%s: explain must not claim examples it cannot show", r.ID)
		}
	}
}
