package terraform

import (
	"cmp"
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// source is a resource or data source a value comes from: its address
// inside its module instance, and that instance's path ("" for the root).
// Values passed through variables, locals and module outputs keep their
// sources, so a resource in one module that uses an ID from another is
// still linked to it in the graph, known value or not.
type source struct {
	module string
	target string
}

// sources returns the resources expr's value comes from, directly or
// through variables, locals and module outputs, sorted and without
// repeats.
func (e *evaluator) sources(s *scope, expr hcl.Expression) []source {
	var out []source
	for _, tr := range expr.Variables() {
		if s.iterators[tr.RootName()] > 0 {
			continue
		}
		if target, ok := refTarget(tr); ok {
			out = append(out, source{module: s.path, target: target})
			continue
		}
		out = append(out, e.traversalSources(s, tr)...)
	}
	slices.SortFunc(out, func(a, b source) int {
		return cmp.Or(cmp.Compare(a.module, b.module), cmp.Compare(a.target, b.target))
	})
	return slices.Compact(out)
}

// traversalSources is what a var., local. or module. traversal carries.
func (e *evaluator) traversalSources(s *scope, tr hcl.Traversal) []source {
	name := ""
	if len(tr) > 1 {
		if a, ok := tr[1].(hcl.TraverseAttr); ok {
			name = a.Name
		}
	}
	if name == "" {
		return nil
	}
	switch tr.RootName() {
	case "var":
		return s.varSrc[name]
	case "local":
		return s.localSrc[name]
	case "module":
		outs := s.modSrc[name]
		if _, attr := nodeKey(tr); attr != "" {
			return outs[attr]
		}
		var all []source
		for _, o := range sortedKeys(outs) {
			all = append(all, outs[o]...)
		}
		return all
	}
	return nil
}
