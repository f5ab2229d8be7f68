package report

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// sarifDoc decodes the parts of our SARIF the tests look at.
type sarifDoc struct {
	Schema string `json:"$schema"`
	Runs   []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID                   string            `json:"id"`
					Name                 string            `json:"name"`
					ShortDescription     map[string]string `json:"shortDescription"`
					FullDescription      map[string]string `json:"fullDescription"`
					Help                 map[string]string `json:"help"`
					DefaultConfiguration map[string]string `json:"defaultConfiguration"`
					Properties           map[string]any    `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results     []map[string]any `json:"results"`
		ColumnKind  string           `json:"columnKind"`
		BaseIDs     map[string]any   `json:"originalUriBaseIds"`
		Artifacts   []map[string]any `json:"artifacts"`
		Invocations []struct {
			ExecutionSuccessful bool             `json:"executionSuccessful"`
			Notifications       []map[string]any `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, in *Input) (sarifDoc, string) {
	t.Helper()
	data := renderSARIF(t, in)
	var d sarifDoc
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("%d runs", len(d.Runs))
	}
	return d, string(data)
}

// get walks decoded JSON by keys and indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			s, _ := v.([]any)
			if k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

func TestSARIFEmpty(t *testing.T) {
	d, raw := decodeSARIF(t, emptyInput())
	run := d.Runs[0]
	if !strings.Contains(raw, `"results": []`) {
		t.Error(`no "results": [] in output`)
	}
	if len(run.Tool.Driver.Rules) != len(registered()) {
		t.Errorf("%d rules, want every registered rule", len(run.Tool.Driver.Rules))
	}
	if d.Schema != "https://json.schemastore.org/sarif-2.1.0.json" {
		t.Errorf("$schema %q", d.Schema)
	}
	if run.BaseIDs != nil {
		t.Errorf("originalUriBaseIds %v without SrcRoot", run.BaseIDs)
	}
	if inv := run.Invocations; len(inv) != 1 || !inv[0].ExecutionSuccessful || len(inv[0].Notifications) != 0 {
		t.Errorf("invocations %+v", inv)
	}

	in := emptyInput()
	in.Rules = nil
	if _, raw := decodeSARIF(t, in); !strings.Contains(raw, `"rules": []`) {
		t.Error(`no "rules": [] when no rule ran`)
	}
}

func TestSARIFRules(t *testing.T) {
	d, _ := decodeSARIF(t, findingsInput())
	rs := d.Runs[0].Tool.Driver.Rules
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	if want := []string{"SDR-EC2-001", "SDR-IAM-001", "SDR-S3-001", "SDR-TRAIL-001"}; !slices.Equal(ids, want) {
		t.Fatalf("rules %v, want %v", ids, want)
	}
	ec2 := rs[0]
	if ec2.Name != "ec2-imdsv1-reachable" || ec2.ShortDescription["text"] != rules.EC2IMDSv1Reachable.Title {
		t.Errorf("name %q, shortDescription %v", ec2.Name, ec2.ShortDescription)
	}
	wantProps := map[string]any{
		"tags": []any{"security", "stride/information-disclosure", "stride/elevation-of-privilege",
			"attack/T1552.005", "attack-tactic/credential-access"},
		"precision":         "high",
		"security-severity": "8.0",
		"stride":            []any{"Information Disclosure", "Elevation of Privilege"},
		"attack":            []any{"T1552.005"},
	}
	if diff := cmp.Diff(wantProps, ec2.Properties); diff != "" {
		t.Errorf("EC2 rule properties (-want +got):\n%s", diff)
	}
	for _, want := range []string{
		"## Remediation", "### Terraform\n\n```hcl\nresource \"aws_instance\" \"app\" {",
		"### CloudFormation\n\n```yaml\nAppInstance:",
		"[T1552.005 Cloud Instance Metadata API](https://attack.mitre.org/techniques/T1552/005/) — Credential Access",
		"Information Disclosure (violates confidentiality)",
		"- <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html>",
	} {
		if !strings.Contains(ec2.Help["markdown"], want) {
			t.Errorf("help.markdown lacks %q", want)
		}
	}
	for _, want := range []string{"Remediation: Set the metadata options", "\nTerraform:\n    resource", "\n      metadata_options {", "STRIDE: Information Disclosure, Elevation of Privilege"} {
		if !strings.Contains(ec2.Help["text"], want) {
			t.Errorf("help.text lacks %q", want)
		}
	}
	if strings.Contains(ec2.Help["text"], "```") {
		t.Error("help.text has Markdown fences")
	}

	levels := map[string]string{}
	for _, r := range rs {
		levels[r.ID] = r.DefaultConfiguration["level"]
	}
	if want := map[string]string{"SDR-EC2-001": "error", "SDR-IAM-001": "error", "SDR-S3-001": "warning", "SDR-TRAIL-001": "note"}; !maps(levels, want) {
		t.Errorf("levels %v, want %v", levels, want)
	}

	iam := rs[1]
	if !strings.Contains(iam.Help["markdown"], "```json\n{") {
		t.Error("JSON CloudFormation example not fenced as json")
	}
	trail := rs[3]
	if got := trail.Properties["security-severity"]; got != "3.1" {
		t.Errorf("trail security-severity %v, want 3.1", got)
	}
	if tags := trail.Properties["tags"].([]any); len(tags) != maxTags || tags[0] != "security" || tags[9] != "attack/T1496" {
		t.Errorf("trail tags %v: want 10, security first, tactics trimmed", tags)
	}
	if len(trail.Properties["attack"].([]any)) != 3 || len(trail.Properties["stride"].([]any)) != 6 {
		t.Error("stride/attack properties trimmed with the tags")
	}
	full := trail.FullDescription["text"]
	kept, cut := strings.CutSuffix(full, "…")
	if rest, ok := strings.CutPrefix(trailRule.Rationale, kept); len(full) > maxDescription || !cut || !ok || !strings.HasPrefix(rest, " ") {
		t.Errorf("fullDescription not cut at a word within %d bytes: %d bytes, ends %q", maxDescription, len(full), full[len(full)-30:])
	}
	if !strings.Contains(trail.Help["markdown"], "````hcl\n") {
		t.Error("example containing ``` not fenced with four backticks")
	}
}

