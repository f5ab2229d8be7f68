package iam

import (
	"encoding/json"

	"github.com/zclconf/go-cty/cty"
)

// FromValue reads a policy document from a cty value: an object as
// CloudFormation writes it, or a Terraform value before jsonencode. A
// known string is parsed as JSON text. Unknown parts become Unknown.
func FromValue(v cty.Value) (*Document, error) {
	v, _ = v.UnmarkDeep()
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return Parse(v.AsString())
	}
	return FromAny(ToAny(v))
}

// ToAny converts a cty value to the decoded-JSON tree FromAny reads, with
// Unknown for unknown parts.
func ToAny(v cty.Value) any {
	v, _ = v.UnmarkDeep()
	if v == cty.NilVal || !v.IsKnown() {
		return Unknown{}
	}
	if v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		return json.Number(v.AsBigFloat().Text('f', -1))
	case ty == cty.Bool:
		return v.True()
	case ty.IsObjectType() || ty.IsMapType():
		m := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			m[k.AsString()] = ToAny(e)
		}
		return m
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		var l []any
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			l = append(l, ToAny(e))
		}
		if l == nil {
			l = []any{}
		}
		return l
	}
	return Unknown{}
}
