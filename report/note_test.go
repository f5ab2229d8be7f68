package report

import (
	"testing"

	"github.com/strider-sec/strider/rules"
)

// A note (the rule cannot decide) goes out at low severity in every
// format, whatever the rule's own severity.
func TestNoteSeverity(t *testing.T) {
	in := emptyInput()
	f := ec2Finding(appInstance, rng("infra/main.tf", 15, 3, 15, 18), "x")
	f.Message = "cannot tell whether aws_instance.app allows IMDSv1: http_tokens is not known before apply"
	f.Note = true
	in.Findings = []rules.Finding{f}

	d, _ := decodeSARIF(t, in)
	if got := d.Runs[0].Results[0]["level"]; got != "note" {
		t.Errorf("SARIF level %v, want note", got)
	}
	doc, _ := decodeJSON(t, in)
	jf := doc["findings"].([]any)[0].(map[string]any)
	if jf["severity"] != "low" || jf["security_severity"] != rules.Low.Score() {
		t.Errorf("JSON severity %v / %v, want low / %v", jf["severity"], jf["security_severity"], rules.Low.Score())
	}
	counts := doc["summary"].(map[string]any)["by_severity"].(map[string]any)
	if counts["low"] != 1.0 || counts["high"] != 0.0 {
		t.Errorf("by_severity %v, want the note counted as low", counts)
	}
	if f.EffectiveSeverity() != rules.Low || f.Rule.Severity != rules.High {
		t.Errorf("Finding.EffectiveSeverity() = %v for a note of a %v rule", f.EffectiveSeverity(), f.Rule.Severity)
	}
}