func maps(a, b map[string]string) bool {
	return cmp.Equal(a, b)
}

func TestSARIFResults(t *testing.T) {
	in := findingsInput()
	d, raw := decodeSARIF(t, in)
	run := d.Runs[0]
	if len(run.Results) != len(in.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(in.Findings))
	}
	for i, res := range run.Results {
		f := in.Findings[i]
		if res["ruleId"] != f.Rule.ID || res["message"].(map[string]any)["text"] != f.Message {
			t.Errorf("result %d: %v %v out of order", i, res["ruleId"], res["message"])
		}
		if got := get(res, "locations", 0, "logicalLocations", 0); !cmp.Equal(got, map[string]any{
			"fullyQualifiedName": f.Resource.Addr.String(), "name": f.Resource.Addr.Name, "kind": "resource",
		}) {
			t.Errorf("result %d logical location %v", i, got)
		}
		if got := get(res, "partialFingerprints", fingerprintKey); got != fingerprint(f) {
			t.Errorf("result %d fingerprint %v", i, got)
		}
		if get(res, "locations", 0, "physicalLocation", "artifactLocation", "uriBaseId") != "%SRCROOT%" {
			t.Errorf("result %d without uriBaseId", i)
		}
	}
	byRule := func(id, addr string) map[string]any {
		for _, res := range run.Results {
			if res["ruleId"] == id && get(res, "locations", 0, "logicalLocations", 0, "fullyQualifiedName") == addr {
				return res
			}
		}
		t.Fatalf("no result for %s on %s", id, addr)
		return nil
	}

	tpl := byRule("SDR-EC2-001", `module.web.aws_launch_template.web["blue"]`)
	if got := get(tpl, "locations", 0, "physicalLocation"); !cmp.Equal(got, map[string]any{
		"artifactLocation": map[string]any{"uri": "infra/modules/web%20app/main.tf", "uriBaseId": "%SRCROOT%"},
		"region":           map[string]any{"startLine": 5.0, "startColumn": 5.0, "endLine": 5.0, "endColumn": 31.0},
	}) {
		t.Errorf("launch template location %v", got)
	}
	if tpl["ruleIndex"] != 0.0 {
		t.Errorf("ruleIndex %v, want 0 (present even when zero)", tpl["ruleIndex"])
	}

	app := byRule("SDR-EC2-001", "aws_instance.app")
	rel, _ := app["relatedLocations"].([]any)
	if len(rel) != 2 {
		t.Fatalf("%d related locations, want the 2 with a file", len(rel))
	}
	if get(rel[0], "id") != 1.0 || get(rel[1], "id") != 2.0 ||
		get(rel[0], "message", "text") != "the launch template leaves http_tokens optional" ||
		get(rel[1], "message", "text") != "aws_instance.app" ||
		get(rel[1], "physicalLocation", "region", "startLine") != 12.0 {
		t.Errorf("related locations %v", rel)
	}

	bucket := byRule("SDR-S3-001", "aws_s3_bucket.logs")
	if got := get(bucket, "locations", 0, "physicalLocation", "region", "startLine"); got != 40.0 {
		t.Errorf("range-less finding at line %v, want the resource's 40", got)
	}
	if got := bucket["properties"]; !cmp.Equal(got, map[string]any{
		"resourceType": "aws_s3_bucket", "change": "create", "stride": []any{"Information Disclosure", "Tampering"},
	}) {
		t.Errorf("result properties %v", got)
	}
	if got := get(byRule("SDR-TRAIL-001", "aws_cloudtrail.main"), "locations", 0, "physicalLocation", "region"); !cmp.Equal(got, map[string]any{"startLine": 1.0}) {
		t.Errorf("line-only region %v", got)
	}

	if got := get(run.BaseIDs, "%SRCROOT%", "uri"); got != "file:///home/ci/work%20tree/repo/" {
		t.Errorf("%%SRCROOT%% = %v", got)
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	var arts []any
	for _, a := range run.Artifacts {
		arts = append(arts, get(a, "location", "uri"))
	}
	if want := []any{"cfn/app.yaml", "infra/main.tf", "infra/modules/web%20app/main.tf", "infra/trail.tf", "infra/variables.tf", "plan.json"}; !cmp.Equal(arts, want) {
		t.Errorf("artifacts %v, want sorted and deduplicated %v", arts, want)
	}
	if strings.Contains(raw, `\u0026`) || !strings.Contains(raw, "ATT&CK") {
		t.Error("& is escaped")
	}
	if inv := run.Invocations[0]; !inv.ExecutionSuccessful || len(inv.Notifications) != 1 || inv.Notifications[0]["level"] != "warning" {
		t.Errorf("a warning diagnostic: invocation %+v", inv)
	}
}

