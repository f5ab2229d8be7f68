package report

import (
	_ "embed"
	"io"
	"slices"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// JSONSchemaVersion is the value of "schema_version" in WriteJSON's
// output. It changes only when a field is removed, renamed or changes
// meaning; fields may be added without changing it.
const JSONSchemaVersion = "1"

//go:embed json-schema.json
var jsonSchema []byte

// JSONSchema returns the JSON Schema (draft 2020-12) of WriteJSON's output,
// the same document as report/json-schema.json.
func JSONSchema() []byte { return slices.Clone(jsonSchema) }

// WriteJSON writes in as Strider's own JSON document, for scripts and
// dashboards that want findings without SARIF's indirections. The format
// is stable within a schema_version and described by report/json-schema.json
// (JSONSchema). Keys are snake_case; arrays are always present, [] when
// empty; the output is indented, ends in a newline and is deterministic.
//
//	{
//	  "schema_version": "1",
//	  "tool": {"name": "strider", "version": "0.1.0"},
//	  "summary": {
//	    "findings": 2,                 // len(findings)
//	    "by_severity": {"critical": 0, "high": 2, "medium": 0, "low": 0},
//	    "inputs": 5,                   // len(inputs)
//	    "diagnostics": {"error": 1, "warning": 0},
//	    "errors": 0,                   // len(errors)
//	    "successful": false            // no error diagnostic and no error
//	  },
//	  "findings": [{                   // in the order the scan sorted them
//	    "rule_id": "SDR-EC2-001",      // stable, never reused
//	    "rule_slug": "ec2-imdsv1-reachable",
//	    "title": "…",
//	    "severity": "high",            // critical | high | medium | low; the finding's own when raised by context; low for a note
//	    "security_severity": 8,        // number in (0, 10], as SARIF's; low's for a note
//	    "precision": "high",           // very-high | high | medium | low
//	    "stride": ["Information Disclosure", "Elevation of Privilege"],
//	    "attack": [{"id": "T1552.005", "name": "Cloud Instance Metadata API",
//	                "url": "https://attack.mitre.org/techniques/T1552/005/"}],
//	    "message": "…",
//	    "resource": {
//	      "address": "aws_instance.app", // as users write it; CFN: logical ID
//	      "type": "aws_instance",
//	      "stack": "infra",            // root module, plan or template; may be ""
//	      "format": "terraform",       // terraform | terraform-plan | cloudformation
//	      "change": "create"           // plan action; omitted for source inputs
//	    },
//	    "location": {"file": "infra/main.tf", "start_line": 12, "start_column": 3,
//	                 "end_line": 12, "end_column": 30},
//	    "related": [{"file": "…", "start_line": 1, "start_column": 0, "end_line": 0,
//	                 "end_column": 0, "message": "…", "address": "…"}],
//	    "fingerprint": "<64 hex>",     // = SARIF partialFingerprints["strider/v1"]
//	    "remediation": "…",            // Markdown
//	    "baseline_state": "new",       // only with a baseline: new | unchanged
//	    "suppressions": [{"kind": "inSource", "justification": "…",
//	                      "file": "main.tf", "line": 3}]  // only when suppressed
//	  }],
//	  "diagnostics": [{"severity": "error", "summary": "…", "detail": "…",
//	                   "file": "broken.tf", "line": 3, "column": 1}],
//	  "errors": [{"message": "…", "rule_id": "SDR-…"}],  // rule_id omitted when not a rule's
//	  "inputs": ["infra/main.tf", "…"]
//	}
//
// File names are slash-separated and relative to the scan root, not
// URI-encoded. Line and column numbers are 1-based; 0 means unknown, and
// columns count Unicode characters, end_column being the column after the
// last character. The fingerprint is the hex SHA-256 of
// "<rule_id>@<stack>::<address>", so it survives edits that move lines.
func WriteJSON(w io.Writer, in *Input) error {
	if err := in.check(); err != nil {
		return err
	}
	doc := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: in.toolName(), Version: in.Tool.Version},
		Findings:      make([]jsonFinding, 0, len(in.Findings)),
		Diagnostics:   make([]jsonDiagnostic, 0, len(in.Diagnostics)),
		Errors:        make([]jsonError, 0, len(in.Errors)),
		Inputs:        nonNil(in.inputFiles()),
	}
	for i, f := range in.Findings {
		jf := newJSONFinding(f)
		st := in.state(i)
		jf.BaselineState = st.Baseline
		for _, s := range st.Suppressions {
			jf.Suppressions = append(jf.Suppressions, jsonSuppression{Kind: s.Kind, Justification: s.Justification, File: s.Range.Filename, Line: int(s.Range.Start.Line)})
		}
		doc.Findings = append(doc.Findings, jf)
	}
	for _, d := range in.Diagnostics {
		doc.Diagnostics = append(doc.Diagnostics, jsonDiagnostic{
			Severity: d.Severity.String(),
			Summary:  d.Summary,
			Detail:   d.Detail,
			File:     d.Range.Filename,
			Line:     int(d.Range.Start.Line),
			Column:   int(d.Range.Start.Column),
		})
	}
	for _, err := range in.Errors {
		doc.Errors = append(doc.Errors, jsonError{Message: err.Error(), RuleID: ruleErrorID(err)})
	}
	doc.Summary = newSummary(in)

	return writeJSON(w, doc, false) // unescaped: keep "ATT&CK" and "<" readable
}

