package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/strider-sec/strider/report"
)

// The graph of the shipped examples, in both formats.
func TestGraphGolden(t *testing.T) {
	for _, format := range []string{"json", "dot"} {
		t.Run(format, func(t *testing.T) {
			out, stderr, code := strider(t, "graph", "--format", format, "examples")
			if code != exitClean {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			golden(t, "examples.graph."+format+".golden", out)
		})
	}
}

func TestGraphJSONShape(t *testing.T) {
	out, _, _ := strider(t, "graph", "examples/terraform")
	var doc report.GraphJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range doc.Resources {
		if ids[r.ID] {
			t.Errorf("duplicate resource %s", r.ID)
		}
		ids[r.ID] = true
		if r.File == "" || r.Line == 0 || r.Address == "" {
			t.Errorf("resource without place: %+v", r)
		}
	}
	if len(doc.Resources) == 0 || len(doc.Edges) == 0 {
		t.Fatalf("want resources and edges, got %d and %d", len(doc.Resources), len(doc.Edges))
	}
	for _, e := range doc.Edges {
		if !ids[e.From] || !ids[e.To] {
			t.Errorf("edge between unknown resources: %+v", e)
		}
		if e.Range.Start.Line == 0 {
			t.Errorf("edge without range: %+v", e)
		}
	}
}

func TestGraphBadFormat(t *testing.T) {
	_, stderr, code := strider(t, "graph", "--format", "svg", "examples")
	if code != exitError || !strings.Contains(stderr, "unknown --format") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