func TestSARIFNotifications(t *testing.T) {
	t.Run("diagnostics", func(t *testing.T) {
		d, _ := decodeSARIF(t, diagnosticInput())
		inv := d.Runs[0].Invocations[0]
		if inv.ExecutionSuccessful {
			t.Error("executionSuccessful with an error diagnostic")
		}
		want := []map[string]any{
			{
				"level":   "error",
				"message": map[string]any{"text": `Invalid block definition: Either a quoted string block label or an opening brace ("{") is expected here.`},
				"locations": []any{map[string]any{"physicalLocation": map[string]any{
					"artifactLocation": map[string]any{"uri": "broken.tf", "uriBaseId": "%SRCROOT%"},
					"region":           map[string]any{"startLine": 3.0, "startColumn": 17.0, "endLine": 3.0, "endColumn": 18.0},
				}}},
			},
			{
				"level":   "error",
				"message": map[string]any{"text": "Unreadable template: other.yaml: permission denied"},
				"locations": []any{map[string]any{"physicalLocation": map[string]any{
					"artifactLocation": map[string]any{"uri": "other.yaml", "uriBaseId": "%SRCROOT%"},
				}}},
			},
			{"level": "warning", "message": map[string]any{"text": "No AWS provider configuration found"}},
		}
		if diff := cmp.Diff(want, inv.Notifications); diff != "" {
			t.Errorf("notifications (-want +got):\n%s", diff)
		}
		if len(d.Runs[0].Results) != 1 {
			t.Error("findings dropped because of diagnostics")
		}
	})
	t.Run("internal errors", func(t *testing.T) {
		d, _ := decodeSARIF(t, ruleErrorInput())
		inv := d.Runs[0].Invocations[0]
		if inv.ExecutionSuccessful || len(inv.Notifications) != 2 {
			t.Fatalf("invocation %+v", inv)
		}
		n := inv.Notifications[0]
		if n["level"] != "error" || !cmp.Equal(n["associatedRule"], map[string]any{"id": "SDR-IAM-001", "index": 1.0}) ||
			!strings.HasPrefix(get(n, "message", "text").(string), "rule SDR-IAM-001 (iam-policy-admin-wildcard): internal error") {
			t.Errorf("rule error notification %v", n)
		}
		if _, ok := inv.Notifications[1]["associatedRule"]; ok {
			t.Error("plain error has an associated rule")
		}
	})
}

func TestRegion(t *testing.T) {
	tests := []struct {
		name     string
		rg       graph.Range
		needLine bool
		want     string // JSON, "" for none
	}{
		{"full", rng("a", 3, 5, 4, 2), true, `{"startLine":3,"startColumn":5,"endLine":4,"endColumn":2}`},
		{"same line", rng("a", 3, 5, 3, 9), true, `{"startLine":3,"startColumn":5,"endLine":3,"endColumn":9}`},
		{"empty span", rng("a", 3, 5, 3, 5), true, `{"startLine":3,"startColumn":5,"endLine":3,"endColumn":5}`},
		{"line only", rng("a", 3, 0, 0, 0), true, `{"startLine":3}`},
		{"end line only", rng("a", 3, 0, 7, 0), true, `{"startLine":3,"endLine":7}`},
		{"end before start", rng("a", 7, 2, 3, 4), true, `{"startLine":7,"startColumn":2}`},
		{"end column before start column", rng("a", 3, 9, 3, 4), true, `{"startLine":3,"startColumn":9,"endLine":3}`},
		{"no start column, end column", rng("a", 3, 0, 3, 8), true, `{"startLine":3,"endLine":3,"endColumn":8}`},
		{"no line, finding", rng("a", 0, 0, 0, 0), true, `{"startLine":1}`},
		{"no line, diagnostic", rng("a", 0, 0, 0, 0), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := region(tt.rg, tt.needLine)
			got := ""
			if reg != nil {
				b, _ := json.Marshal(reg)
				got = string(b)
			}
			if got != tt.want {
				t.Errorf("region(%v) = %s, want %s", tt.rg, got, tt.want)
			}
		})
	}
}

