// Package ruledocs renders the rule documentation in docs/rules/ from the
// registry: one Markdown page per rule, with its fixtures as examples, and
// an index. The pages are generated, never edited by hand; a test fails
// when they are stale.
package ruledocs

//go:generate go run ./gen -root ../..
