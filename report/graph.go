package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
)

// GraphSchemaVersion versions the JSON of WriteGraphJSON: fields may be
// added within a version, never removed or renamed.
const GraphSchemaVersion = "1"

// GraphJSON is the document WriteGraphJSON writes: the evaluated graph,
// for people debugging what Strider understood and for tools.
type GraphJSON struct {
	SchemaVersion string            `json:"schema_version"`
	Resources     []GraphResource   `json:"resources"`
	Edges         []GraphEdge       `json:"edges"`
	Diagnostics   []GraphDiagnostic `json:"diagnostics"`
}

// GraphResource is one resource instance.
type GraphResource struct {
	// ID is unique in the document: the stack (root module directory,
	// plan or template file), "::", then the address.
	ID string `json:"id"`
	// Address is as Terraform prints it (module.web["prod"].aws_instance.this)
	// or the CloudFormation logical ID.
	Address string `json:"address"`
	Stack   string `json:"stack"`
	Type    string `json:"type"`
	// Mode is "managed" or "data".
	Mode   string `json:"mode"`
	Format string `json:"format"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	// Provider is the provider configuration address, when known.
	Provider string `json:"provider,omitempty"`
	// Region and Account are present when the input says anything of
	// them: State "set" with the Value, or "unknown".
	Region  *GraphValue `json:"region,omitempty"`
	Account *GraphValue `json:"account,omitempty"`
}

// GraphValue is a value that may be unknown.
type GraphValue struct {
	State string `json:"state"`
	Value string `json:"value,omitempty"`
}

// GraphEdge is one directed relation, with the source range that makes it.
type GraphEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
	Kind string `json:"kind"`
	// Range is where the relation is written (the reference expression).
	Range graph.Range `json:"range"`
}

// GraphDiagnostic is a problem with the input.
type GraphDiagnostic struct {
	Severity string      `json:"severity"`
	Summary  string      `json:"summary"`
	Detail   string      `json:"detail,omitempty"`
	Range    graph.Range `json:"range"`
}

// NewGraphJSON builds the document of g and the scan's diagnostics.
func NewGraphJSON(g *graph.Graph, diags graph.Diagnostics) *GraphJSON {
	doc := &GraphJSON{SchemaVersion: GraphSchemaVersion, Resources: []GraphResource{}, Edges: []GraphEdge{}, Diagnostics: []GraphDiagnostic{}}
	for _, r := range g.Resources {
		mode := "managed"
		if r.Addr.Mode == graph.Data {
			mode = "data"
		}
		doc.Resources = append(doc.Resources, GraphResource{
			ID: r.Key(), Address: r.Addr.String(), Stack: r.Addr.Stack, Type: r.Type(),
			Mode: mode, Format: r.Format.String(), File: r.Range.Filename, Line: int(r.Range.Start.Line),
			Provider: r.Provider, Region: graphValue(r.Region), Account: graphValue(r.Account),
		})
	}
	for _, e := range g.Edges {
		doc.Edges = append(doc.Edges, GraphEdge{From: e.From.Key(), To: e.To.Key(), Kind: string(e.Kind), Range: e.Range})
	}
	for _, d := range diags {
		doc.Diagnostics = append(doc.Diagnostics, GraphDiagnostic{Severity: d.Severity.String(), Summary: d.Summary, Detail: d.Detail, Range: d.Range})
	}
	return doc
}

func graphValue(v graph.Value[string]) *GraphValue {
	switch v.State {
	case graph.Set:
		return &GraphValue{State: "set", Value: v.V}
	case graph.Unknown:
		return &GraphValue{State: "unknown"}
	}
	return nil
}

// WriteGraphJSON writes the evaluated graph as indented JSON.
func WriteGraphJSON(w io.Writer, g *graph.Graph, diags graph.Diagnostics) error {
	return writeJSON(w, NewGraphJSON(g, diags), false)
}

// WriteGraphDOT writes the evaluated graph in Graphviz DOT: one node per
// resource instance labelled with its address and place, one edge per
// relation labelled with its kind. Stacks become clusters.
func WriteGraphDOT(w io.Writer, g *graph.Graph) error {
	var b strings.Builder
	b.WriteString("digraph strider {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n")
	var stacks []string
	byStack := map[string][]*graph.Resource{}
	for _, r := range g.Resources {
		if _, ok := byStack[r.Addr.Stack]; !ok {
			stacks = append(stacks, r.Addr.Stack)
		}
		byStack[r.Addr.Stack] = append(byStack[r.Addr.Stack], r)
	}
	for i, s := range stacks {
		fmt.Fprintf(&b, "  subgraph cluster_%d {\n    label=%s;\n", i, dotQuote(s))
		for _, r := range byStack[s] {
			label := r.Addr.String() + "\n" + r.Range.String()
			if r.Region.State == graph.Set {
				label += "\nregion " + r.Region.V
			}
			if r.Account.State == graph.Set {
				label += "\naccount " + r.Account.V
			}
			fmt.Fprintf(&b, "    %s [label=%s];\n", dotQuote(r.Key()), dotQuote(label))
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", dotQuote(e.From.Key()), dotQuote(e.To.Key()), dotQuote(string(e.Kind)))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotQuote quotes a DOT ID; Go's quoting escapes what DOT needs (quotes,
// backslashes) and writes newlines as \n, which DOT shows as line breaks.
func dotQuote(s string) string { return strconv.Quote(s) }