type jsonReport struct {
	SchemaVersion string           `json:"schema_version"`
	Tool          jsonTool         `json:"tool"`
	Summary       jsonSummary      `json:"summary"`
	Findings      []jsonFinding    `json:"findings"`
	Diagnostics   []jsonDiagnostic `json:"diagnostics"`
	Errors        []jsonError      `json:"errors"`
	Inputs        []string         `json:"inputs"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonSummary struct {
	Findings    int              `json:"findings"`
	BySeverity  severityCounts   `json:"by_severity"`
	Inputs      int              `json:"inputs"`
	Diagnostics diagnosticCounts `json:"diagnostics"`
	Errors      int              `json:"errors"`
	Successful  bool             `json:"successful"`
}

// severityCounts is a struct, not a map, so the keys come out from most
// to least severe rather than alphabetically.
type severityCounts struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
}

type diagnosticCounts struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
}

type jsonFinding struct {
	RuleID           string          `json:"rule_id"`
	RuleSlug         string          `json:"rule_slug"`
	Title            string          `json:"title"`
	Severity         string          `json:"severity"`
	SecuritySeverity float64         `json:"security_severity"`
	Precision        string          `json:"precision"`
	STRIDE           []string        `json:"stride"`
	ATTACK           []jsonTechnique `json:"attack"`
	Message          string          `json:"message"`
	Resource         jsonResource    `json:"resource"`
	Location         jsonLocation    `json:"location"`
	Related          []jsonRelated   `json:"related"`
	Path             []jsonPathStep  `json:"path,omitempty"`
	Fingerprint      string          `json:"fingerprint"`
	Remediation      string          `json:"remediation"`
	// BaselineState and Suppressions are present only when they apply.
	BaselineState string            `json:"baseline_state,omitempty"`
	Suppressions  []jsonSuppression `json:"suppressions,omitempty"`
}

type jsonSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
	File          string `json:"file"`
	Line          int    `json:"line"`
}

type jsonTechnique struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type jsonResource struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Stack   string `json:"stack"`
	Format  string `json:"format"`
	Change  string `json:"change,omitempty"`
}

// jsonLocation always carries every key, 0 meaning unknown, so readers
// need no existence checks.
type jsonLocation struct {
	File        string `json:"file"`
	StartLine   int    `json:"start_line"`
	StartColumn int    `json:"start_column"`
	EndLine     int    `json:"end_line"`
	EndColumn   int    `json:"end_column"`
}

type jsonRelated struct {
	jsonLocation
	Message string `json:"message"`
	Address string `json:"address"`
}

type jsonPathStep struct {
	jsonLocation
	Message   string `json:"message"`
	Address   string `json:"address"`
	Technique string `json:"technique"`
}

type jsonDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

type jsonError struct {
	Message string `json:"message"`
	RuleID  string `json:"rule_id,omitempty"`
}

func newJSONFinding(f rules.Finding) jsonFinding {
	r := f.Rule
	out := jsonFinding{
		RuleID:           r.ID,
		RuleSlug:         r.Slug,
		Title:            r.Title,
		Severity:         f.EffectiveSeverity().String(),
		SecuritySeverity: findingScore(f),
		Precision:        string(r.Precision),
		STRIDE:           strideNames(r),
		ATTACK:           []jsonTechnique{},
		Message:          f.Message,
		Resource: jsonResource{
			Address: f.Resource.Addr.String(),
			Type:    f.Resource.Addr.Type,
			Stack:   f.Resource.Addr.Stack,
			Format:  f.Resource.Format.String(),
			Change:  string(f.Resource.Change),
		},
		Location:    newJSONLocation(findingRange(f)),
		Related:     make([]jsonRelated, 0, len(f.Related)),
		Fingerprint: fingerprint(f),
		Remediation: r.Remediation,
	}
	for _, t := range findingTechniques(f) {
		out.ATTACK = append(out.ATTACK, jsonTechnique{ID: t.ID, Name: t.Name, URL: t.URL()})
	}
	for _, st := range f.Path {
		out.Path = append(out.Path, jsonPathStep{jsonLocation: newJSONLocation(st.Range), Message: st.Message, Address: st.Address, Technique: st.Technique})
	}
	for _, rel := range f.Related {
		out.Related = append(out.Related, jsonRelated{
			jsonLocation: newJSONLocation(rel.Range),
			Message:      rel.Message,
			Address:      rel.Address,
		})
	}
	return out
}

func newJSONLocation(rg graph.Range) jsonLocation {
	return jsonLocation{
		File:        rg.Filename,
		StartLine:   int(rg.Start.Line),
		StartColumn: int(rg.Start.Column),
		EndLine:     int(rg.End.Line),
		EndColumn:   int(rg.End.Column),
	}
}

func newSummary(in *Input) jsonSummary {
	s := jsonSummary{
		Findings:   len(in.Findings),
		BySeverity: countSeverities(in.Findings),
		Inputs:     len(in.inputFiles()),
		Errors:     len(in.Errors),
		Successful: in.Successful(),
	}
	for _, d := range in.Diagnostics {
		if d.Severity == graph.Warning {
			s.Diagnostics.Warning++
		} else {
			s.Diagnostics.Error++
		}
	}
	return s
}

func countSeverities(fs []rules.Finding) severityCounts {
	var c severityCounts
	for _, f := range fs {
		if f.Rule == nil {
			continue
		}
		switch f.EffectiveSeverity() {
		case rules.Critical:
			c.Critical++
		case rules.High:
			c.High++
		case rules.Medium:
			c.Medium++
		case rules.Low:
			c.Low++
		}
	}
	return c
}

// findingScore is the rule's score, or the score of the finding's own
// severity when it differs from the rule's: raised by context, or low for
// a note.
func findingScore(f rules.Finding) float64 {
	if s := f.EffectiveSeverity(); s != f.Rule.Severity {
		return s.Score()
	}
	return f.Rule.Score()
}
