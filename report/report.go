// Package report renders the outcome of a scan for people and machines:
// SARIF 2.1.0 for code scanning (with GitHub's primaryLocationLineHash,
// categories, baseline states and suppressions), a documented JSON
// schema, a table for terminals and Markdown for job summaries and pull
// requests. Renderers read findings and rule metadata; they know nothing
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

	// ReadFile reads a file by the name ranges use (relative to SrcRoot).
	// With it, SARIF results carry GitHub's primaryLocationLineHash; nil
	// leaves that to the upload action.
	ReadFile func(name string) ([]byte, error)
	// Category is the analysis category for SARIF automationDetails.id
	// ("strider/terraform"); GitHub replaces earlier results of the same
	// tool and category. Empty leaves automationDetails out.
	Category string
	// States holds what the scan learnt about each finding beyond the
	// rule's verdict (baseline, suppressions), parallel to Findings; nil
	// means none.
	States []State
	// Notes are remarks about the report itself (results cut to a
	// limit, findings left out as known in a baseline), shown as
	// notifications in SARIF and in the human formats.
	Notes []string
}

// Baseline states, as SARIF names them.
const (
	BaselineNew       = "new"
	BaselineUnchanged = "unchanged"
)

// Suppression kinds, as SARIF names them.
const (
	// InSource is a directive in the scanned file.
	InSource = "inSource"
	// External is an accepted risk in the configuration file.
	External = "external"
)

// State is what is known about one finding besides the rule's verdict.
type State struct {
	// Baseline is BaselineNew or BaselineUnchanged when a baseline was
	// given, else empty.
	Baseline string
	// Suppressions that apply; the finding is then kept in SARIF but does
	// not count towards the exit code.
	Suppressions []Suppression
}

// Suppression is why a finding is accepted.
type Suppression struct {
	Kind          string // InSource or External
	Justification string
	// Range is where the directive or the accepted risk is written.
	Range graph.Range
}

// Suppressed reports whether finding i is suppressed.
func (in *Input) Suppressed(i int) bool {
	return i < len(in.States) && len(in.States[i].Suppressions) > 0
}

func (in *Input) state(i int) State {
	if i < len(in.States) {
		return in.States[i]
	}
	return State{}
}

// Successful reports whether every input was read and every rule ran.
func (in *Input) Successful() bool {
	return !in.Diagnostics.HasErrors() && len(in.Errors) == 0
}
