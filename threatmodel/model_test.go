package threatmodel_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
	"github.com/strider-sec/strider/threatmodel"
)

var update = flag.Bool("update", false, "rewrite golden files")

const fixture = "../testdata/model/multi-account"

// build scans the multi-account fixture with every rule and builds its
// model.
func build(t *testing.T) *threatmodel.Model {
	t.Helper()
	base, err := filepath.Abs(fixture)
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{base}, BaseDir: base, Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 || res.Diagnostics.HasErrors() {
		t.Fatalf("fixture does not scan cleanly: %v %v", res.Errors, res.Diagnostics)
	}
	return threatmodel.Build(res.Graph, res.Findings, threatmodel.Options{Title: "multi-account", Sources: res.Inputs})
}

func TestModelGolden(t *testing.T) {
	m := build(t)
	got, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := "testdata/multi-account.json.golden"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
