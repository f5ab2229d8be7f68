package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
)

// launchContext says which groups launch instances from template r, for
// the messages of the metadata rules: on an EKS node group every pod is a
// potential SSRF source, which is worth saying.
func launchContext(g *graph.Graph, r *graph.Resource) string {
	groups := g.LaunchedBy(r)
	if len(groups) == 0 {
		return ""
	}
	names := make([]string, len(groups))
	eks := false
	for i, lg := range groups {
		names[i] = lg.Facets.LaunchGroup().Kind + " " + lg.Addr.String()
		eks = eks || lg.Facets.LaunchGroup().Kind == "EKS node group"
	}
	s := "; it launches the instances of " + strings.Join(names, ", ")
	if eks {
		s += " (Kubernetes nodes: code in any pod can make the request)"
	}
	return s
}
