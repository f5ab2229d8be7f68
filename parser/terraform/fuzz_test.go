package terraform

import (
	"path/filepath"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// FuzzLoadRoot feeds arbitrary configuration to the evaluator, next to a
// local module: whatever the input, evaluation must end with diagnostics,
// never a panic.
func FuzzLoadRoot(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if filepath.Ext(af.Name) == ".tf" {
				f.Add(string(af.Data))
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		fsys := fstest.MapFS{
			"main.tf":       {Data: []byte(src)},
			"m/main.tf":     {Data: []byte(src)},
			"cfg.yaml":      {Data: []byte("a: 1\n")},
			"names/main.tf": {Data: []byte(`variable "names" {}` + "\n" + `output "first" { value = var.names[0] }`)},
		}
		// Small bounds keep each input fast: expansion limits are tested
		// apart (TestInstanceBudget).
		NewLoader(fsys, Options{MaxModuleDepth: 4, MaxInstances: 2000}).LoadRoot(".")
	})
}
