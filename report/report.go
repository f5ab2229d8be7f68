// Package report renders the outcome of a scan for people and machines:
// SARIF 2.1.0 for code scanning, a documented JSON schema, and a table for
// terminals. Renderers read findings and rule metadata; they know nothing
// of how rules decide.
package report

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// Tool describes the program that produced the report.
type Tool struct {
	Name           string
	Version        string
	InformationURI string
}

// Input is everything a renderer needs.
type Input struct {
	Tool Tool
	// Rules are the rules that ran, in ID order; SARIF lists them all in
	// tool.driver.rules, whether or not they found anything.
	Rules []*rules.Rule
	// Findings in the order rules.SortFindings gives.
	Findings []rules.Finding
	// Diagnostics about the input (files that could not be read or
	// parsed), sorted.
	Diagnostics graph.Diagnostics
	// Errors are internal failures (a rule that panicked); the scan is
	// then not successful.
	Errors []error
	// SrcRoot is the absolute directory that ranges' file names are
	// relative to, for SARIF's originalUriBaseIds; empty leaves it out.
	SrcRoot string
	// Inputs are the files scanned, relative to SrcRoot, sorted.
	Inputs []string
}

// Successful reports whether every input was read and every rule ran.
func (in *Input) Successful() bool {
	return !in.Diagnostics.HasErrors() && len(in.Errors) == 0
}
