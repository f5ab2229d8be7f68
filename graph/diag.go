package graph

import (
	"cmp"
	"slices"
)

// Severity of a diagnostic.
type Severity int

const (
	// Error means some input could not be read or understood; the scan
	// goes on without it but the run is not clean.
	Error Severity = iota
	// Warning means the input was read, but something in it could not be
	// evaluated and is treated as unknown.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is a problem with the scanned input, not with Strider: a file
// that does not parse, a reference that cannot be resolved.
type Diagnostic struct {
	Severity Severity
	Summary  string
	Detail   string
	Range    Range
}

func (d Diagnostic) String() string {
	s := d.Range.String()
	if s != "" {
		s += ": "
	}
	s += d.Severity.String() + ": " + d.Summary
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	return s
}

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an Error.
func (ds Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == Error })
}

// Sort orders diagnostics by place, then text, so output is stable.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		if c := cmp.Compare(a.Range.Filename, b.Range.Filename); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Range.Start.Line, b.Range.Start.Line); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Range.Start.Column, b.Range.Start.Column); c != 0 {
			return c
		}
		return cmp.Compare(a.Summary+a.Detail, b.Summary+b.Detail)
	})
}
