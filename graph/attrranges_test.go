package graph_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/strider-sec/strider/graph"
)

func TestAttrRanges(t *testing.T) {
	at := func(line int) graph.Range { return graph.Range{Filename: "a.tf", Start: graph.PosAt(line, 1)} }
	tests := []struct {
		name string
		sets []string // path set at line i+1
		want map[string]int
	}{
		{"in order", []string{"a", "b", "c"}, map[string]int{"a": 1, "b": 2, "c": 3}},
		{"out of order", []string{"c", "a", "b"}, map[string]int{"a": 2, "b": 3, "c": 1}},
		{"later set wins in order", []string{"a", "a"}, map[string]int{"a": 2}},
		{"later set wins out of order", []string{"b", "a", "b", "a"}, map[string]int{"a": 4, "b": 3}},
		{"empty", nil, map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a graph.AttrRanges
			for i, p := range tt.sets {
				a.Set(p, at(i+1))
			}
			check := func(when string) {
				for p, line := range tt.want {
					rg, ok := a.Get(p)
					if !ok || int(rg.Start.Line) != line {
						t.Errorf("%s: Get(%q) = %v, %v; want line %d", when, p, rg, ok, line)
					}
				}
				if _, ok := a.Get("missing"); ok {
					t.Errorf("%s: Get of a path never set found one", when)
				}
			}
			check("before Sort")
			a.Sort()
			check("after Sort")
			if a.Len() != len(tt.want) {
				t.Errorf("Len = %d, want %d", a.Len(), len(tt.want))
			}
			var paths []string
			for p := range a.All() {
				paths = append(paths, p)
			}
			if want := slices.Sorted(maps.Keys(tt.want)); !slices.Equal(paths, want) {
				t.Errorf("All yields %q, want %q", paths, want)
			}
		})
	}
}

func TestAttrRangesMap(t *testing.T) {
	a := graph.AttrRangesOf(map[string]graph.Range{"x": {Filename: "plan.json"}, "y": {Filename: "plan.json"}})
	a.Map(func(p string, rg graph.Range) graph.Range { return graph.Range{Filename: p + ".tf"} })
	for _, p := range []string{"x", "y"} {
		if rg, _ := a.Get(p); rg.Filename != p+".tf" {
			t.Errorf("after Map, %s is in %q", p, rg.Filename)
		}
	}
}
