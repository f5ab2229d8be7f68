package graph_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/parser/cloudformation"
	"github.com/strider-sec/strider/parser/terraform"
	"golang.org/x/tools/txtar"
)

// Each fixture's directories are read as separate root modules (stacks),
// and its .yaml files as CloudFormation templates, into one graph whose
// zones, trust, bindings and flows are compared with a golden file.
func TestBoundariesGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/boundaries/*.txtar")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			var dirs []string
			var rs []*graph.Resource
			for _, f := range ar.Files {
				if strings.HasSuffix(f.Name, ".yaml") {
					crs, diags := cloudformation.Parse(f.Data, f.Name)
					if len(diags) > 0 {
						t.Fatalf("fixture diagnostics: %v", diags)
					}
					rs = append(rs, crs...)
					continue
				}
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
				if d := filepath.Dir(f.Name); !slices.Contains(dirs, d) {
					dirs = append(dirs, d)
				}
			}
			slices.Sort(dirs)
			l := terraform.NewLoader(fsys, terraform.Options{})
			for _, dir := range dirs {
				if _, err := fs.Stat(fsys, dir); err != nil {
					continue
				}
				root := l.LoadRoot(dir)
				if len(root.Diagnostics) > 0 {
					t.Fatalf("fixture diagnostics: %v", root.Diagnostics)
				}
				rs = append(rs, root.Resources...)
			}
			g, _ := graph.Build(rs)
			got := g.DumpBoundaries()
			golden := strings.TrimSuffix(file, ".txtar") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
