package report

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/golden/name, or rewrites the file
// under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report/ -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from golden (-want +got); run with -update if intended:\n%s", path, diff)
	}
}

func compileSchema(path string) (*jsonschema.Schema, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // check uri and uri-reference values too
	loc := "file:///" + filepath.ToSlash(path)
	if err := c.AddResource(loc, doc); err != nil {
		return nil, err
	}
	return c.Compile(loc)
}

var (
	sarifSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
		return compileSchema(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	})
	ourJSONSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
		return compileSchema("json-schema.json")
	})
)

func validate(t *testing.T, schema func() (*jsonschema.Schema, error), data []byte) {
	t.Helper()
	sch, err := schema()
	if err != nil {
		t.Fatalf("compiling schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("output does not validate: %v", err)
	}
}

// renderSARIF renders in and checks the result against the SARIF schema
// and GitHub's ingestion rules, so that no test sees unchecked SARIF.
func renderSARIF(t *testing.T, in *Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, in); err != nil {
		t.Fatalf("WriteSARIF: %v", err)
	}
	validate(t, sarifSchema, buf.Bytes())
	for _, p := range githubProblems(buf.Bytes()) {
		t.Errorf("GitHub would reject or mangle this SARIF: %s", p)
	}
	return buf.Bytes()
}

// renderJSON renders in and validates it against report/json-schema.json.
func renderJSON(t *testing.T, in *Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, in); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	validate(t, ourJSONSchema, buf.Bytes())
	return buf.Bytes()
}

func renderTable(t *testing.T, in *Input, opts TableOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTable(&buf, in, opts); err != nil {
		t.Fatalf("WriteTable: %v", err)
	}
	return buf.Bytes()
}

