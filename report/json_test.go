package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func decodeJSON(t *testing.T, in *Input) (map[string]any, string) {
	t.Helper()
	data := renderJSON(t, in)
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc, string(data)
}

func TestJSONEmpty(t *testing.T) {
	in := emptyInput()
	in.Inputs = nil
	doc, raw := decodeJSON(t, in)
	for _, key := range []string{"findings", "diagnostics", "errors", "inputs"} {
		if !strings.Contains(raw, `"`+key+`": []`) {
			t.Errorf("%s is not []", key)
		}
	}
	want := map[string]any{
		"findings":    0.0,
		"by_severity": map[string]any{"critical": 0.0, "high": 0.0, "medium": 0.0, "low": 0.0},
		"inputs":      0.0,
		"diagnostics": map[string]any{"error": 0.0, "warning": 0.0},
		"errors":      0.0,
		"successful":  true,
	}
	if diff := cmp.Diff(want, doc["summary"]); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if doc["schema_version"] != "1" || !cmp.Equal(doc["tool"], map[string]any{"name": "strider", "version": "0.1.0"}) {
		t.Errorf("header %v %v", doc["schema_version"], doc["tool"])
	}
}

func TestJSONFindings(t *testing.T) {
	in := findingsInput()
	doc, raw := decodeJSON(t, in)
	fs := doc["findings"].([]any)
	if len(fs) != len(in.Findings) {
		t.Fatalf("%d findings, want %d", len(fs), len(in.Findings))
	}
	if got := get(doc, "summary", "by_severity"); !cmp.Equal(got, map[string]any{"critical": 1.0, "high": 2.0, "medium": 1.0, "low": 1.0}) {
		t.Errorf("by_severity %v", got)
	}
	if got := get(doc, "summary", "inputs"); got != 6.0 {
		t.Errorf("inputs %v, want 6 distinct files", got)
	}

	var app map[string]any
	appIdx := -1
	for i, f := range fs {
		m := f.(map[string]any)
		if m["fingerprint"] != fingerprint(in.Findings[i]) {
			t.Errorf("finding %d fingerprint differs from SARIF's", i)
		}
		if get(m, "resource", "address") == "aws_instance.app" {
			app, appIdx = m, i
		}
	}
	if app == nil {
		t.Fatal("no finding on aws_instance.app")
	}
	want := map[string]any{
		"rule_id":           "SDR-EC2-001",
		"rule_slug":         "ec2-imdsv1-reachable",
		"title":             "Instance metadata service v1 is reachable (session tokens not required)",
		"severity":          "high",
		"security_severity": 8.0,
		"precision":         "high",
		"stride":            []any{"Information Disclosure", "Elevation of Privilege"},
		"attack": []any{map[string]any{
			"id": "T1552.005", "name": "Cloud Instance Metadata API", "url": "https://attack.mitre.org/techniques/T1552/005/",
		}},
		"message":  in.Findings[appIdx].Message,
		"resource": map[string]any{"address": "aws_instance.app", "type": "aws_instance", "stack": "infra", "format": "terraform"},
		"location": map[string]any{"file": "infra/main.tf", "start_line": 15.0, "start_column": 3.0, "end_line": 15.0, "end_column": 18.0},
		"related": []any{
			map[string]any{"file": "infra/modules/web app/main.tf", "start_line": 5.0, "start_column": 5.0, "end_line": 5.0, "end_column": 31.0,
				"message": "the launch template leaves http_tokens optional", "address": `module.web.aws_launch_template.web["blue"]`},
			map[string]any{"file": "", "start_line": 0.0, "start_column": 0.0, "end_line": 0.0, "end_column": 0.0,
				"message": "no account-level metadata default is declared", "address": ""},
			map[string]any{"file": "infra/main.tf", "start_line": 12.0, "start_column": 0.0, "end_line": 0.0, "end_column": 0.0,
				"message": "", "address": "aws_instance.app"},
		},
		"fingerprint": fingerprint(in.Findings[appIdx]),
		"remediation": in.Findings[appIdx].Rule.Remediation,
	}
	if diff := cmp.Diff(want, app); diff != "" {
		t.Errorf("aws_instance.app finding (-want +got):\n%s", diff)
	}
	if !strings.Contains(raw, `"change": "create"`) || strings.Count(raw, `"change"`) != 1 {
		t.Error("change not emitted exactly for the plan resource")
	}
	if !strings.Contains(raw, "web app/main.tf") {
		t.Error("JSON file names should not be URI-encoded")
	}
}

func TestJSONProblems(t *testing.T) {
	doc, _ := decodeJSON(t, diagnosticInput())
	if get(doc, "summary", "successful") != false || !cmp.Equal(get(doc, "summary", "diagnostics"), map[string]any{"error": 2.0, "warning": 1.0}) {
		t.Errorf("summary %v", doc["summary"])
	}
	if got := get(doc, "diagnostics", 0); !cmp.Equal(got, map[string]any{
		"severity": "error", "summary": "Invalid block definition",
		"detail": `Either a quoted string block label or an opening brace ("{") is expected here.`,
		"file":   "broken.tf", "line": 3.0, "column": 17.0,
	}) {
		t.Errorf("diagnostic %v", got)
	}

	doc, _ = decodeJSON(t, ruleErrorInput())
	errs := doc["errors"].([]any)
	if len(errs) != 2 || get(errs, 0, "rule_id") != "SDR-IAM-001" || get(errs, 1, "rule_id") != nil ||
		get(errs, 1, "message") != "reading .strider.yaml: permission denied" {
		t.Errorf("errors %v", errs)
	}
	if get(doc, "summary", "errors") != 2.0 || get(doc, "summary", "successful") != false {
		t.Errorf("summary %v", doc["summary"])
	}
}

// TestJSONSchemaRejects makes sure the schema is strict enough to catch
// drift between WriteJSON and its documentation.
func TestJSONSchemaRejects(t *testing.T) {
	good := renderJSON(t, findingsInput())
	tests := []struct {
		name   string
		modify func(doc map[string]any)
	}{
		{"null findings", func(doc map[string]any) { doc["findings"] = nil }},
		{"undocumented field", func(doc map[string]any) { get(doc, "findings", 0).(map[string]any)["extra"] = 1 }},
		{"missing fingerprint", func(doc map[string]any) { delete(get(doc, "findings", 0).(map[string]any), "fingerprint") }},
		{"unknown STRIDE", func(doc map[string]any) {
			get(doc, "findings", 0).(map[string]any)["stride"] = []string{"Info Disclosure"}
		}},
		{"wrong schema_version", func(doc map[string]any) { doc["schema_version"] = 1 }},
		{"extra related field", func(doc map[string]any) {
			get(doc, "findings", 1, "related", 0).(map[string]any)["id"] = 1
		}},
	}
	sch, err := ourJSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(good, &doc); err != nil {
				t.Fatal(err)
			}
			tt.modify(doc)
			data, _ := json.Marshal(doc)
			var inst any
			if err := json.Unmarshal(data, &inst); err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err == nil {
				t.Error("schema accepted it")
			}
		})
	}
}

func TestJSONSchemaEmbedded(t *testing.T) {
	file, err := os.ReadFile("json-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(JSONSchema(), file) {
		t.Error("JSONSchema() differs from json-schema.json")
	}
	var v map[string]any
	if err := json.Unmarshal(JSONSchema(), &v); err != nil || v["$schema"] == nil {
		t.Errorf("embedded schema: %v", err)
	}
}
