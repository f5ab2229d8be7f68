package tfschema

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

// Get walks a dotted path through objects, maps, lists and tuples. It
// returns cty.NilVal when a step is missing or null, and an unknown value
// as soon as it meets one.
func Get(v cty.Value, path string) cty.Value {
	for _, step := range strings.Split(path, ".") {
		if v == cty.NilVal || v.IsNull() {
			return cty.NilVal
		}
		if !v.IsKnown() {
			return cty.DynamicVal
		}
		ty := v.Type()
		switch {
		case ty.IsObjectType() && isIndex(step):
			// .tf.json writes a single nested block as an object rather
			// than a list of one: index 0 of it is the object itself.
			if step != "0" {
				return cty.NilVal
			}
		case ty.IsObjectType():
			if !ty.HasAttribute(step) {
				return cty.NilVal
			}
			v = v.GetAttr(step)
		case ty.IsMapType():
			k := cty.StringVal(step)
			if !v.HasIndex(k).True() {
				return cty.NilVal
			}
			v = v.Index(k)
		case ty.IsListType() || ty.IsTupleType():
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= v.LengthInt() {
				return cty.NilVal
			}
			v = v.Index(cty.NumberIntVal(int64(i)))
		default:
			return cty.NilVal
		}
	}
	if v != cty.NilVal && v.IsNull() {
		return cty.NilVal
	}
	return v
}

func isIndex(step string) bool {
	_, err := strconv.Atoi(step)
	return err == nil
}

// String reads a string attribute of r as a facet value.
func String(r *graph.Resource, path string) graph.Value[string] {
	v := Get(r.Attrs, path)
	rg := r.AttrRange(path)
	switch {
	case v == cty.NilVal:
		return graph.Value[string]{Range: rg}
	case !v.IsWhollyKnown():
		return graph.UnknownValue[string](rg)
	}
	switch v.Type() {
	case cty.String:
		return graph.Known(v.AsString(), rg)
	case cty.Bool:
		return graph.Known(strconv.FormatBool(v.True()), rg)
	case cty.Number:
		return graph.Known(v.AsBigFloat().Text('f', -1), rg)
	}
	return graph.UnknownValue[string](rg)
}

// Int reads a whole-number attribute of r as a facet value.
func Int(r *graph.Resource, path string) graph.Value[int] {
	v := Get(r.Attrs, path)
	rg := r.AttrRange(path)
	switch {
	case v == cty.NilVal:
		return graph.Value[int]{Range: rg}
	case !v.IsWhollyKnown():
		return graph.UnknownValue[int](rg)
	}
	if v.Type() == cty.String {
		if n, err := strconv.Atoi(v.AsString()); err == nil {
			return graph.Known(n, rg)
		}
	}
	if v.Type() == cty.Number {
		if n, acc := v.AsBigFloat().Int64(); acc == big.Exact {
			return graph.Known(int(n), rg)
		}
	}
	return graph.UnknownValue[int](rg)
}

// HasBlock reports whether the nested block at path is written.
func HasBlock(r *graph.Resource, path string) bool {
	return Get(r.Attrs, path) != cty.NilVal
}

// RefAt returns the first reference r makes from an attribute under path.
// A single block written as a JSON object has no index in its
// path, so "launch_template.0" also matches "launch_template".
func RefAt(r *graph.Resource, path string) *graph.Ref {
	bare := strings.TrimSuffix(path, ".0")
	for i := range r.Refs {
		a := r.Refs[i].Attr
		if a == path || strings.HasPrefix(a, path+".") || a == bare {
			return &r.Refs[i]
		}
	}
	return nil
}
