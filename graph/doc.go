// Package graph holds Strider's format-independent model of the cloud that
// the scanned code describes: resources keyed by address, the references
// between them, and facets — the typed, security-relevant meaning of a
// resource that rules read instead of raw attributes.
//
// Parsers produce []*Resource and diagnostics; Build links them into a
// *Graph through a chain of small passes. Nothing here knows about file
// formats or rules.
package graph
