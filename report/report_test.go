package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGolden renders every case in every format and compares with the
// reviewed files in testdata/golden. SARIF and JSON are validated against
// their schemas on the way.
func TestGolden(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			golden(t, c.name+".sarif", renderSARIF(t, c.input()))
			golden(t, c.name+".json", renderJSON(t, c.input()))
			golden(t, c.name+".txt", renderTable(t, c.input(), TableOptions{Width: 80}))
		})
	}
	t.Run("findings-color", func(t *testing.T) {
		golden(t, "findings-color.txt", renderTable(t, findingsInput(), TableOptions{Color: true}))
	})
}

// TestDeterministic renders each case twice, from separately built
// inputs, and wants the same bytes: CI diffs and GitHub alert identity
// depend on it.
func TestDeterministic(t *testing.T) {
	formats := []struct {
		name   string
		render func(*testing.T, *Input) []byte
	}{
		{"sarif", renderSARIF},
		{"json", renderJSON},
		{"table", func(t *testing.T, in *Input) []byte { return renderTable(t, in, TableOptions{Width: 60, Color: true}) }},
	}
	for _, c := range cases {
		for _, f := range formats {
			t.Run(c.name+"/"+f.name, func(t *testing.T) {
				a, b := f.render(t, c.input()), f.render(t, c.input())
				if !bytes.Equal(a, b) {
					t.Error("two renderings of the same input differ")
				}
				if f.name != "table" && !bytes.HasSuffix(a, []byte("}\n")) {
					t.Error("output does not end in a newline")
				}
			})
		}
	}
}

// TestInvalidInput covers inputs that would yield a report GitHub rejects
// or that misattributes findings: the machine formats refuse them, the
// table still shows them.
func TestInvalidInput(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Input)
		want   string
	}{
		{"rule not listed", func(in *Input) { in.Rules = in.Rules[:1] }, "is not in Input.Rules"},
		{"rule listed twice", func(in *Input) { in.Rules = append(in.Rules, in.Rules[0]) }, "listed twice"},
		{"nil rule", func(in *Input) { in.Rules = append(in.Rules, nil) }, "is nil"},
		{"finding without rule", func(in *Input) { in.Findings[0].Rule = nil }, "has no rule"},
		{"finding without resource", func(in *Input) { in.Findings[0].Resource = nil }, "has no resource"},
		{"finding without file", func(in *Input) {
			r := *in.Findings[0].Resource
			r.Range.Filename = ""
			in.Findings[0].Resource = &r
			in.Findings[0].Range.Filename = ""
		}, "has no source file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := findingsInput()
			tt.modify(in)
			for name, write := range map[string]func(*bytes.Buffer) error{
				"sarif": func(b *bytes.Buffer) error { return WriteSARIF(b, in) },
				"json":  func(b *bytes.Buffer) error { return WriteJSON(b, in) },
			} {
				var buf bytes.Buffer
				err := write(&buf)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: error %v, want one containing %q", name, err, tt.want)
				}
				if buf.Len() != 0 {
					t.Errorf("%s: wrote %d bytes despite the error", name, buf.Len())
				}
			}
			if err := WriteTable(&bytes.Buffer{}, in, TableOptions{Width: 80}); err != nil {
				t.Errorf("table: %v", err)
			}
		})
	}
	t.Run("relative SrcRoot", func(t *testing.T) {
		in := emptyInput()
		in.SrcRoot = "src"
		if err := WriteSARIF(&bytes.Buffer{}, in); err == nil || !strings.Contains(err.Error(), "not an absolute path") {
			t.Errorf("error %v", err)
		}
	})
}

// TestSARIFSchemaCopy keeps testdata's schema identical to the shared one
// its SOURCE.md describes.
func TestSARIFSchemaCopy(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "data", "sarif", "sarif-schema-2.1.0.json")
	want, err := os.ReadFile(shared)
	if err != nil {
		t.Skipf("shared data not present: %v", err)
	}
	got, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("testdata/sarif-schema-2.1.0.json differs from %s: copy it again and update testdata/SOURCE.md", shared)
	}
}

