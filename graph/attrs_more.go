package graph

import (
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// BoolAttr reads a boolean written as a bool or as the strings "true" and
// "false" in any case (CloudFormation templates write both). Anything else
// is unknown: a rule must not guess what "yes" means to the provider.
func (r *Resource) BoolAttr(path string) Value[bool] {
	s := r.StringAttr(path)
	switch {
	case s.State != Set:
		return Value[bool]{State: s.State, Range: s.Range}
	case strings.EqualFold(s.V, "true"):
		return Known(true, s.Range)
	case strings.EqualFold(s.V, "false"):
		return Known(false, s.Range)
	}
	return UnknownValue[bool](s.Range)
}

// ListLen is the number of elements of the list, set or tuple at path. It
// is (0, true) when nothing is written and (0, false) when the collection
// is unknown. A single object (a nested block in Terraform's JSON syntax,
// or a CloudFormation property written as one item) counts as one.
func (r *Resource) ListLen(path string) (n int, known bool) {
	v := r.Attr(path)
	switch {
	case v == cty.NilVal:
		return 0, true
	case !v.IsKnown():
		return 0, false
	}
	ty := v.Type()
	switch {
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		return v.LengthInt(), true
	case ty.IsObjectType() || ty.IsMapType():
		return 1, true
	}
	return 0, false
}

// StringListAttr reads a list of strings, or a single string written where
// a list is allowed. known is false when the list itself is unknown;
// elements may still be unknown one by one.
func (r *Resource) StringListAttr(path string) (vs []Value[string], known bool) {
	v := r.Attr(path)
	switch {
	case v == cty.NilVal:
		return nil, true
	case !v.IsKnown():
		return nil, false
	}
	ty := v.Type()
	if !(ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) {
		return []Value[string]{r.StringAttr(path)}, true
	}
	n, _ := r.ListLen(path)
	for i := range n {
		vs = append(vs, r.StringAttr(path+"."+strconv.Itoa(i)))
	}
	return vs, true
}

// MapAttr reads a map or object of strings, keys in sorted order (cty
// iterates maps and objects sorted), each value with its range.
func (r *Resource) MapAttr(path string) (keys []string, vals []Value[string], known bool) {
	v := r.Attr(path)
	switch {
	case v == cty.NilVal:
		return nil, nil, true
	case !v.IsKnown():
		return nil, nil, false
	}
	ty := v.Type()
	if !(ty.IsMapType() || ty.IsObjectType()) {
		return nil, nil, false
	}
	for it := v.ElementIterator(); it.Next(); {
		k, _ := it.Element()
		if !k.IsKnown() || k.Type() != cty.String {
			continue
		}
		keys = append(keys, k.AsString())
		vals = append(vals, r.StringAttr(path+"."+k.AsString()))
	}
	return keys, vals, true
}
