package graph

import (
	"cmp"
	"iter"
	"maps"
	"slices"

	"github.com/zclconf/go-cty/cty"
)

// Attributes are a resource's top-level attributes and blocks as written
// or planned, each with its value; unknown parts are cty unknowns. Below
// the top level, values are plain cty values (nested blocks are tuples of
// objects).
//
// The top level is a slice sorted by name rather than a cty object: an
// object value holds two maps, its type's and its values', several hundred
// bytes for the three or four attributes a resource typically sets, and a
// scan holds one per resource. The zero value has no attributes.
type Attributes struct {
	fields []attrField
	// unknown says the whole set is unknown: a CloudFormation resource
	// whose Properties come from a value known only on deployment.
	unknown bool
}

type attrField struct {
	name string
	val  cty.Value
}

// UnknownAttributes are attributes unknown as a whole.
var UnknownAttributes = Attributes{unknown: true}

// NewAttributes holds the values of m.
func NewAttributes(m map[string]cty.Value) Attributes {
	if len(m) == 0 {
		return Attributes{}
	}
	a := Attributes{fields: make([]attrField, 0, len(m))}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		a.fields = append(a.fields, attrField{name, m[name]})
	}
	return a
}

// AttributesOf holds the attributes of an object value. An unknown value
// gives attributes unknown as a whole; null and non-objects give none.
func AttributesOf(v cty.Value) Attributes {
	switch {
	case v == cty.NilVal:
		return Attributes{}
	case !v.IsKnown():
		return UnknownAttributes
	case v.IsNull() || !v.Type().IsObjectType():
		return Attributes{}
	}
	return NewAttributes(v.AsValueMap())
}

// Known reports whether the attributes are known; when they are not, no
// attribute can be told.
func (a Attributes) Known() bool { return !a.unknown }

// Len is the number of attributes.
func (a Attributes) Len() int { return len(a.fields) }

// Get returns the value of the attribute name and whether it is there.
// On attributes unknown as a whole it returns cty.DynamicVal and true: the
// attribute may exist once known.
func (a Attributes) Get(name string) (cty.Value, bool) {
	if a.unknown {
		return cty.DynamicVal, true
	}
	i, ok := slices.BinarySearchFunc(a.fields, name, func(f attrField, n string) int { return cmp.Compare(f.name, n) })
	if !ok {
		return cty.NilVal, false
	}
	return a.fields[i].val, true
}

// All yields every attribute and its value, sorted by name.
func (a Attributes) All() iter.Seq2[string, cty.Value] {
	return func(yield func(string, cty.Value) bool) {
		for _, f := range a.fields {
			if !yield(f.name, f.val) {
				return
			}
		}
	}
}

// Map returns the attributes as a new map, nil when unknown.
func (a Attributes) Map() map[string]cty.Value {
	if a.unknown {
		return nil
	}
	m := make(map[string]cty.Value, len(a.fields))
	for _, f := range a.fields {
		m[f.name] = f.val
	}
	return m
}

// Object returns the attributes as one cty object value: cty.DynamicVal
// when unknown, an empty object when there are none. It builds the value
// on each call; read single attributes with Get or Resource.Attr.
func (a Attributes) Object() cty.Value {
	switch {
	case a.unknown:
		return cty.DynamicVal
	case len(a.fields) == 0:
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(a.Map())
}
