// Package terraform loads Terraform configurations written in HCL or JSON
// and evaluates them, as far as anything can be known without providers or
// network, into graph resources with source ranges.
//
// A Loader parses each directory once; callers ask it which local modules a
// directory calls, so that those are evaluated through their callers and
// not again as roots, then evaluate each root. Values that cannot be known
// statically stay unknown: an unknown is never turned into a guess.
package terraform
