package terraform

import (
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// jsonencodeFunc is Terraform's jsonencode, except that encoding a value
// with unknown parts yields an unknown marked with the value itself
// (graph.MarkPartialJSON): a policy that names a resource ARN is still
// readable statement by statement.
var jsonencodeFunc = function.New(&function.Spec{
	Description: stdlib.JSONEncodeFunc.Description(),
	Params: []function.Parameter{{
		Name:             "val",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowNull:        true,
	}},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if v := args[0]; !v.IsWhollyKnown() {
			if !v.IsKnown() {
				return cty.UnknownVal(cty.String), nil
			}
			return graph.MarkPartialJSON(v), nil
		}
		return stdlib.JSONEncode(args[0])
	},
})
