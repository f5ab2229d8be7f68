package graph

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Attribute paths are attribute and block names joined by dots, with the
// index of each list element ("metadata_options.0.http_tokens",
// "LaunchTemplateData.MetadataOptions.HttpTokens"). Parsers record ranges
// and references under these paths; facet adapters read values by them.

// Attr walks a path through r.Attrs: objects, maps, lists and tuples. It
// returns cty.NilVal when a step is missing or null, and cty.DynamicVal as
// soon as it meets an unknown: the rest of the path may exist once known.
func (r *Resource) Attr(path string) cty.Value {
	if !r.Attrs.Known() {
		return cty.DynamicVal
	}
	first, rest, _ := strings.Cut(path, ".")
	for isIndex(first) {
		// The JSON syntax's single block, as below: "0.x" is "x".
		if first != "0" {
			return cty.NilVal
		}
		first, rest, _ = strings.Cut(rest, ".")
	}
	v, ok := r.Attrs.Get(first)
	if !ok {
		return cty.NilVal
	}
	if rest == "" {
		if v != cty.NilVal && v.IsNull() {
			return cty.NilVal
		}
		return v
	}
	for _, step := range strings.Split(rest, ".") {
		if v == cty.NilVal || v.IsNull() {
			return cty.NilVal
		}
		if !v.IsKnown() {
			return cty.DynamicVal
		}
		ty := v.Type()
		switch {
		case ty.IsObjectType() && isIndex(step):
			// Terraform's JSON syntax writes a single nested block as an
			// object rather than a list of one: its element 0 is itself.
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

// HasAttr reports whether the attribute or block at path is written. A path
// under an unknown value counts as written (it may exist once known), so
// never probe list indexes with it: use ListLen.
func (r *Resource) HasAttr(path string) bool { return r.Attr(path) != cty.NilVal }

// StringAttr reads the attribute at path as a facet value. Numbers and
// bools are taken in their string form, as both Terraform and
// CloudFormation convert them.
func (r *Resource) StringAttr(path string) Value[string] {
	v := r.Attr(path)
	rg := r.AttrRange(path)
	if v == cty.NilVal {
		return Value[string]{Range: rg}
	}
	if s, ok := AsString(v); ok {
		return Known(s, rg)
	}
	return UnknownValue[string](rg)
}

// IntAttr reads a whole number written as a number or a string.
func (r *Resource) IntAttr(path string) Value[int] {
	v := r.Attr(path)
	rg := r.AttrRange(path)
	switch {
	case v == cty.NilVal:
		return Value[int]{Range: rg}
	case !v.IsWhollyKnown():
		return UnknownValue[int](rg)
	}
	switch v.Type() {
	case cty.String:
		if n, err := strconv.Atoi(strings.TrimSpace(v.AsString())); err == nil {
			return Known(n, rg)
		}
	case cty.Number:
		if f := v.AsBigFloat(); f.IsInt() {
			if n, acc := f.Int64(); acc == big.Exact && int64(int(n)) == n {
				return Known(int(n), rg)
			}
		}
	}
	return UnknownValue[int](rg)
}

// AsString reads a known primitive as a string.
func AsString(v cty.Value) (string, bool) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true
	case cty.Bool:
		return strconv.FormatBool(v.True()), true
	}
	return "", false
}
