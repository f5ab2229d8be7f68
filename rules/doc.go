// Package rules holds Strider's rule registry. A rule is a plain value: its
// metadata (stable ID, slug, title, severity, STRIDE, ATT&CK, rationale,
// remediation, references) beside one check function over the graph. Rules
// read facets and computed graph facts, never file formats; findings go
// out through Pass.Report.
//
// Each rule lives in its own file with its fixtures in
// testdata/<slug>/; one test walks the registry and runs every fixture.
package rules
