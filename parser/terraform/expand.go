package terraform

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

// instance is one expansion of a block under count or for_each.
type instance struct {
	key   string               // "", "[0]", `["a"]`
	extra map[string]cty.Value // count / each
}

// maxInstances bounds count and for_each expansion so that a hostile
// count cannot exhaust memory.
const maxInstances = 1000

// budget takes n instances from the root's budget and returns how many
// may be evaluated, reporting once when it runs out.
func (e *evaluator) budget(n int, rg hcl.Range) int {
	limit := e.l.opts.MaxInstances
	left := limit - e.instances
	if n > left {
		if !e.overBudget {
			e.overBudget = true
			e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error,
				Summary: fmt.Sprintf("more than %d instances in one root module; the rest are not evaluated", limit),
				Detail:  "count, for_each and dynamic blocks multiply through nested modules", Range: RangeOf(rg)})
		}
		n = max(left, 0)
	}
	e.instances += n
	return n
}

// expand evaluates count and for_each of a block's meta-arguments. An
// unknown count or for_each yields one instance with unknown count.index
// or each: the resource may exist, its instances cannot be named.
func (e *evaluator) expand(s *scope, attrs hcl.Attributes, what string) []instance {
	if a, ok := attrs["count"]; ok {
		v := e.eval(a.Expr, e.ctx(s, nil))
		if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
			if v.IsKnown() && !v.IsNull() && v.Type() != cty.Number {
				e.warn(a.Range, "count is not a number; treated as unknown", "")
			} else {
				e.symbolic(a, what)
			}
			return []instance{{extra: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})}}}
		}
		n, acc := v.AsBigFloat().Int64()
		if acc != big.Exact || n < 0 {
			e.warn(a.Range, "count is not a whole number; treated as unknown", "")
			return []instance{{extra: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})}}}
		}
		if n > maxInstances {
			// Not every instance is scanned: the run cannot be clean.
			e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error,
				Summary: fmt.Sprintf("%s has count %d; only the first %d instances are evaluated", what, n, maxInstances),
				Range:   RangeOf(a.Range)})
			n = maxInstances
		}
		out := make([]instance, e.budget(int(n), a.Range))
		for i := range out {
			out[i] = instance{key: "[" + strconv.Itoa(i) + "]",
				extra: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})}}
		}
		return out
	}
	if a, ok := attrs["for_each"]; ok {
		v := e.eval(a.Expr, e.ctx(s, nil))
		unknown := []instance{{extra: map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{
			"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal})}}}
		// A map's keys are known when the map is, even if some values
		// are not (IDs known after apply): Terraform plans its instances,
		// and so does this. A set's keys are its values.
		if !v.IsKnown() || v.IsNull() || (v.Type().IsSetType() && !v.IsWhollyKnown()) {
			e.symbolic(a, what)
			return unknown
		}
		ty := v.Type()
		if !(ty.IsMapType() || ty.IsObjectType() || ty.IsSetType()) {
			e.warn(a.Range, "for_each needs a map or a set of strings; treated as unknown", "")
			return unknown
		}
		var out []instance
		for it := v.ElementIterator(); it.Next(); {
			k, val := it.Element()
			if ty.IsSetType() {
				if k.Type() != cty.String {
					e.warn(a.Range, "for_each over a set needs strings; treated as unknown", "")
					return unknown
				}
				val = k
			}
			if len(out) == maxInstances {
				e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error,
					Summary: fmt.Sprintf("%s has more than %d for_each keys; the rest are not evaluated", what, maxInstances),
					Range:   RangeOf(a.Range)})
				break
			}
			if e.budget(1, a.Range) == 0 {
				break
			}
			key := k.AsString()
			out = append(out, instance{key: "[" + strconv.Quote(key) + "]",
				extra: map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(key), "value": val})}})
		}
		return out
	}
	return []instance{{}}
}

// symbolic says that a block whose instances cannot be named is kept as
// one instance without a key: the resource exists, its count does not.
func (e *evaluator) symbolic(a *hcl.Attribute, what string) {
	e.warn(a.Range, fmt.Sprintf("%s of %s is unknown; one instance without a key stands for all", a.Name, what),
		"its attributes are evaluated with unknown count.index or each")
}
