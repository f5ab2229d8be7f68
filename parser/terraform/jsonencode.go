package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
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

// evalValue evaluates an attribute, local or module argument like eval.
// The partly known value jsonencode attaches to its result survives only
// when expr hands that result on unchanged (jsonencode(…), a reference,
// "${…}"): after upper(), replace() or string concatenation the value no
// longer describes the text.
func (e *evaluator) evalValue(expr hcl.Expression, ctx *hcl.EvalContext) cty.Value {
	v := e.eval(expr, ctx)
	if !v.IsKnown() {
		if p := e.partialTemplate(expr, ctx); p != cty.NilVal {
			return p
		}
	}
	if !v.IsWhollyKnown() && !passesOn(expr) {
		return graph.DropPartialJSON(v)
	}
	return v
}

func passesOn(expr hcl.Expression) bool {
	switch x := expr.(type) {
	case *hclsyntax.FunctionCallExpr:
		return x.Name == "jsonencode"
	case *hclsyntax.TemplateWrapExpr:
		return passesOn(x.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return passesOn(x.Expression)
	case *hclsyntax.ScopeTraversalExpr:
		return true
	}
	return false
}
