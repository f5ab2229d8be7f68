package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// Severity ranks how bad a finding is.
type Severity uint8

// Severities from least to most severe.
const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

var severityNames = [...]string{Low: "low", Medium: "medium", High: "high", Critical: "critical"}

func (s Severity) String() string {
	if s < Low || s > Critical {
		return fmt.Sprintf("Severity(%d)", uint8(s))
	}
	return severityNames[s]
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads a severity name, ignoring case.
func ParseSeverity(name string) (Severity, error) {
	for s := Low; s <= Critical; s++ {
		if strings.EqualFold(name, s.String()) {
			return s, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want low, medium, high or critical)", name)
}

// Score is the severity's default CVSS-like score for SARIF
// security-severity; GitHub buckets it back into the same four names.
func (s Severity) Score() float64 {
	switch s {
	case Critical:
		return 9.5
	case High:
		return 8.0
	case Medium:
		return 5.5
	}
	return 3.0
}

// Precision is how sure a rule is that its findings are real.
type Precision string

// Precisions as GitHub code scanning names them.
const (
	PrecisionVeryHigh Precision = "very-high"
	PrecisionHigh     Precision = "high"
	PrecisionMedium   Precision = "medium"
	PrecisionLow      Precision = "low"
)

// Rule is one check and everything a user needs to act on its findings.
type Rule struct {
	// ID is stable and opaque ("SDR-EC2-001"): never reused, never renamed.
	ID string
	// Slug is the readable name ("ec2-imdsv1-reachable").
	Slug string
	// Aliases are former slugs, so that suppressions keep working.
	Aliases  []string
	Title    string
	Severity Severity
	// SecuritySeverity overrides Severity.Score when set.
	SecuritySeverity float64
	Precision        Precision
	STRIDE           []mappings.STRIDE
	// ATTACK lists ATT&CK Enterprise technique IDs.
	ATTACK []string
	// Rationale says why it matters, in Markdown, several sentences.
	Rationale string
	// Remediation says what to do, in Markdown.
	Remediation string
	// FixTerraform and FixCloudFormation are corrected examples.
	FixTerraform      string
	FixCloudFormation string
	References        []string
	// Check runs the rule over a graph. It reports through pass.Report
	// and returns an error only when the check itself failed.
	Check func(pass *Pass) error
}

// Score is the SARIF security-severity of the rule's findings.
func (r *Rule) Score() float64 {
	if r.SecuritySeverity > 0 {
		return r.SecuritySeverity
	}
	return r.Severity.Score()
}

// Pass is what a check sees: the graph and a way to report.
type Pass struct {
	Rule   *Rule
	Graph  *graph.Graph
	report func(Finding)
}

// Report records a finding of the running rule.
func (p *Pass) Report(f Finding) {
	f.Rule = p.Rule
	// A finding's own techniques must be its rule's, which Validate
	// checked against ATT&CK; others would go out unchecked.
	f.ATTACK = slices.DeleteFunc(slices.Clone(f.ATTACK), func(id string) bool { return !slices.Contains(p.Rule.ATTACK, id) })
	// A range without a line cannot be shown or sorted; the resource's
	// own range is the closest honest place.
	if f.Range.Start.Line == 0 && f.Resource != nil {
		f.Range = f.Resource.Range
	}
	p.report(f)
}

// Notef reports a note: the rule cannot decide on r because the value at
// rg is unknown. The message says what cannot be told and why.
func (p *Pass) Notef(r *graph.Resource, rg graph.Range, format string, args ...any) {
	p.Report(Finding{Resource: r, Range: rg, Message: fmt.Sprintf(format, args...), Note: true})
}

// Reportf reports a finding on r at rg with a formatted message.
func (p *Pass) Reportf(r *graph.Resource, rg graph.Range, format string, args ...any) {
	p.Report(Finding{Resource: r, Range: rg, Message: fmt.Sprintf(format, args...)})
}

// Finding is one rule's verdict on one resource.
type Finding struct {
	Rule     *Rule
	Resource *graph.Resource
	// Range is what to point at: the attribute or block that causes it.
	Range   graph.Range
	Message string
	// Related are other places that explain the finding (the launch
	// template an instance uses, the default that applies).
	Related []Related
	// Severity overrides the rule's severity for this finding, from
	// context the graph knows (a grant to another account, a role with
	// administrator rights); zero means the rule's.
	Severity Severity
	// Note marks a finding in which the rule says it cannot decide: a
	// value it needs is unknown (a variable without value, an attribute
	// known only after apply). Notes are reported at low severity,
	// whatever the rule's, so that they never fail a build on their own
	// but are never a silent pass either.
	Note bool
	// Peer tells apart findings of one rule on one resource (the
	// technique of a privilege escalation, the target of an attack
	// path); it joins the fingerprint when set.
	Peer string
	// ATTACK narrows the rule's ATT&CK techniques to those of this
	// finding (the technique a principal can perform); empty means the
	// rule's. Each must be one of the rule's.
	ATTACK []string
	// Path lists the steps of an attack path, from the entry point to
	// what it reaches; SARIF renders them as a code flow.
	Path []PathStep
}

// PathStep is one step of an attack path: where in the code it is made
// possible, what the attacker does, and the ATT&CK technique.
type PathStep struct {
	Range     graph.Range
	Address   string
	Message   string
	Technique string
}

// EffectiveSeverity is low for a note, else the finding's own severity
// when it has one, else its rule's.
func (f Finding) EffectiveSeverity() Severity {
	if f.Note {
		return Low
	}
	if f.Severity != 0 || f.Rule == nil {
		return f.Severity
	}
	return f.Rule.Severity
}

// Related is a secondary location of a finding.
type Related struct {
	Range   graph.Range
	Message string
	Address string
}

// Fingerprint identifies the finding independently of line numbers:
// rule@stack::address[@peer], so edits elsewhere in the file keep it.
func (f Finding) Fingerprint() string {
	if f.Peer != "" {
		return f.Rule.ID + "@" + f.Resource.Key() + "@" + f.Peer
	}
	return f.Rule.ID + "@" + f.Resource.Key()
}
