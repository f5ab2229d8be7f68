package graph

import "github.com/zclconf/go-cty/cty"

// partialJSON marks an unknown string that is the JSON encoding of a
// partly known value. Terraform's jsonencode of an object holding a
// reference (a bucket ARN in a policy) cannot be known before apply, but
// its structure and every literal in it can: readers of policies and
// container definitions use the value instead of giving up.
type partialJSON struct{ v cty.Value }

// MarkPartialJSON returns an unknown string carrying v, the value whose
// encoding it stands for. Operations on the result keep the mark.
func MarkPartialJSON(v cty.Value) cty.Value {
	v, _ = v.UnmarkDeep()
	return cty.UnknownVal(cty.String).Mark(&partialJSON{v: v})
}

// PartialJSON returns the value an unknown JSON string stands for, when
// it was made by MarkPartialJSON.
func PartialJSON(v cty.Value) (cty.Value, bool) {
	if v == cty.NilVal || v.IsKnown() {
		return cty.NilVal, false
	}
	for m := range v.Marks() {
		if p, ok := m.(*partialJSON); ok {
			return p.v, true
		}
	}
	return cty.NilVal, false
}

// DropPartialJSON removes what MarkPartialJSON attached, anywhere in v,
// and keeps other marks: for expressions that transform the encoded text,
// whose result the marked value no longer describes.
func DropPartialJSON(v cty.Value) cty.Value {
	u, pvm := v.UnmarkDeepWithPaths()
	var keep []cty.PathValueMarks
	for _, pm := range pvm {
		marks := cty.NewValueMarks()
		for m := range pm.Marks {
			if _, ok := m.(*partialJSON); !ok {
				marks[m] = struct{}{}
			}
		}
		if len(marks) > 0 {
			keep = append(keep, cty.PathValueMarks{Path: pm.Path, Marks: marks})
		}
	}
	return u.MarkWithPaths(keep)
}
