// Package plan reads Terraform plans in JSON, the output of
// `terraform show -json PLANFILE`, into graph resources.
//
// A plan is the most faithful view of what Terraform will build: count and
// for_each are expanded, variables and data sources resolved, modules
// instantiated. What it cannot know before apply it marks unknown, and the
// parser keeps those unknowns — rules must not guess them — except where
// the configuration shows the value is a provider default the code does
// not set (see planValue).
//
// The plan is decoded with terraform-json. Source positions come from a
// separate streaming pass over the JSON tokens, since the decoded structs
// keep none: a resource points at its "address" member in planned_values
// (or in resource_changes, for an instance being deleted), an attribute at
// its key inside the resource's values.
//
// References come from the configuration section, which describes module
// calls rather than module instances: each configured resource's
// references apply to every instance of it in every instance of its module.
package plan
