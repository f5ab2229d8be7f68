package graph

import (
	"strings"
)

// Format is the kind of input a resource was read from.
type Format uint8

const (
	// Terraform HCL or .tf.json source.
	Terraform Format = iota
	// Plan is `terraform show -json` output.
	Plan
	// CloudFormation YAML or JSON template.
	CloudFormation
)

func (f Format) String() string {
	switch f {
	case Plan:
		return "terraform-plan"
	case CloudFormation:
		return "cloudformation"
	}
	return "terraform"
}

// Action is the change a plan makes to a resource.
type Action string

// Plan actions, as Terraform names them; replace is delete and create.
const (
	NoChange Action = ""
	Create   Action = "create"
	Update   Action = "update"
	Replace  Action = "replace"
	Delete   Action = "delete"
	NoOp     Action = "no-op"
	Read     Action = "read"
)

// Ref is a reference one resource makes to another by address inside its
// own scope: "aws_launch_template.app" or a CloudFormation logical ID.
type Ref struct {
	// Target is the referenced configuration address, with an instance
	// key when the reference names one ("aws_subnet.a[0]").
	Target string
	// Attr is the attribute path that holds the reference
	// ("launch_template.0.id", "LaunchTemplate.LaunchTemplateId").
	Attr  string
	Range Range
	// Scoped says Target lives in the module instance Module ("" for the
	// root module) rather than in the referrer's own: a value that came
	// through module inputs or outputs.
	Scoped bool
	Module string
}

// Resource is one resource instance in the graph.
type Resource struct {
	Addr   Address
	Format Format
	// Range is the resource block (Terraform), the logical ID line
	// (CloudFormation) or the resource object (plan).
	Range Range
	// Attrs are the resource's attributes as written or planned. They
	// serve the long tail that facets do not type yet.
	Attrs Attributes
	// AttrRanges holds the source range of each attribute path
	// ("metadata_options.0.http_tokens").
	AttrRanges AttrRanges
	Refs       []Ref
	// Provider is the address of the provider configuration that manages
	// the resource (`provider["registry.terraform.io/hashicorp/aws"].west`),
	// empty when the input does not say.
	Provider string
	// Region and Account are where the resource lives, as far as the
	// provider configuration tells: Absent when no parser filled them,
	// Unknown when they come from the environment or credentials.
	Region  Value[string]
	Account Value[string]
	// Change is the plan action; empty for source inputs.
	Change Action
	// Facets hold the typed, format-independent meaning rules read.
	Facets Facets

	// key and scope cache Addr.Key() and Addr.Scope(), which sorting and
	// reference resolution ask for millions of times on large trees;
	// Build fills them, and they are empty on a resource never built.
	key, scope string
}

// Key is Addr.Key(), computed once when the resource joins a graph.
func (r *Resource) Key() string {
	if r.key != "" {
		return r.key
	}
	return r.Addr.Key()
}

// scopeKey is Addr.Scope(), computed once when the resource joins a graph.
func (r *Resource) scopeKey() string {
	if r.key != "" {
		return r.scope
	}
	return r.Addr.Scope()
}

// Type is the resource type as written in the source.
func (r *Resource) Type() string { return r.Addr.Type }

// AttrRange is the range of an attribute path, else of its nearest
// enclosing block or attribute that has one, else of the resource: inputs
// that only know where a whole object starts (JSON) still point close.
func (r *Resource) AttrRange(path string) Range {
	for path != "" {
		if rg, ok := r.AttrRanges.Get(path); ok {
			return rg
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return r.Range
}

// RefsAt returns every reference made from the attribute at path or from
// inside it, in order.
func (r *Resource) RefsAt(path string) []Ref {
	var out []Ref
	for _, ref := range r.Refs {
		if ref.Attr == path || strings.HasPrefix(ref.Attr, path+".") {
			out = append(out, ref)
		}
	}
	return out
}
