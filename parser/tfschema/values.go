package tfschema

import (
	"strings"

	"github.com/strider-sec/strider/graph"
)

// RefAt returns the first reference r makes from an attribute under path.
// A single block written as a JSON object has no index in its
// path, so "launch_template.0" also matches "launch_template".
func RefAt(r *graph.Resource, path string) *graph.Ref {
	bare := strings.TrimSuffix(path, ".0")
	for i := range r.Refs {
		a := r.Refs[i].Attr
		if a == path || strings.HasPrefix(a, path+".") || a == bare {
			return &r.Refs[i]
		}
	}
	return nil
}
