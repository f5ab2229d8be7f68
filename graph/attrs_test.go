package graph_test

import (
	"testing"

	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

func TestAttrReaders(t *testing.T) {
	r := &graph.Resource{
		Range: graph.Range{Filename: "a.tf", Start: graph.Pos{Line: 1}},
		Attrs: graph.AttributesOf(cty.ObjectVal(map[string]cty.Value{
			"metadata_options": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
				"http_tokens": cty.StringVal("required"),
				"hop":         cty.NumberIntVal(2),
				"hop_str":     cty.StringVal(" 3 "),
				"frac":        cty.NumberFloatVal(1.5),
				"unknown":     cty.UnknownVal(cty.String),
				"null":        cty.NullVal(cty.String),
			})}),
			"json_block": cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("lt-1")}),
			"tags":       cty.MapVal(map[string]cty.Value{"Name": cty.StringVal("web")}),
			"flag":       cty.True,
			"later":      cty.DynamicVal,
		})),
		AttrRanges: graph.AttrRangesOf(map[string]graph.Range{"metadata_options.0": {Filename: "a.tf", Start: graph.Pos{Line: 4}}}),
	}
	strs := []struct {
		path  string
		state graph.State
		v     string
		line  int
	}{
		{"metadata_options.0.http_tokens", graph.Set, "required", 4},
		{"metadata_options.0.hop", graph.Set, "2", 4},
		{"metadata_options.0.unknown", graph.Unknown, "", 4},
		{"metadata_options.0.null", graph.Absent, "", 4},
		{"metadata_options.1.http_tokens", graph.Absent, "", 1},
		{"metadata_options.x", graph.Absent, "", 1},
		{"json_block.0.id", graph.Set, "lt-1", 1},
		{"json_block.1.id", graph.Absent, "", 1},
		{"tags.Name", graph.Set, "web", 1},
		{"flag", graph.Set, "true", 1},
		{"later.deep.path", graph.Unknown, "", 1},
		{"missing", graph.Absent, "", 1},
	}
	for _, tt := range strs {
		got := r.StringAttr(tt.path)
		if got.State != tt.state || got.V != tt.v || int(got.Range.Start.Line) != tt.line {
			t.Errorf("StringAttr(%s) = %q %v line %d, want %q %v line %d", tt.path, got.V, got.State, got.Range.Start.Line, tt.v, tt.state, tt.line)
		}
	}
	ints := []struct {
		path  string
		state graph.State
		v     int
	}{
		{"metadata_options.0.hop", graph.Set, 2},
		{"metadata_options.0.hop_str", graph.Set, 3},
		{"metadata_options.0.frac", graph.Unknown, 0},
		{"metadata_options.0.http_tokens", graph.Unknown, 0},
		{"metadata_options.0.missing", graph.Absent, 0},
	}
	for _, tt := range ints {
		if got := r.IntAttr(tt.path); got.State != tt.state || got.V != tt.v {
			t.Errorf("IntAttr(%s) = %d %v, want %d %v", tt.path, got.V, got.State, tt.v, tt.state)
		}
	}
	if !r.HasAttr("metadata_options.0") || r.HasAttr("metadata_options.0.null") {
		t.Error("HasAttr disagrees with what is written")
	}
}
