package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/strider-sec/strider/rules"
)

// A finding's own severity wins over its rule's in every format.
func TestFindingSeverityOverride(t *testing.T) {
	in := findingsInput()
	for _, f := range in.Findings {
		if f.Rule == trailRule { // a low rule
			f.Severity = rules.Critical
			in.Findings = []rules.Finding{f}
			break
		}
	}
	if len(in.Findings) != 1 {
		t.Fatal("no finding of the trail rule in the fixture")
	}

	var js bytes.Buffer
	if err := WriteJSON(&js, in); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Summary struct {
			BySeverity map[string]int `json:"by_severity"`
		} `json:"summary"`
		Findings []struct {
			Severity         string  `json:"severity"`
			SecuritySeverity float64 `json:"security_severity"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if f := doc.Findings[0]; f.Severity != "critical" || f.SecuritySeverity != rules.Critical.Score() {
		t.Errorf("JSON finding %+v, want critical", f)
	}
	if doc.Summary.BySeverity["critical"] != 1 || doc.Summary.BySeverity["low"] != 0 {
		t.Errorf("JSON summary %v", doc.Summary.BySeverity)
	}

	d, _ := decodeSARIF(t, in)
	if got := d.Runs[0].Results[0]["level"]; got != "error" {
		t.Errorf("SARIF level %v, want error", got)
	}

	var tb bytes.Buffer
	if err := WriteTable(&tb, in, TableOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tb.String(), "CRITICAL "+trailRule.ID) {
		t.Errorf("table does not show the finding as critical:\n%s", tb.String())
	}
}
