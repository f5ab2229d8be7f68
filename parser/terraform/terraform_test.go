package terraform

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fsOf turns a txtar archive into a file system, as a scan root.
func fsOf(t *testing.T, file string) fstest.MapFS {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

// dump renders what the loader produced: every resource with its range,
// attributes (unknowns shown as (unknown)), refs and IMDS facet; then the
// diagnostics.
func dump(root *Root) string {
	var b strings.Builder
	for _, r := range root.Resources {
		fmt.Fprintf(&b, "%s @ %s\n", r.Addr.Key(), r.Range)
		if r.Region.State == graph.Set || r.Account.State == graph.Set {
			fmt.Fprintf(&b, "  provider %s region=%s(%v) account=%s(%v)\n", r.Provider, r.Region.V, r.Region.State, r.Account.V, r.Account.State)
		}
		fmt.Fprintf(&b, "  attrs %s\n", renderValue(r.Attrs.Object()))
		for _, ref := range r.Refs {
			target := ref.Target
			if ref.Scoped {
				target = strings.TrimPrefix(ref.Module+"."+ref.Target, ".") + " (in module " + strconv.Quote(ref.Module) + ")"
			}
			fmt.Fprintf(&b, "  ref %s from %s @ %s\n", target, ref.Attr, ref.Range)
		}
		if m := r.Facets.IMDS(); m != nil {
			fmt.Fprintf(&b, "  imds tokens=%s(%v)@%s block=%v@%s", m.Tokens.V, m.Tokens.State, m.Tokens.Range, m.BlockSet, m.Block)
			if l := m.LaunchTemplate; l != nil {
				fmt.Fprintf(&b, " template-ref=%v", l.Ref != nil)
			}
			if m.TemplateName.State != graph.Absent {
				fmt.Fprintf(&b, " name=%s(%v)", m.TemplateName.V, m.TemplateName.State)
			}
			b.WriteByte('\n')
		}
		if d := r.Facets.IMDSDefaults(); d != nil {
			fmt.Fprintf(&b, "  imds-defaults tokens=%s(%v)\n", d.Tokens.V, d.Tokens.State)
		}
	}
	fmt.Fprintf(&b, "files %s\n", strings.Join(root.Files, " "))
	for _, d := range root.Diagnostics {
		fmt.Fprintf(&b, "diag %s\n", d)
	}
	return b.String()
}

// renderValue writes a value as JSON, with unknowns marked, so the golden
// file shows exactly what is known.
func renderValue(v cty.Value) string {
	v, _ = cty.Transform(v, func(p cty.Path, v cty.Value) (cty.Value, error) {
		if !v.IsKnown() {
			return cty.StringVal("(unknown)"), nil
		}
		return v, nil
	})
	js, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return "!" + err.Error()
	}
	return string(js)
}

func TestLoadRoot(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			l := NewLoader(fsOf(t, file), Options{Prefix: "fx"})
			got := dump(l.LoadRoot("."))
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

func TestLocalModuleCalls(t *testing.T) {
	l := NewLoader(fsOf(t, "testdata/modules.txtar"), Options{})
	if got, want := l.LocalModuleCalls("."), []string{"modules/app", "modules/gone"}; !cmp.Equal(got, want) {
		t.Errorf("LocalModuleCalls = %v, want %v", got, want)
	}
}

func TestVarsOverride(t *testing.T) {
	fsys := fsOf(t, "testdata/variables_locals.txtar")
	fsys["extra.tfvars"] = &fstest.MapFile{Data: []byte(`tokens = "from-var-file"`)}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"auto files, last wins", Options{}, "required"},
		{"var file after auto files", Options{VarFiles: []string{"extra.tfvars"}}, "from-var-file"},
		{"-var wins over files", Options{VarFiles: []string{"extra.tfvars"}, Vars: map[string]string{"tokens": "cli"}}, "cli"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := NewLoader(fsys, tt.opts).LoadRoot(".")
			for _, r := range root.Resources {
				if r.Addr.String() == "aws_launch_template.lt" {
					if got := r.Facets.IMDS().Tokens.V; got != tt.want {
						t.Errorf("tokens = %q, want %q", got, tt.want)
					}
					return
				}
			}
			t.Fatal("launch template not found")
		})
	}
}

func TestModuleCycle(t *testing.T) {
	fsys := fstest.MapFS{
		"main.tf":   {Data: []byte(`module "a" { source = "./a" }`)},
		"a/main.tf": {Data: []byte(`module "b" { source = "../" }`)},
	}
	root := NewLoader(fsys, Options{}).LoadRoot(".")
	if !root.Diagnostics.HasErrors() || !strings.Contains(root.Diagnostics[0].Summary, "calls itself") {
		t.Errorf("want a cycle error, got %v", root.Diagnostics)
	}
}

func TestSourceOutsideRoot(t *testing.T) {
	fsys := fstest.MapFS{"main.tf": {Data: []byte(`module "a" { source = "../../etc" }`)}}
	l := NewLoader(fsys, Options{})
	if calls := l.LocalModuleCalls("."); len(calls) != 0 {
		t.Errorf("a source leaving the root was followed: %v", calls)
	}
	root := l.LoadRoot(".")
	if len(root.Diagnostics) != 1 || root.Diagnostics[0].Severity != graph.Error ||
		!strings.Contains(root.Diagnostics[0].Summary, "outside the scanned directory") {
		t.Errorf("want one error saying the module lies outside the scan, got %v", root.Diagnostics)
	}
}

// Expansion multiplies through nested modules; the root's budget stops
// it with one error, and what was evaluated is kept.
func TestInstanceBudget(t *testing.T) {
	fsys := fstest.MapFS{
		"main.tf":   {Data: []byte(`module "m" {` + "\n" + `source = "./m"` + "\n" + `count = 100` + "\n}")},
		"m/main.tf": {Data: []byte(`resource "aws_sqs_queue" "q" {` + "\n" + `count = 100` + "\n}")},
	}
	root := NewLoader(fsys, Options{MaxInstances: 250}).LoadRoot(".")
	if len(root.Resources) != 150 {
		t.Errorf("%d resources, want 150 (100 module instances take their share)", len(root.Resources))
	}
	if len(root.Diagnostics) != 1 || !strings.Contains(root.Diagnostics[0].Summary, "more than 250 instances") {
		t.Errorf("want one budget error, got %v", root.Diagnostics)
	}
}
