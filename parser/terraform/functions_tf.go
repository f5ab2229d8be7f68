package terraform

import (
	"errors"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Functions whose Terraform meaning differs from go-cty's function of the
// same name. Modules rely on the differences (coalesce skipping "",
// length of a string, replace with a /regex/), and getting them wrong
// turns known values unknown or, worse, into other values.
func init() {
	functions["coalesce"] = coalesceFunc
	functions["length"] = lengthFunc
	functions["replace"] = replaceFunc
}

// coalesceFunc returns the first argument that is neither null nor an
// empty string. An unknown argument before the answer makes it unknown.
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		types := make([]cty.Type, len(args))
		for i, a := range args {
			types[i] = a.Type()
		}
		ty, _ := convert.UnifyUnsafe(types)
		if ty == cty.NilType {
			return cty.NilType, errors.New("all arguments must have the same type")
		}
		return ty, nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, a := range args {
			a, err := convert.Convert(a, retType)
			if err != nil {
				return cty.NilVal, err
			}
			if !a.IsKnown() {
				return cty.UnknownVal(retType), nil
			}
			if a.IsNull() || (a.Type() == cty.String && a.AsString() == "") {
				continue
			}
			return a, nil
		}
		return cty.NilVal, errors.New("no non-null, non-empty-string arguments")
	},
})

// lengthFunc counts the elements of a collection, the attributes of an
// object, or the characters (grapheme clusters) of a string.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true, AllowMarked: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		ty := v.Type()
		switch {
		case ty == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number), nil
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))), nil
		case ty.IsTupleType():
			return cty.NumberIntVal(int64(len(ty.TupleElementTypes()))), nil
		case ty == cty.String:
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if v.IsNull() {
				return cty.NilVal, errors.New("argument must not be null")
			}
			return stdlib.Strlen(v)
		case ty.IsListType() || ty.IsSetType() || ty.IsMapType():
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if v.IsNull() {
				return cty.NilVal, errors.New("argument must not be null")
			}
			return v.Length(), nil
		}
		return cty.NilVal, errors.New("argument must be a string, a collection type, or a structural type")
	},
})

// replaceFunc is Terraform's replace: a substring in slashes is a regular
// expression, anything else is replaced literally.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sub := args[1].AsString()
		if len(sub) > 1 && strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/") {
			return stdlib.RegexReplace(args[0], cty.StringVal(sub[1:len(sub)-1]), args[2])
		}
		return stdlib.Replace(args[0], args[1], args[2])
	},
})
