package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The committed accessors must be exactly what the spec generates: a
// facet added to facetSpec without `go generate ./graph` fails here.
func TestGeneratedUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..")
	src, err := os.ReadFile(filepath.Join(dir, specFile))
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, outFile))
	if err != nil {
		t.Fatalf("%v (run go generate ./graph)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("graph/%s is stale (run go generate ./graph); -generated +committed:\n%s", outFile, diff)
	}
}
