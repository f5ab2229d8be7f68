package scan

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/graph"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const instance = "resource \"aws_instance\" \"%s\" {}\n"

func tf(name string) string { return strings.Replace(instance, "%s", name, 1) }

func TestDiscovery(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"live/main.tf":                 "module \"app\" {\n  source = \"../modules/app\"\n}\n",
		"modules/app/main.tf":          tf("app"),
		"other/main.tf.json":           `{"resource": {"aws_instance": {"json": {}}}}`,
		".terraform/modules/x/main.tf": tf("installed"),
		"node_modules/pkg/main.tf":     tf("vendored"),
		".git/hooks/main.tf":           tf("git"),
		"k8s/deployment.yaml":          "apiVersion: apps/v1\nkind: Deployment\n",
		"cfn/stack.yaml":               "Resources:\n  Web:\n    Type: AWS::EC2::Instance\n",
		"plans/plan.json":              `{"format_version": "1.2", "planned_values": {"root_module": {}}}`,
		"terraform.tfvars.json":        `{"x": 1}`,
		"docs/readme.md":               "# not an input",
		"cfn/not-a-template.json":      `{"name": "package"}`,
	})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) > 0 {
		t.Errorf("diagnostics: %v", res.Diagnostics)
	}
	var addrs []string
	for _, r := range res.Graph.Resources {
		addrs = append(addrs, r.Addr.Key())
	}
	want := []string{
		"cfn/stack.yaml::Web",
		"live::module.app.aws_instance.app", // through its caller, not as a root
		"other::aws_instance.json",
	}
	if diff := cmp.Diff(want, addrs); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	wantInputs := []string{"cfn/stack.yaml", "live/main.tf", "modules/app/main.tf", "other/main.tf.json", "plans/plan.json"}
	if diff := cmp.Diff(wantInputs, res.Inputs); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Kind{KindCloudFormation, KindPlan, KindTerraform}, res.Kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
}

func TestDisplayNamesRelativeToBase(t *testing.T) {
	base := t.TempDir()
	write(t, base, map[string]string{"infra/prod/main.tf": tf("web")})
	res, err := Run(context.Background(), Options{Paths: []string{filepath.Join(base, "infra", "prod")}, BaseDir: base})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Graph.Resources[0]
	if r.Range.Filename != "infra/prod/main.tf" || r.Addr.Stack != "infra/prod" {
		t.Errorf("file %q stack %q, want names relative to the base directory", r.Range.Filename, r.Addr.Stack)
	}
}

func TestFileGivenDirectly(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"template.txt.yaml":      "Resources:\n  A:\n    Type: AWS::EC2::Instance\n",
		"main.tf":                tf("a"),
		"notes.txt":              "hello",
		"terraform.tfstate.json": `{"version": 4, "terraform_version": "1.9.8", "resources": []}`,
		"broken-stack.json":      `{"Resources": [`,
	})
	for _, tt := range []struct {
		file    string
		want    string
		wantErr bool
	}{
		{"template.txt.yaml", "template.txt.yaml::A", false},
		{"main.tf", ".::aws_instance.a", false},
		{"notes.txt", "", true},
		{"terraform.tfstate.json", "", true},
	} {
		res, err := Run(context.Background(), Options{Paths: []string{filepath.Join(dir, tt.file)}, BaseDir: dir})
		if (err != nil) != tt.wantErr {
			t.Fatalf("%s: err %v", tt.file, err)
		}
		if err != nil {
			continue
		}
		if len(res.Graph.Resources) != 1 || res.Graph.Resources[0].Addr.Key() != tt.want {
			t.Errorf("%s: resources %v, want %s", tt.file, res.Graph.Resources, tt.want)
		}
	}
}

// A template named as one but broken is parsed, so the user hears why.
func TestBrokenTemplateGivenDirectly(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"broken-stack.json": `{"Resources": [`})
	res, err := Run(context.Background(), Options{Paths: []string{filepath.Join(dir, "broken-stack.json")}, BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Diagnostics.HasErrors() || res.Diagnostics[0].Range.Filename != "broken-stack.json" {
		t.Errorf("want an error naming the template, got %v", res.Diagnostics)
	}
}

func TestSymlinksNotFollowed(t *testing.T) {
	outside := t.TempDir()
	write(t, outside, map[string]string{"secret/main.tf": tf("outside")})
	dir := t.TempDir()
	write(t, dir, map[string]string{"main.tf": tf("inside")})
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(dir, "link")); err != nil {
		t.Skip(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret", "main.tf"), filepath.Join(dir, "linked.tf")); err != nil {
		t.Skip(err)
	}
	res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Graph.Resources {
		if r.Addr.Name == "outside" {
			t.Errorf("read through a link leaving the scan root: %s", r.Addr)
		}
	}
	if !slices.ContainsFunc(res.Graph.Resources, func(r *graph.Resource) bool { return r.Addr.Name == "inside" }) {
		t.Error("the file inside the root was not scanned")
	}
}

func TestVarFileOutsideRootRefused(t *testing.T) {
	outside := t.TempDir()
	write(t, outside, map[string]string{"x.tfvars": `tokens = "optional"`})
	dir := t.TempDir()
	write(t, dir, map[string]string{"main.tf": tf("a")})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir, VarFiles: []string{filepath.Join(outside, "x.tfvars")}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Diagnostics.HasErrors() || !strings.Contains(res.Diagnostics[0].Detail, "outside the scan root") {
		t.Errorf("want a refusal, got %v", res.Diagnostics)
	}
}

func TestFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"big.yaml": "Resources:\n  A:\n    Type: AWS::EC2::Instance\n" + strings.Repeat("# padding\n", 200),
		"main.tf":  tf("a"),
	})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir, MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 1 || !strings.Contains(res.Diagnostics[0].Summary, "larger than") || res.Diagnostics[0].Range.Filename != "big.yaml" {
		t.Errorf("want one size diagnostic naming big.yaml, got %v", res.Diagnostics)
	}
	if len(res.Graph.Resources) != 1 {
		t.Errorf("the rest of the tree was not scanned: %v", res.Graph.Resources)
	}
}
