package scan

import (
	"slices"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/parser/tfschema"
)

// completePlan fills in what a plan leaves "known after apply" with what
// the Terraform source says of it. A plan records a policy written with
// jsonencode that names a resource created in the same plan
// (aws_iam_group.ops.arn) as unknown as a whole, and its configuration
// keeps only the references, so nothing of the policy could be read; the
// source evaluates it with only that ARN unknown, and its references say
// which resource the ARN is. Values the plan knows always win: they are
// what will be applied.
func completePlan(plans []*graph.Resource, src *planSource) {
	if len(plans) == 0 || src == nil || src.loader == nil {
		return
	}
	root := src.load()
	if root == nil {
		return
	}
	byAddr := make(map[string]*graph.Resource, len(root.Resources))
	for _, r := range root.Resources {
		byAddr[r.Addr.Module+"|"+r.Addr.String()] = r
	}
	for _, r := range plans {
		if r.Addr.Mode != graph.Managed || !r.Attrs.Known() {
			continue
		}
		tf := byAddr[r.Addr.Module+"|"+r.Addr.String()]
		if tf == nil || !tf.Attrs.Known() {
			continue
		}
		if fillUnknown(r, tf) {
			// The facets were read from the plan's values; read them
			// again from the completed ones.
			r.Facets = graph.Facets{}
			tfschema.Fill(r)
		}
	}
}

// fillUnknown replaces each top-level attribute of plan resource r that is
// wholly unknown by the source's value when the source knows part of it,
// with the source's references for it. It reports whether it changed r.
func fillUnknown(r, tf *graph.Resource) bool {
	vals := r.Attrs.Map()
	changed := false
	for name, v := range vals {
		s, ok := tf.Attrs.Get(name)
		if v.IsKnown() || !ok {
			continue
		}
		if _, partial := graph.PartialJSON(s); (!s.IsKnown() && !partial) || s.IsNull() {
			// Unknown in the source too, unless it is a jsonencode of
			// a value partly known, which policies read.
			continue
		}
		vals[name] = s
		changed = true
		for _, ref := range tf.Refs {
			if ref.Attr != name && !hasPathPrefix(ref.Attr, name) {
				continue
			}
			if !slices.ContainsFunc(r.Refs, func(x graph.Ref) bool { return x.Target == ref.Target && x.Attr == ref.Attr }) {
				r.Refs = append(r.Refs, ref)
			}
		}
	}
	if changed {
		r.Attrs = graph.NewAttributes(vals)
	}
	return changed
}

// hasPathPrefix reports whether attribute path p lies under name
// ("policy.Statement.0" under "policy").
func hasPathPrefix(p, name string) bool {
	return len(p) > len(name) && p[:len(name)] == name && p[len(name)] == '.'
}
