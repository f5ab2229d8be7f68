package plan

import (
	"encoding/json"
	"strconv"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
)

// blockConfig is what the configuration writes at one level of a
// resource: the expressions of the resource itself, or of all the nested
// blocks of one type at some depth. known is false when there is no
// configuration to consult; then nothing is pruned.
//
// All sibling blocks are pooled rather than matched by position because
// set-typed blocks come back from the provider in an order of its own: an
// attribute counts as written if any sibling block writes it. That can
// only keep an unknown that could have been pruned, never prune one the
// user wrote.
type blockConfig struct {
	known  bool
	blocks []map[string]*tfjson.Expression
}

// resourceConfig is the configuration of a resource; a nil resource means
// none was found and nothing may be pruned.
func resourceConfig(cr *tfjson.ConfigResource) blockConfig {
	if cr == nil {
		return blockConfig{}
	}
	return blockConfig{known: true, blocks: []map[string]*tfjson.Expression{cr.Expressions}}
}

// writes reports whether some block at this level has an expression for k.
func (c blockConfig) writes(k string) bool {
	for _, b := range c.blocks {
		if e := b[k]; e != nil {
			return true
		}
	}
	return false
}

// child is the configuration of the nested blocks named k. When k is a
// plain expression rather than nested blocks (an object-typed attribute,
// or a single-nested block, whose contents terraform-json does not keep)
// the contents are unknown to us and child says so.
func (c blockConfig) child(k string) blockConfig {
	if !c.known {
		return blockConfig{}
	}
	var out blockConfig
	for _, b := range c.blocks {
		e := b[k]
		if e == nil {
			continue
		}
		if e.ExpressionData == nil || len(e.NestedBlocks) == 0 {
			return blockConfig{}
		}
		out.known = true
		out.blocks = append(out.blocks, e.NestedBlocks...)
	}
	return out
}

// planValue converts a planned value decoded from JSON into cty, marking
// what after_unknown (a mirror structure of true/false) says is unknown
// after apply as cty.DynamicVal.
//
// Terraform also marks unknown every Optional+Computed attribute or block
// the configuration leaves out: the provider fills it at apply time. An
// aws_instance without a metadata_options block plans
// "metadata_options": true in after_unknown. Read literally that would
// make the IMDS rule say "cannot tell" for every such instance, although
// the code plainly does not set the block and the provider default
// (tokens optional) applies — exactly what the HCL parser reports for the
// same code. So when cfg is known and has no expression for a key, a
// wholly unknown value at that key is a provider-computed default and
// becomes null (absent). Partially unknown values and everything under a
// key the configuration writes stay unknown. Without a configuration
// section we cannot tell computed defaults from user-written unknowns, so
// all unknowns stay unknown.
func planValue(v, unknown any, cfg blockConfig) cty.Value {
	if b, ok := unknown.(bool); ok && b {
		return cty.DynamicVal
	}
	switch x := v.(type) {
	case map[string]any:
		u, _ := unknown.(map[string]any)
		return planObject(x, u, cfg)
	case []any:
		u, _ := unknown.([]any)
		return planTuple(x, u, cfg)
	case nil:
		// A key that values omit but after_unknown describes in depth is
		// a partially unknown structure; otherwise it is null.
		switch u := unknown.(type) {
		case map[string]any:
			if len(u) > 0 {
				return planObject(nil, u, cfg)
			}
		case []any:
			if len(u) > 0 {
				return planTuple(nil, u, cfg)
			}
		}
		return cty.NullVal(cty.DynamicPseudoType)
	case string:
		return cty.StringVal(x)
	case bool:
		return cty.BoolVal(x)
	case json.Number:
		if n, err := cty.ParseNumberVal(string(x)); err == nil {
			return n
		}
		if f, err := strconv.ParseFloat(string(x), 64); err == nil {
			return cty.NumberFloatVal(f)
		}
		return cty.UnknownVal(cty.Number)
	case float64:
		return cty.NumberFloatVal(x)
	}
	return cty.DynamicVal
}

func planObject(x, u map[string]any, cfg blockConfig) cty.Value {
	attrs := make(map[string]cty.Value, len(x)+len(u))
	for k, xv := range x {
		attrs[k] = planAttr(k, xv, u[k], cfg)
	}
	for k, uv := range u {
		if _, seen := x[k]; !seen {
			attrs[k] = planAttr(k, nil, uv, cfg)
		}
	}
	return cty.ObjectVal(attrs)
}

func planAttr(k string, v, unknown any, cfg blockConfig) cty.Value {
	val := planValue(v, unknown, cfg.child(k))
	if cfg.known && !val.IsKnown() && !cfg.writes(k) {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return val
}

func planTuple(x, u []any, cfg blockConfig) cty.Value {
	n := max(len(x), len(u))
	if n == 0 {
		return cty.EmptyTupleVal
	}
	elems := make([]cty.Value, n)
	for i := range elems {
		var xv, uv any
		if i < len(x) {
			xv = x[i]
		}
		if i < len(u) {
			uv = u[i]
		}
		// Only the objects of a block list carry that block's
		// configuration; anything else in a list is an attribute value.
		ec := blockConfig{}
		if isObject(xv) || isObject(uv) {
			ec = cfg
		}
		elems[i] = planValue(xv, uv, ec)
	}
	return cty.TupleVal(elems)
}

func isObject(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}
