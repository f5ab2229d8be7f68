package suppress

import (
	"testing"
	"testing/fstest"
)

// Any bytes, read as a Terraform file or a template, give directives and
// diagnostics but never a panic; every diagnostic points into the file.
func FuzzScan(f *testing.F) {
	for _, seed := range []string{
		"# strider:ignore SDR-EC2-001 exp:2026-01-01 -- why\nresource \"a\" \"b\" {}\n",
		"x = 1 // strider:ignore a,b,,c -- \n",
		"Resources:\n  A:\n    Metadata:\n      strider:\n        ignore:\n          - {id: x, reason: y, expires: 2020-13-01}\n",
		"{\"Resources\": {\"A\": {\"Metadata\": {\"strider\": {\"ignore\": [1, {\"id\": \"\"}]}}}}}",
		"#strider:ignore--",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, name := range []string{"main.tf", "t.yaml"} {
			s := New(fstest.MapFS{name: {Data: src}}, Options{Today: today, Known: known})
			s.Scan(name)
			s.Match(finding(imds, name, 1, 1))
			for _, d := range s.Diagnostics() {
				if d.Range.Filename != name || d.Range.Start.Line < 1 {
					t.Errorf("diagnostic at %v", d.Range)
				}
			}
		}
	})
}
