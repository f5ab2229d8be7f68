package terraform

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/strider-sec/strider/graph"
)

// unknownPart stands for an interpolation known only after apply while a
// template is read as JSON: private-use characters that JSON keeps as
// they are and no policy writes.
const unknownPart = "\ue000unknown\ue001"

// partialTemplate reads a template whose text is JSON, some of whose
// interpolations are known only after apply (a heredoc policy naming
// "${aws_iam_group.ops.arn}"), as jsonencode's partly known value: the
// structure and the literals known, each string holding an unknown
// interpolation unknown. It returns cty.NilVal when the template is not
// that: not a template, directives or values outside strings that make
// the text not JSON, or a text that is not a JSON object.
func (e *evaluator) partialTemplate(expr hcl.Expression, ctx *hcl.EvalContext) cty.Value {
	t, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok || len(t.Parts) < 2 {
		return cty.NilVal
	}
	var b strings.Builder
	unknown := false
	for _, part := range t.Parts {
		v := e.eval(part, ctx)
		if !v.IsWhollyKnown() {
			b.WriteString(unknownPart)
			unknown = true
			continue
		}
		s, err := convert.Convert(v, cty.String)
		if err != nil || s.IsNull() {
			return cty.NilVal
		}
		b.WriteString(s.AsString())
	}
	if !unknown || !strings.HasPrefix(strings.TrimSpace(b.String()), "{") {
		return cty.NilVal
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(b.String())))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil || dec.More() {
		return cty.NilVal
	}
	v, ok := jsonValue(doc)
	if !ok {
		return cty.NilVal
	}
	return graph.MarkPartialJSON(v)
}

// jsonValue converts decoded JSON to cty, a string holding an unknown
// interpolation becoming unknown.
func jsonValue(x any) (cty.Value, bool) {
	switch x := x.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType), true
	case bool:
		return cty.BoolVal(x), true
	case string:
		if strings.Contains(x, unknownPart) {
			return cty.UnknownVal(cty.String), true
		}
		return cty.StringVal(x), true
	case json.Number:
		n, err := cty.ParseNumberVal(string(x))
		return n, err == nil
	case []any:
		if len(x) == 0 {
			return cty.EmptyTupleVal, true
		}
		elems := make([]cty.Value, len(x))
		for i, el := range x {
			v, ok := jsonValue(el)
			if !ok {
				return cty.NilVal, false
			}
			elems[i] = v
		}
		return cty.TupleVal(elems), true
	case map[string]any:
		if len(x) == 0 {
			return cty.EmptyObjectVal, true
		}
		attrs := make(map[string]cty.Value, len(x))
		for k, el := range x {
			if strings.Contains(k, unknownPart) {
				return cty.NilVal, false
			}
			v, ok := jsonValue(el)
			if !ok {
				return cty.NilVal, false
			}
			attrs[k] = v
		}
		return cty.ObjectVal(attrs), true
	}
	return cty.NilVal, false
}
