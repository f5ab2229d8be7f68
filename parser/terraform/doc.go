// Package terraform loads Terraform and OpenTofu configurations written in
// HCL or JSON and evaluates them, as far as anything can be known without
// providers or network, into graph resources with source ranges.
//
// A Loader parses each directory once (ordinary files, then override files
// merged into them; a .tofu file replacing the .tf file of its name);
// callers ask it which local modules a directory calls, so that those are
// evaluated through their callers and not again as roots, then evaluate
// each root.
//
// Within a module instance, locals, resources, data sources and module
// calls are nodes evaluated in dependency order (order.go), so that a
// reference to a resource's configured attribute sees its value; what the
// configuration does not set is unknown. count and for_each expand
// (expand.go), dynamic blocks generate blocks (resource.go), providers
// give each resource its region and account (provider.go), policy
// documents render to the provider's JSON (policydoc.go), and the sources
// of values passed through variables, locals and outputs are tracked so
// that references across modules still link the graph (sources.go).
//
// Values that cannot be known statically stay unknown: an unknown is never
// turned into a guess.
package terraform
