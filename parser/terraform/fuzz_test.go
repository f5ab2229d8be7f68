package terraform

import (
	"path/filepath"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// FuzzLoadRoot feeds arbitrary configuration to the loader and evaluator:
// whatever the input, they return resources and diagnostics, never panic.
func FuzzLoadRoot(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if filepath.Ext(af.Name) == ".tf" {
				f.Add(af.Data, false)
			}
		}
	}
	f.Add([]byte(`{"resource": {"aws_instance": {"a": {"count": 2}}}}`), true)
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		name := "main.tf"
		if json {
			name = "main.tf.json"
		}
		fsys := fstest.MapFS{
			name:          {Data: src},
			"mod/main.tf": {Data: src},
		}
		NewLoader(fsys, Options{}).LoadRoot(".")
	})
}
