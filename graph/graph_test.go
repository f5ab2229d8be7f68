package graph_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/parser/terraform"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Each fixture is built into a graph whose dump is compared with a golden
// file: what the passes computed, line by line.
func TestBuildGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			for _, f := range ar.Files {
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
			var rs []*graph.Resource
			l := terraform.NewLoader(fsys, terraform.Options{})
			for _, dir := range []string{".", "mod"} {
				if _, err := fsys.Stat(dir); err == nil {
					root := l.LoadRoot(dir)
					if len(root.Diagnostics) > 0 {
						t.Fatalf("fixture diagnostics: %v", root.Diagnostics)
					}
					rs = append(rs, root.Resources...)
				}
			}
			g, diags := graph.Build(rs)
			got := g.Dump()
			for _, d := range diags {
				got += "diag " + d.String() + "\n"
			}
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

func TestAddress(t *testing.T) {
	tests := []struct {
		a          graph.Address
		str, cfg   string
		key, scope string
	}{
		{graph.Address{Stack: "net", Module: `module.vpc["a"]`, Type: "aws_subnet", Name: "public", InstanceKey: "[1]"},
			`module.vpc["a"].aws_subnet.public[1]`, "aws_subnet.public", `net::module.vpc["a"].aws_subnet.public[1]`, `net::module.vpc["a"]`},
		{graph.Address{Stack: ".", Mode: graph.Data, Type: "aws_ami", Name: "x"},
			"data.aws_ami.x", "data.aws_ami.x", ".::data.aws_ami.x", ".::"},
		{graph.Address{Stack: "t.yaml", Kind: graph.CloudFormationAddr, Type: "AWS::EC2::Instance", Name: "Web"},
			"Web", "Web", "t.yaml::Web", "t.yaml::"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
		if got := tt.a.ConfigAddr(); got != tt.cfg {
			t.Errorf("ConfigAddr() = %q, want %q", got, tt.cfg)
		}
		if got := tt.a.Key(); got != tt.key {
			t.Errorf("Key() = %q, want %q", got, tt.key)
		}
		if got := tt.a.Scope(); got != tt.scope {
			t.Errorf("Scope() = %q, want %q", got, tt.scope)
		}
	}
}

func TestDuplicateAddress(t *testing.T) {
	mk := func(line int) *graph.Resource {
		return &graph.Resource{
			Addr:  graph.Address{Stack: "s", Type: "aws_instance", Name: "x"},
			Range: graph.Range{Filename: "a.tf", Start: graph.PosAt(line, 0)},
		}
	}
	g, diags := graph.Build([]*graph.Resource{mk(1), mk(9)})
	if len(g.Resources) != 1 || g.Resources[0].Range.Start.Line != 1 {
		t.Errorf("want the first declaration kept, got %v", g.Resources)
	}
	if len(diags) != 1 || diags[0].Severity != graph.Warning || !strings.Contains(diags[0].Summary, "duplicate") {
		t.Errorf("want one duplicate warning, got %v", diags)
	}
}

func TestAttrRangeFallsBackToEnclosing(t *testing.T) {
	r := &graph.Resource{
		Range: graph.Range{Filename: "a.tf", Start: graph.Pos{Line: 1}},
		AttrRanges: graph.AttrRangesOf(map[string]graph.Range{
			"metadata_options.0": {Filename: "a.tf", Start: graph.Pos{Line: 3}},
		}),
	}
	for path, want := range map[string]int{
		"metadata_options.0.http_tokens": 3,
		"metadata_options.0":             3,
		"ami":                            1,
	} {
		if got := int(r.AttrRange(path).Start.Line); got != want {
			t.Errorf("AttrRange(%q) line %d, want %d", path, got, want)
		}
	}
}
