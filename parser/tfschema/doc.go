// Package tfschema adapts resources written in the Terraform AWS
// provider's schema — from HCL source or from a plan — into graph facets.
// Both Terraform parsers share it, so a resource means the same whether it
// was read from .tf files or from `terraform show -json`.
//
// Attribute paths follow one convention across parsers: attribute and
// block names joined by dots, with the index of each nested block
// ("metadata_options.0.http_tokens").
package tfschema
