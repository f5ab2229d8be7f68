package scan

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// planJSON is a plan of two resources: a counted instance in a module
// with an instance key, and a root instance, both allowing IMDSv1.
const planJSON = `{"format_version":"1.2",
"planned_values":{"root_module":{
  "resources":[{"address":"aws_instance.root","mode":"managed","type":"aws_instance","name":"root","values":{"metadata_options":[{"http_tokens":"optional"}]}}],
  "child_modules":[{"address":"module.m[\"k\"]","resources":[{"address":"module.m[\"k\"].aws_instance.a[0]","mode":"managed","type":"aws_instance","name":"a","index":0,"values":{"metadata_options":[{"http_tokens":"optional"}]}}]}]}},
"resource_changes":[
  {"address":"aws_instance.root","mode":"managed","type":"aws_instance","name":"root","change":{"actions":["create"]}},
  {"address":"module.m[\"k\"].aws_instance.a[0]","module_address":"module.m[\"k\"]","mode":"managed","type":"aws_instance","name":"a","index":0,"change":{"actions":["update"]}}]}
`

const rootTF = `module "m" {
  for_each = toset(["k"])
  source   = "./mod"
}

resource "aws_instance" "root" {
  ami = "ami-1"
  metadata_options {
    http_tokens = "optional"
  }
}
`

const modTF = `resource "aws_instance" "a" {
  count = 1
  metadata_options {
    http_tokens = "optional"
  }
}
`

func findingPlaces(t *testing.T, res *Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range res.Findings {
		out[f.Resource.Addr.Key()] = f.Range.String()
	}
	return out
}

func TestPlanFindingsPointAtSource(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"infra/plan.json":   planJSON,
		"infra/main.tf":     rootTF,
		"infra/mod/main.tf": modTF,
	})
	res, err := Run(context.Background(), Options{Paths: []string{filepath.Join(dir, "infra/plan.json")}, BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"infra/plan.json::aws_instance.root":               "infra/main.tf:9:5",
		`infra/plan.json::module.m["k"].aws_instance.a[0]`: "infra/mod/main.tf:4:5",
	}
	if diff := cmp.Diff(want, findingPlaces(t, res)); diff != "" {
		t.Errorf("places (-want +got):\n%s", diff)
	}

	// Without the source beside it, the plan itself; with --source, the
	// source wherever it is.
	write(t, dir, map[string]string{"plans/plan.json": planJSON})
	res, err = Run(context.Background(), Options{Paths: []string{filepath.Join(dir, "plans/plan.json")}, BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for k, place := range findingPlaces(t, res) {
		if filepath.Dir(place) != "plans" {
			t.Errorf("%s: %s, want a place in the plan", k, place)
		}
	}
	res, err = Run(context.Background(), Options{Paths: []string{filepath.Join(dir, "plans/plan.json")}, BaseDir: dir, Source: filepath.Join(dir, "infra")})
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{
		"plans/plan.json::aws_instance.root":               "infra/main.tf:9:5",
		`plans/plan.json::module.m["k"].aws_instance.a[0]`: "infra/mod/main.tf:4:5",
	}
	if diff := cmp.Diff(want, findingPlaces(t, res)); diff != "" {
		t.Errorf("--source places (-want +got):\n%s", diff)
	}
	if _, err := Run(context.Background(), Options{Paths: []string{filepath.Join(dir, "plans/plan.json")}, BaseDir: dir, Source: filepath.Join(dir, "nope")}); err == nil {
		t.Error("a missing --source is not an error")
	}
}

// Findings in a remote module installed by terraform init point at the
// module block that calls it.
func TestInstalledModuleFindingsPointAtCall(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"live/main.tf":                         "# the remote module\nmodule \"web\" {\n  source = \"registry.example/acme/web/aws\"\n}\n",
		"live/.terraform/modules/modules.json": `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"web","Source":"registry.example/acme/web/aws","Dir":".terraform/modules/web"}]}`,
		"live/.terraform/modules/web/main.tf":  "resource \"aws_instance\" \"w\" {\n  metadata_options {\n    http_tokens = \"optional\"\n  }\n}\n",
	})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"live::module.web.aws_instance.w": "live/main.tf:2:1"}
	if diff := cmp.Diff(want, findingPlaces(t, res)); diff != "" {
		t.Errorf("places (-want +got):\n%s\ndiagnostics: %v", diff, res.Diagnostics)
	}
}

func TestStripKeys(t *testing.T) {
	for in, want := range map[string]string{
		"":                             "",
		"module.a":                     "module.a",
		`module.a["x"].module.b[0]`:    "module.a.module.b",
		`module.a["x]y"].module.b`:     "module.a.module.b",
		`module.a["q\"]"].module.b[1]`: "module.a.module.b",
	} {
		if got := stripKeys(in); got != want {
			t.Errorf("stripKeys(%q) = %q, want %q", in, got, want)
		}
	}
}

// A plan resource from a remote module installed beside the plan points
// at the module call, not into .terraform.
func TestPlanFindingsInInstalledModules(t *testing.T) {
	dir := t.TempDir()
	plan := `{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"address":"module.web","resources":[
  {"address":"module.web.aws_instance.w","mode":"managed","type":"aws_instance","name":"w","values":{"metadata_options":[{"http_tokens":"optional"}]}}]}]}},
"resource_changes":[{"address":"module.web.aws_instance.w","module_address":"module.web","mode":"managed","type":"aws_instance","name":"w","change":{"actions":["create"]}}]}`
	write(t, dir, map[string]string{
		"live/plan.json":                       plan,
		"live/main.tf":                         "\nmodule \"web\" {\n  source = \"registry.example/acme/web/aws\"\n}\n",
		"live/.terraform/modules/modules.json": `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"web","Source":"registry.example/acme/web/aws","Dir":".terraform/modules/web"}]}`,
		"live/.terraform/modules/web/main.tf":  "resource \"aws_instance\" \"w\" {\n  metadata_options {\n    http_tokens = \"optional\"\n  }\n}\n",
	})
	res, err := Run(context.Background(), Options{Paths: []string{filepath.Join(dir, "live/plan.json")}, BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"live/plan.json::module.web.aws_instance.w": "live/main.tf:2:1"}
	if diff := cmp.Diff(want, findingPlaces(t, res)); diff != "" {
		t.Errorf("places (-want +got):\n%s", diff)
	}
}