// The subset of SARIF that GitHub code scanning reads, decoded loosely so
// that wrong types and missing keys show up as problems rather than
// decode errors. Pointers tell "absent or null" from empty.
type (
	ghLog struct {
		Schema  string  `json:"$schema"`
		Version string  `json:"version"`
		Runs    []ghRun `json:"runs"`
	}
	ghRun struct {
		Tool struct {
			Driver struct {
				Name  string    `json:"name"`
				Rules *[]ghRule `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results           *[]ghResult `json:"results"`
		AutomationDetails *struct {
			ID *string `json:"id"`
		} `json:"automationDetails"`
	}
	ghRule struct {
		ID               string  `json:"id"`
		Name             string  `json:"name"`
		ShortDescription *ghText `json:"shortDescription"`
		FullDescription  *ghText `json:"fullDescription"`
		Help             *ghText `json:"help"`
		Properties       struct {
			Tags             []any `json:"tags"`
			Precision        any   `json:"precision"`
			SecuritySeverity any   `json:"security-severity"`
		} `json:"properties"`
	}
	ghText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	ghResult struct {
		RuleID              string         `json:"ruleId"`
		RuleIndex           *uint64        `json:"ruleIndex"`
		Message             ghText         `json:"message"`
		Locations           []ghLocation   `json:"locations"`
		RelatedLocations    []ghLocation   `json:"relatedLocations"`
		PartialFingerprints map[string]any `json:"partialFingerprints"`
		Suppressions        []struct {
			Kind          string  `json:"kind"`
			Justification *string `json:"justification"`
		} `json:"suppressions"`
	}
	ghLocation struct {
		ID               *uint64 `json:"id"`
		PhysicalLocation *struct {
			ArtifactLocation *struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region *struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	}
)

// uriChars are the characters RFC 3986 allows in a URI reference; any
// other must be percent-encoded (github/codeql-action#1703).
var uriChars = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$`)

var fingerprintValue = regexp.MustCompile(`^[0-9a-f]{64}$`)

// lineHashValue is the shape of the upload action's line hashes.
var lineHashValue = regexp.MustCompile(`^[0-9a-f]{1,16}:[1-9][0-9]*$`)

// githubProblems lists what GitHub code scanning would reject, or
// silently drop, in a SARIF log (../shared/reference/github-code-scanning.md
// §1, §5 and §7). The schema cannot express these.
func githubProblems(data []byte) []string {
	var ps []string
	bad := func(format string, args ...any) { ps = append(ps, fmt.Sprintf(format, args...)) }

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	if gz.Len() > 10<<20 {
		bad("gzipped size %d over 10 MB", gz.Len())
	}

	var log ghLog
	if err := json.Unmarshal(data, &log); err != nil {
		return []string{"does not decode: " + err.Error()}
	}
	if log.Schema == "" {
		bad("no $schema")
	}
	if log.Version != "2.1.0" {
		bad("version %q", log.Version)
	}
	if n := len(log.Runs); n < 1 || n > 20 {
		bad("%d runs", n)
	}
	for ri, run := range log.Runs {
		if run.Tool.Driver.Name == "" {
			bad("run %d: empty tool.driver.name", ri)
		}
		if run.Tool.Driver.Rules == nil {
			bad("run %d: tool.driver.rules missing or null", ri)
			continue
		}
		rs := *run.Tool.Driver.Rules
		if len(rs) > 25000 {
			bad("run %d: %d rules", ri, len(rs))
		}
		ids := map[string]bool{}
		for _, r := range rs {
			ps = append(ps, ruleProblems(r)...)
			if ids[r.ID] {
				bad("rule %s: duplicate id", r.ID)
			}
			ids[r.ID] = true
		}
		if ad := run.AutomationDetails; ad != nil && (ad.ID == nil || *ad.ID == "" || !strings.HasSuffix(*ad.ID, "/")) {
			bad("run %d: automationDetails.id %v: want a category ending in /", ri, ad.ID)
		}
		if run.Results == nil {
			bad("run %d: results missing or null", ri)
			continue
		}
		if n := len(*run.Results); n > 25000 {
			bad("run %d: %d results", ri, n)
		}
		for i, res := range *run.Results {
			where := fmt.Sprintf("result %d (%s)", i, res.RuleID)
			switch {
			case res.RuleID == "":
				bad("%s: no ruleId", where)
			case res.RuleIndex == nil:
				bad("%s: no ruleIndex", where)
			case *res.RuleIndex > math.MaxInt64:
				bad("%s: ruleIndex %d beyond 2^63-1", where, *res.RuleIndex)
			case *res.RuleIndex >= uint64(len(rs)):
				bad("%s: ruleIndex %d out of range", where, *res.RuleIndex)
			case rs[*res.RuleIndex].ID != res.RuleID:
				bad("%s: ruleIndex %d points at %s", where, *res.RuleIndex, rs[*res.RuleIndex].ID)
			}
			if res.Message.Text == "" {
				bad("%s: empty message.text", where)
			}
			if len(res.Locations) != 1 {
				bad("%s: %d locations, want exactly 1", where, len(res.Locations))
			}
			for _, loc := range res.Locations {
				ps = append(ps, locationProblems(where, loc)...)
			}
			for _, loc := range res.RelatedLocations {
				ps = append(ps, locationProblems(where+" related", loc)...)
				if loc.ID == nil {
					bad("%s: related location without id", where)
				}
			}
			if v, ok := res.PartialFingerprints[fingerprintKey].(string); !ok || !fingerprintValue.MatchString(v) {
				bad("%s: partialFingerprints[%q] = %v", where, fingerprintKey, res.PartialFingerprints[fingerprintKey])
			}
			if v, ok := res.PartialFingerprints[lineHashKey]; ok {
				if s, _ := v.(string); !lineHashValue.MatchString(s) {
					bad("%s: partialFingerprints[%q] = %v", where, lineHashKey, v)
				}
			}
			for _, sup := range res.Suppressions {
				if sup.Kind != "inSource" && sup.Kind != "external" {
					bad("%s: suppression kind %q", where, sup.Kind)
				}
				if sup.Justification == nil || *sup.Justification == "" {
					bad("%s: suppression without justification", where)
				}
			}
		}
	}
	return ps
}

func ruleProblems(r ghRule) []string {
	var ps []string
	bad := func(format string, args ...any) {
		ps = append(ps, fmt.Sprintf("rule %s: "+format, append([]any{r.ID}, args...)...))
	}
	if r.ID == "" {
		bad("empty id")
	}
	if len(r.Name) > 255 {
		bad("name longer than 255")
	}
	for field, m := range map[string]*ghText{"shortDescription": r.ShortDescription, "fullDescription": r.FullDescription} {
		switch {
		case m == nil || m.Text == "":
			bad("no %s.text", field)
		case len(m.Text) > maxDescription:
			bad("%s.text is %d bytes", field, len(m.Text))
		}
	}
	if r.Help == nil || r.Help.Text == "" {
		bad("no help.text")
	}
	tags := r.Properties.Tags
	if len(tags) > maxTags {
		bad("%d tags, GitHub keeps %d", len(tags), maxTags)
	}
	seen, security := map[string]bool{}, false
	for i, tag := range tags {
		s, ok := tag.(string)
		switch {
		case !ok:
			bad("tags[%d] is not a string", i)
		case seen[s]:
			bad("tag %q repeated", s)
		}
		seen[s] = true
		security = security || s == "security"
	}
	if !security {
		bad("no security tag: GitHub then ignores security-severity")
	}
	if s, ok := r.Properties.SecuritySeverity.(string); !ok {
		bad("security-severity %v is not a string", r.Properties.SecuritySeverity)
	} else if v, err := strconv.ParseFloat(s, 64); err != nil || !(v > 0 && v <= 10) {
		bad("security-severity %q is not a number in (0, 10]", s)
	}
	switch r.Properties.Precision {
	case "very-high", "high", "medium", "low":
	default:
		bad("precision %v", r.Properties.Precision)
	}
	return ps
}

func locationProblems(where string, loc ghLocation) []string {
	pl := loc.PhysicalLocation
	switch {
	case pl == nil:
		return []string{where + ": no physicalLocation"}
	case pl.ArtifactLocation == nil || pl.ArtifactLocation.URI == "":
		return []string{where + ": no artifactLocation.uri"}
	case !uriChars.MatchString(pl.ArtifactLocation.URI):
		return []string{fmt.Sprintf("%s: uri %q is not percent-encoded", where, pl.ArtifactLocation.URI)}
	case pl.Region == nil || pl.Region.StartLine < 1:
		return []string{where + ": no region.startLine >= 1"}
	}
	return nil
}
