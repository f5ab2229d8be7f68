package graph_test

import (
	"slices"
	"testing"

	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

func TestCollectionAndBoolReaders(t *testing.T) {
	r := &graph.Resource{
		Attrs: graph.AttributesOf(cty.ObjectVal(map[string]cty.Value{
			"yes":       cty.True,
			"no_str":    cty.StringVal("FALSE"),
			"maybe":     cty.StringVal("yes"),
			"unknown":   cty.UnknownVal(cty.Bool),
			"cidrs":     cty.ListVal([]cty.Value{cty.StringVal("10.0.0.0/8"), cty.UnknownVal(cty.String)}),
			"one_cidr":  cty.StringVal("0.0.0.0/0"),
			"later":     cty.UnknownVal(cty.List(cty.String)),
			"empty":     cty.ListValEmpty(cty.String),
			"block":     cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("b")}),
			"variables": cty.MapVal(map[string]cty.Value{"B": cty.StringVal("2"), "A": cty.StringVal("1")}),
		})),
	}
	bools := []struct {
		path  string
		state graph.State
		v     bool
	}{
		{"yes", graph.Set, true},
		{"no_str", graph.Set, false},
		{"maybe", graph.Unknown, false}, // not a boolean the provider would accept: cannot tell
		{"unknown", graph.Unknown, false},
		{"missing", graph.Absent, false},
	}
	for _, tt := range bools {
		if got := r.BoolAttr(tt.path); got.State != tt.state || got.V != tt.v {
			t.Errorf("BoolAttr(%s) = %v %v, want %v %v", tt.path, got.V, got.State, tt.v, tt.state)
		}
	}
	lens := []struct {
		path  string
		n     int
		known bool
	}{
		{"cidrs", 2, true}, {"empty", 0, true}, {"missing", 0, true}, {"later", 0, false}, {"block", 1, true},
	}
	for _, tt := range lens {
		if n, known := r.ListLen(tt.path); n != tt.n || known != tt.known {
			t.Errorf("ListLen(%s) = %d %v, want %d %v", tt.path, n, known, tt.n, tt.known)
		}
	}
	vs, known := r.StringListAttr("cidrs")
	if !known || len(vs) != 2 || !vs[0].Is("10.0.0.0/8") || vs[1].State != graph.Unknown {
		t.Errorf("StringListAttr(cidrs) = %v %v", vs, known)
	}
	if vs, known := r.StringListAttr("one_cidr"); !known || len(vs) != 1 || !vs[0].Is("0.0.0.0/0") {
		t.Errorf("StringListAttr(one_cidr) = %v %v: a single string stands for a list of one", vs, known)
	}
	if _, known := r.StringListAttr("later"); known {
		t.Error("StringListAttr(later): an unknown list must say so")
	}
	keys, vals, known := r.MapAttr("variables")
	if !known || !slices.Equal(keys, []string{"A", "B"}) || !vals[0].Is("1") || !vals[1].Is("2") {
		t.Errorf("MapAttr(variables) = %v %v %v, want sorted keys with their values", keys, vals, known)
	}
	if _, _, known := r.MapAttr("cidrs"); known {
		t.Error("MapAttr of a list must not claim to know a map")
	}
}

func TestDecodeUserData(t *testing.T) {
	tests := []struct{ in, want string }{
		{"IyEvYmluL3NoCmVjaG8gaGkK", "#!/bin/sh\necho hi\n"},
		{"#!/bin/sh\necho hi\n", "#!/bin/sh\necho hi\n"},
		{"AAECAwQFBgc=", "AAECAwQFBgc="}, // binary: kept as written
		{"short", "short"},
	}
	for _, tt := range tests {
		if got := graph.DecodeUserData(tt.in); got != tt.want {
			t.Errorf("DecodeUserData(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