// TestGitHubChecks makes sure the GitHub checks that every SARIF test
// relies on do catch the pitfalls they are there for.
func TestGitHubChecks(t *testing.T) {
	good := renderSARIF(t, findingsInput())
	tests := []struct {
		name   string
		modify func(run map[string]any)
		want   string
	}{
		{"unknown rule index", func(run map[string]any) { resultAt(run, 0)["ruleIndex"] = uint64(1<<64 - 1) }, "beyond 2^63-1"},
		{"index of another rule", func(run map[string]any) { resultAt(run, 0)["ruleIndex"] = 0 }, "points at"},
		{"results null", func(run map[string]any) { run["results"] = nil }, "results missing or null"},
		{"results missing", func(run map[string]any) { delete(run, "results") }, "results missing or null"},
		{"rules null", func(run map[string]any) { driver(run)["rules"] = nil }, "rules missing or null"},
		{"raw space in uri", func(run map[string]any) {
			physical(resultAt(run, 0))["artifactLocation"] = map[string]any{"uri": "web app/main.tf"}
		}, "not percent-encoded"},
		{"empty uri", func(run map[string]any) {
			physical(resultAt(run, 0))["artifactLocation"] = map[string]any{"uri": ""}
		}, "no artifactLocation.uri"},
		{"no start line", func(run map[string]any) { physical(resultAt(run, 0))["region"] = map[string]any{"startColumn": 1} }, "startLine"},
		{"no short description", func(run map[string]any) { ruleAt(run, 0)["shortDescription"] = nil }, "no shortDescription.text"},
		{"too many tags", func(run map[string]any) {
			props(ruleAt(run, 0))["tags"] = strings.Split("security a b c d e f g h i j", " ")
		}, "11 tags"},
		{"no security tag", func(run map[string]any) { props(ruleAt(run, 0))["tags"] = []string{"x"} }, "no security tag"},
		{"numeric security-severity", func(run map[string]any) { props(ruleAt(run, 0))["security-severity"] = 8.0 }, "is not a string"},
		{"undefined security-severity", func(run map[string]any) { props(ruleAt(run, 0))["security-severity"] = "undefined" }, "not a number"},
		{"duplicate rule", func(run map[string]any) {
			d := driver(run)
			d["rules"] = append(d["rules"].([]any), d["rules"].([]any)[0])
		}, "duplicate id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log map[string]any
			if err := json.Unmarshal(good, &log); err != nil {
				t.Fatal(err)
			}
			tt.modify(log["runs"].([]any)[0].(map[string]any))
			data, err := json.Marshal(log)
			if err != nil {
				t.Fatal(err)
			}
			ps := githubProblems(data)
			if !strings.Contains(strings.Join(ps, "\n"), tt.want) {
				t.Errorf("problems %q, want one containing %q", ps, tt.want)
			}
		})
	}
}

func driver(run map[string]any) map[string]any {
	return run["tool"].(map[string]any)["driver"].(map[string]any)
}

func ruleAt(run map[string]any, i int) map[string]any {
	return driver(run)["rules"].([]any)[i].(map[string]any)
}

func resultAt(run map[string]any, i int) map[string]any {
	return run["results"].([]any)[i].(map[string]any)
}

func props(m map[string]any) map[string]any { return m["properties"].(map[string]any) }

func physical(res map[string]any) map[string]any {
	return res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
}

// TestSARIFSchemaRejects makes sure schema validation is really on: the
// go-sarif pitfalls the schema can see are caught.
func TestSARIFSchemaRejects(t *testing.T) {
	good := renderSARIF(t, findingsInput())
	sch, err := sarifSchema()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		modify func(run map[string]any)
	}{
		{"null shortDescription", func(run map[string]any) { ruleAt(run, 0)["shortDescription"] = nil }},
		{"region without startLine", func(run map[string]any) { physical(resultAt(run, 0))["region"] = map[string]any{"startColumn": 1} }},
		{"unknown level", func(run map[string]any) { resultAt(run, 0)["level"] = "critical" }},
		{"empty message", func(run map[string]any) { resultAt(run, 0)["message"] = map[string]any{} }},
		{"duplicate rule", func(run map[string]any) {
			d := driver(run)
			d["rules"] = append(d["rules"].([]any), d["rules"].([]any)[0])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log map[string]any
			if err := json.Unmarshal(good, &log); err != nil {
				t.Fatal(err)
			}
			tt.modify(log["runs"].([]any)[0].(map[string]any))
			data, _ := json.Marshal(log)
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