func TestFileURI(t *testing.T) {
	tests := []struct{ file, want string }{
		{"main.tf", "main.tf"},
		{"modules/web app/main.tf", "modules/web%20app/main.tf"},
		{"100%.tf", "100%25.tf"},
		{"x#y?.tf", "x%23y%3F.tf"},
		{"ünï/ç.tf", "%C3%BCn%C3%AF/%C3%A7.tf"},
		{"a:b.tf", "./a:b.tf"}, // not a scheme
		{"dir/a:b.tf", "dir/a:b.tf"},
	}
	for _, tt := range tests {
		if got := fileURI(tt.file); got != tt.want {
			t.Errorf("fileURI(%q) = %q, want %q", tt.file, got, tt.want)
		}
	}
}

func TestSrcRootURI(t *testing.T) {
	tests := []struct{ root, want string }{
		{"/work/repo", "file:///work/repo/"},
		{"/work/repo/", "file:///work/repo/"},
		{"/home/ci/work tree", "file:///home/ci/work%20tree/"},
		{"/", "file:///"},
	}
	for _, tt := range tests {
		got, err := srcRootURI(tt.root)
		if err != nil || got != tt.want {
			t.Errorf("srcRootURI(%q) = %q, %v, want %q", tt.root, got, err, tt.want)
		}
	}
}

func TestTruncateWords(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"short enough", 20, "short enough"},
		{"exactly twenty bytes", 20, "exactly twenty bytes"},
		{"one two three four five", 16, "one two three…"},
		{"one two, three four", 12, "one two…"},
		{"héllo wörld ünïcode", 17, "héllo wörld…"},
		{"unbreakableword", 10, "unbreak…"},
	}
	for _, tt := range tests {
		got := truncateWords(tt.s, tt.max)
		if got != tt.want || len(got) > tt.max || !utf8.ValidString(got) {
			t.Errorf("truncateWords(%q, %d) = %q (%d bytes), want %q", tt.s, tt.max, got, len(got), tt.want)
		}
	}
}

func TestSecuritySeverity(t *testing.T) {
	tests := []struct {
		rule rules.Rule
		want string
	}{
		{rules.Rule{Severity: rules.Critical}, "9.5"},
		{rules.Rule{Severity: rules.High}, "8.0"},
		{rules.Rule{Severity: rules.Medium}, "5.5"},
		{rules.Rule{Severity: rules.Low}, "3.0"},
		{rules.Rule{Severity: rules.Low, SecuritySeverity: 10}, "10.0"},
		{rules.Rule{Severity: rules.Low, SecuritySeverity: 3.14159}, "3.1"},
	}
	for _, tt := range tests {
		if got := securitySeverity(&tt.rule); got != tt.want {
			t.Errorf("securitySeverity(%v, %v) = %q, want %q", tt.rule.Severity, tt.rule.SecuritySeverity, got, tt.want)
		}
	}
}

func TestCodeFence(t *testing.T) {
	tests := []struct{ code, want string }{
		{"plain", "```"},
		{"a `b` c", "```"},
		{"x ``` y", "````"},
		{"`````", "``````"},
	}
	for _, tt := range tests {
		if got := CodeFence(tt.code); got != tt.want {
			t.Errorf("CodeFence(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestFindingRange(t *testing.T) {
	res := &graph.Resource{Range: rng("main.tf", 10, 1, 20, 2)}
	tests := []struct {
		name string
		rg   graph.Range
		want graph.Range
	}{
		{"own range", rng("main.tf", 12, 3, 12, 9), rng("main.tf", 12, 3, 12, 9)},
		{"zero", graph.Range{}, res.Range},
		{"file without line", graph.Range{Filename: "main.tf"}, res.Range},
		{"line without file", rng("", 12, 3, 12, 9), res.Range},
		{"other file without line", graph.Range{Filename: "vars.tf"}, graph.Range{Filename: "vars.tf"}},
	}
	for _, tt := range tests {
		if got := findingRange(rules.Finding{Resource: res, Range: tt.rg}); got != tt.want {
			t.Errorf("%s: findingRange = %v, want %v", tt.name, got, tt.want)
		}
	}
}
