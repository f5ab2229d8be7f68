package plan

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/strider-sec/strider/graph"
)

// FuzzParse feeds arbitrary input to Detect and Parse. Parse must not
// panic — its recover turns a panic into an internal-error diagnostic,
// which fails here — and what it returns must be usable by graph.Build.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
		var compact bytes.Buffer
		if json.Compact(&compact, src) == nil {
			f.Add(compact.Bytes())
		}
	}
	// Small seeds exercise the same paths with room for the mutator.
	for _, s := range []string{
		`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"module.m[\"k\"].aws_instance.a[0]","mode":"managed","type":"aws_instance","name":"a","index":0,"values":{"metadata_options":[{"http_tokens":"optional"}],"n":1e3}}]}},"resource_changes":[{"address":"module.m[\"k\"].aws_instance.a[0]","change":{"actions":["create"],"after_unknown":{"id":true,"metadata_options":[{"http_endpoint":true}]}}}],"configuration":{"root_module":{"module_calls":{"m":{"module":{"resources":[{"address":"aws_instance.a","expressions":{"metadata_options":[{"http_tokens":{"constant_value":"optional"}}],"launch_template":[{"id":{"references":["aws_launch_template.t.id","aws_launch_template.t"]}}]}}]}}}}}}`,
		`{"format_version":"1.2","resource_changes":[{"address":"data.x.y","change":{"actions":["delete"],"before":{"a":[1,{"b":null}]}}},{"address":"x.y","deposed":"d","change":{"actions":["delete"]}}]}`,
		`{"format_version":"9.0","planned_values":{"root_module":{"child_modules":[{"address":"module.a","resources":[{"address":"module.a.t.n","values":{}}]}]}}}`,
		"{\n\"format_version\": \"1.2\",\n\"planned_values\": [\n",
		`{"format_version":1.2,"planned_values":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		Detect(src)
		rs, diags := Parse(src, "f.json")
		for _, d := range diags {
			if d.Summary == internalError {
				t.Fatalf("panic in Parse: %s", d.Detail)
			}
			if d.Range.Filename != "f.json" {
				t.Errorf("diagnostic without the file name: %v", d)
			}
		}
		for _, r := range rs {
			if r.Addr.Stack != "f.json" || r.Range.Filename != "f.json" || r.Format != graph.Plan {
				t.Errorf("%s: bad stack, range or format: %+v", r.Addr, r.Range)
			}
		}
		graph.Build(rs)
	})
}
