package graph

import "strings"

// Kind says which address syntax an Address uses.
type Kind uint8

const (
	// TerraformAddr prints as module.x.aws_type.name[key].
	TerraformAddr Kind = iota
	// CloudFormationAddr prints as the logical ID.
	CloudFormationAddr
)

// Mode distinguishes managed resources from data sources.
type Mode uint8

const (
	// Managed is a resource the code creates.
	Managed Mode = iota
	// Data is a data source the code reads.
	Data
)

// Address names one resource instance. It is an immutable value: the key
// of the graph, the SARIF logical location and the seed of fingerprints,
// never a pointer or a line number.
type Address struct {
	// Stack qualifies the address when a tree holds many roots: the root
	// module directory, plan file or template file, as displayed to users.
	Stack string
	Kind  Kind
	// Module is the Terraform module path ("module.app.module.db"), empty
	// for the root module and for CloudFormation.
	Module string
	Mode   Mode
	// Type is the resource type as written in the source: aws_instance or
	// AWS::EC2::Instance.
	Type string
	// Name is the Terraform resource name or the CloudFormation logical ID.
	Name string
	// InstanceKey is the rendered instance key including brackets ("[0]",
	// `["a"]`), empty for a resource without count or for_each.
	InstanceKey string
}

// String renders the address the way users write it.
func (a Address) String() string {
	if a.Kind == CloudFormationAddr {
		return a.Name
	}
	var b strings.Builder
	if a.Module != "" {
		b.WriteString(a.Module)
		b.WriteByte('.')
	}
	if a.Mode == Data {
		b.WriteString("data.")
	}
	b.WriteString(a.Type)
	b.WriteByte('.')
	b.WriteString(a.Name)
	b.WriteString(a.InstanceKey)
	return b.String()
}

// ConfigAddr is the address without the instance key: what a reference
// inside the same module names.
func (a Address) ConfigAddr() string {
	if a.Kind == CloudFormationAddr {
		return a.Name
	}
	s := a.Type + "." + a.Name
	if a.Mode == Data {
		s = "data." + s
	}
	return s
}

// Key is unique across the whole graph: the stack, then the address.
func (a Address) Key() string { return a.Stack + "::" + a.String() }

// Scope identifies the namespace in which the address's ConfigAddr is
// meaningful: one module instance of one stack.
func (a Address) Scope() string { return a.Stack + "::" + a.Module }
