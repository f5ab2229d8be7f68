package graph_test

import (
	"testing"

	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

func TestAttributes(t *testing.T) {
	obj := cty.ObjectVal(map[string]cty.Value{
		"b": cty.StringVal("x"),
		"a": cty.NullVal(cty.String),
		"c": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"d": cty.True})}),
	})
	tests := []struct {
		name   string
		attrs  graph.Attributes
		known  bool
		len    int
		object cty.Value
	}{
		{"object", graph.AttributesOf(obj), true, 3, obj},
		{"map", graph.NewAttributes(obj.AsValueMap()), true, 3, obj},
		{"unknown", graph.AttributesOf(cty.DynamicVal), false, 0, cty.DynamicVal},
		{"null", graph.AttributesOf(cty.NullVal(cty.DynamicPseudoType)), true, 0, cty.EmptyObjectVal},
		{"not an object", graph.AttributesOf(cty.StringVal("s")), true, 0, cty.EmptyObjectVal},
		{"zero", graph.Attributes{}, true, 0, cty.EmptyObjectVal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.attrs
			if a.Known() != tt.known || a.Len() != tt.len {
				t.Errorf("Known %v Len %d, want %v %d", a.Known(), a.Len(), tt.known, tt.len)
			}
			if got := a.Object(); !got.RawEquals(tt.object) {
				t.Errorf("Object() = %#v, want %#v", got, tt.object)
			}
			var names []string
			for n := range a.All() {
				names = append(names, n)
			}
			if tt.len == 3 && (len(names) != 3 || names[0] != "a" || names[2] != "c") {
				t.Errorf("All yields %q, want sorted names", names)
			}
		})
	}
}

func TestAttributesGetAndAttr(t *testing.T) {
	r := &graph.Resource{Attrs: graph.AttributesOf(cty.ObjectVal(map[string]cty.Value{
		"name":             cty.StringVal("web"),
		"gone":             cty.NullVal(cty.String),
		"metadata_options": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"http_tokens": cty.StringVal("required")})}),
	}))}
	if v, ok := r.Attrs.Get("name"); !ok || v.AsString() != "web" {
		t.Errorf("Get(name) = %#v, %v", v, ok)
	}
	if _, ok := r.Attrs.Get("missing"); ok {
		t.Error("Get of an attribute not written found one")
	}
	for path, want := range map[string]cty.Value{
		"name":                           cty.StringVal("web"),
		"gone":                           cty.NilVal,
		"missing":                        cty.NilVal,
		"metadata_options.0.http_tokens": cty.StringVal("required"),
		"metadata_options.1.http_tokens": cty.NilVal,
		"0.name":                         cty.StringVal("web"), // JSON syntax's single block
		"1.name":                         cty.NilVal,
	} {
		if got := r.Attr(path); !(got == cty.NilVal && want == cty.NilVal) && (got == cty.NilVal || !got.RawEquals(want)) {
			t.Errorf("Attr(%q) = %#v, want %#v", path, got, want)
		}
	}
	u := &graph.Resource{Attrs: graph.UnknownAttributes}
	if got := u.Attr("anything.0.below"); got != cty.DynamicVal {
		t.Errorf("Attr on unknown attributes = %#v, want DynamicVal", got)
	}
	if v, ok := u.Attrs.Get("x"); !ok || v != cty.DynamicVal {
		t.Errorf("Get on unknown attributes = %#v, %v; want DynamicVal, true", v, ok)
	}
}
