package graph

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestInterner(t *testing.T) {
	obj := func(v cty.Value) cty.Value { return cty.ObjectVal(map[string]cty.Value{"a": v}) }
	// Each pair differs only in a way a careless hash would miss.
	distinct := [][2]cty.Value{
		{cty.TupleVal([]cty.Value{cty.StringVal("a")}), cty.ListVal([]cty.Value{cty.StringVal("a")})},
		{obj(cty.StringVal("1")), cty.MapVal(map[string]cty.Value{"a": cty.StringVal("1")})},
		{obj(cty.StringVal("1")), obj(cty.NumberIntVal(1))},
		{obj(cty.NullVal(cty.String)), obj(cty.NullVal(cty.Number))},
		{obj(cty.UnknownVal(cty.String)), obj(cty.UnknownVal(cty.Number))},
		{obj(cty.StringVal("ab")), obj(cty.StringVal("a"))},
		{cty.TupleVal([]cty.Value{cty.StringVal("ab"), cty.StringVal("")}), cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})},
		{obj(cty.NumberFloatVal(0.1)), obj(cty.NumberFloatVal(0.2))},
		{obj(cty.True), obj(cty.False)},
	}
	for _, p := range distinct {
		var in Interner
		for _, v := range p {
			if got := in.Value(v); !got.RawEquals(v) {
				t.Errorf("Value(%#v) = %#v", v, got)
			}
		}
	}

	var in Interner
	build := func() cty.Value {
		return cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
			"from_port": cty.NumberIntVal(443), "cidr_blocks": cty.ListVal([]cty.Value{cty.StringVal("10.0.0.0/8")}),
			"description": cty.UnknownVal(cty.String),
		})})
	}
	first, second, other := build(), build(), obj(cty.StringVal("x"))
	marked := obj(cty.StringVal("secret").Mark("sensitive"))
	for _, v := range []cty.Value{first, second, other, cty.StringVal("primitive"), cty.DynamicVal, marked, marked} {
		if got := in.Value(v); !got.RawEquals(v) {
			t.Errorf("Value(%#v) = %#v", v, got)
		}
	}
	n := 0
	for _, vs := range in.seen {
		n += len(vs)
	}
	if n != 2 {
		t.Errorf("interner holds %d values, want 2: the two equal blocks share one; primitives, unknowns and marked values are not held", n)
	}
}
