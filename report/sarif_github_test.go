package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// githubInput is findingsInput with everything the CI features add: a
// category, readable sources, a baseline and suppressions of both kinds.
func githubInput() *Input {
	in := findingsInput()
	in.Category = "strider/terraform"
	src := map[string]string{
		"infra/main.tf": strings.Repeat("# filler\n", 9) + "resource \"aws_instance\" \"app\" {\n" + strings.Repeat("  ami = \"ami-0123456789abcdef0\"\n", 20),
	}
	in.ReadFile = func(name string) ([]byte, error) {
		if s, ok := src[name]; ok {
			return []byte(s), nil
		}
		return nil, fs.ErrNotExist
	}
	in.States = make([]State, len(in.Findings))
	for i := range in.States {
		in.States[i].Baseline = BaselineNew
	}
	in.States[0].Suppressions = []Suppression{{Kind: InSource, Justification: "blue is being retired", Range: rng("infra/modules/web app/main.tf", 4, 1, 4, 60)}}
	in.States[1].Suppressions = []Suppression{{Kind: External, Justification: "accepted by platform-team until 2099-01-01"}}
	in.Notes = []string{"3 findings known in the baseline left out"}
	return in
}

func TestSARIFGitHub(t *testing.T) {
	in := githubInput()
	d, _ := decodeSARIF(t, in) // schema and GitHub checks run inside
	run := d.Runs[0]
	if len(run.Results) < 3 {
		t.Fatalf("%d results", len(run.Results))
	}
	for i, res := range run.Results {
		f := in.Findings[i]
		if res["baselineState"] != BaselineNew {
			t.Errorf("result %d baselineState %v", i, res["baselineState"])
		}
		h, _ := get(res, "partialFingerprints", lineHashKey).(string)
		rg := findingRange(f)
		if rg.Filename == "infra/main.tf" {
			src, _ := in.ReadFile(rg.Filename)
			if want := LineHashes(src)[rg.Start.Line-1]; h != want {
				t.Errorf("result %d line hash %q, want %q", i, h, want)
			}
		} else if h != "" {
			t.Errorf("result %d has a line hash %q for a file that cannot be read", i, h)
		}
	}
	sup := get(run.Results[0], "suppressions", 0).(map[string]any)
	if sup["kind"] != "inSource" || sup["justification"] != "blue is being retired" || sup["status"] != "accepted" ||
		get(sup, "location", "physicalLocation", "region", "startLine") != 4.0 {
		t.Errorf("in-source suppression %v", sup)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(sup["guid"].(string)) {
		t.Errorf("guid %v is not a version 5 UUID", sup["guid"])
	}
	if k := get(run.Results[1], "suppressions", 0, "kind"); k != "external" {
		t.Errorf("external suppression kind %v", k)
	}
	if s := run.Results[2]["suppressions"]; s != nil {
		t.Errorf("unsuppressed result has suppressions %v", s)
	}
	notes := d.Runs[0].Invocations[0].Notifications
	if len(notes) == 0 || get(notes[0], "message", "text") != in.Notes[0] || notes[0]["level"] != "note" {
		t.Errorf("notes not carried: %v", notes)
	}
}

func TestSARIFAutomationID(t *testing.T) {
	for _, tc := range []struct{ category, want string }{
		{"strider/terraform", "strider/terraform/"},
		{"infra/prod/", "infra/prod/"},
		{"x", "x/"},
	} {
		in := emptyInput()
		in.Category = tc.category
		d, raw := decodeSARIF(t, in)
		_ = d
		if !strings.Contains(raw, `"automationDetails": {
        "id": "`+tc.want+`"`) {
			t.Errorf("category %q: automationDetails.id not %q in\n%.600s", tc.category, tc.want, raw)
		}
	}
	d, raw := decodeSARIF(t, emptyInput())
	_ = d
	if strings.Contains(raw, "automationDetails") {
		t.Error("automationDetails without a category")
	}
}

func TestKeepResults(t *testing.T) {
	low := &rules.Rule{ID: "L", Severity: rules.Low}
	high := &rules.Rule{ID: "H", Severity: rules.High}
	fs := []rules.Finding{{Rule: low}, {Rule: high}, {Rule: low}, {Rule: high}, {Rule: low}}
	kept, cut := keepResults(fs, 3)
	if cut != 2 || len(kept) != 3 || kept[0] != 0 || kept[1] != 1 || kept[2] != 3 {
		t.Errorf("kept %v cut %d, want [0 1 3] 2", kept, cut)
	}
	kept, cut = keepResults(fs, 5)
	if cut != 0 || len(kept) != 5 {
		t.Errorf("under the limit: kept %v cut %d", kept, cut)
	}
}

// Above GitHub's limit the report keeps the most severe results and says
// so; the upload would otherwise be rejected whole.
func TestSARIFResultLimit(t *testing.T) {
	defer func(n int) { maxResults = n }(maxResults)
	maxResults = 3
	in := findingsInput()
	if len(in.Findings) <= maxResults {
		t.Fatalf("fixture has only %d findings", len(in.Findings))
	}
	d, _ := decodeSARIF(t, in)
	if n := len(d.Runs[0].Results); n != maxResults {
		t.Errorf("%d results, want %d", n, maxResults)
	}
	notes := d.Runs[0].Invocations[0].Notifications
	if len(notes) == 0 || !strings.Contains(get(notes[0], "message", "text").(string), "left out") {
		t.Errorf("no notification of the cut: %v", notes)
	}
}

func TestLineHashCache(t *testing.T) {
	reads := 0
	c := lineHashCache{read: func(string) ([]byte, error) {
		reads++
		if reads > 1 {
			return nil, errors.New("read twice")
		}
		return []byte("a\nb\n"), nil
	}}
	for _, line := range []int{1, 2, 1} {
		if c.at(graph.Range{Filename: "f", Start: graph.PosAt(line, 0)}) == "" {
			t.Errorf("line %d: no hash", line)
		}
	}
	if h := c.at(graph.Range{Filename: "f", Start: graph.Pos{Line: 9}}); h != "" {
		t.Errorf("line past the end: %q", h)
	}
	if reads != 1 {
		t.Errorf("file read %d times", reads)
	}
}

func TestUUID5(t *testing.T) {
	// RFC 4122 DNS namespace and the widely published value of "python.org".
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	b := uuid5(dns, "python.org")
	if got := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]); got != "886313e1-3b8a-5372-9b90-0c9aee199e5d" {
		t.Errorf("uuid5 = %s", got)
	}
}

// JSON carries the same states as SARIF and still validates.
func TestJSONStates(t *testing.T) {
	in := githubInput()
	data := renderJSON(t, in) // validates against json-schema.json
	var doc struct {
		Findings []struct {
			BaselineState string `json:"baseline_state"`
			Suppressions  []struct {
				Kind, Justification, File string
				Line                      int
			} `json:"suppressions"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	f := doc.Findings
	if f[0].BaselineState != "new" || len(f[0].Suppressions) != 1 || f[0].Suppressions[0].Kind != "inSource" ||
		f[0].Suppressions[0].Line != 4 || f[0].Suppressions[0].File != "infra/modules/web app/main.tf" {
		t.Errorf("first finding %+v", f[0])
	}
	if len(f[2].Suppressions) != 0 {
		t.Errorf("unsuppressed finding has suppressions %+v", f[2].Suppressions)
	}
	// Without states the keys are absent, as before.
	if bytes.Contains(renderJSON(t, findingsInput()), []byte("baseline_state")) {
		t.Error("baseline_state without a baseline")
	}
}
