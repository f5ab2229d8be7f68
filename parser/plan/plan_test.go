package plan

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestGolden parses each fixture and compares a rendering of the
// resources — addresses, actions, attribute states, references, ranges,
// facets — then of the graph built from them, with a golden file.
func TestGolden(t *testing.T) {
	for _, name := range []string{"plan.json", "noconfig.json", "future.json"} {
		t.Run(name, func(t *testing.T) {
			src := readFixture(t, name)
			if !Detect(src) {
				t.Fatalf("Detect(%s) = false", name)
			}
			rs, diags := Parse(src, name)
			got := render(rs, diags)
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".json")+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := gocmp.Diff(string(want), got); diff != "" {
				t.Errorf("rendering differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// probes are the attribute paths the rendering shows for every resource
// that has them, with their state as tfschema reads it.
var probes = []string{
	"metadata_options.0",
	"metadata_options.0.http_tokens",
	"metadata_options.0.http_endpoint",
	"metadata_options.0.http_put_response_hop_limit",
	"launch_template.0",
	"launch_template.0.id",
	"launch_template.0.name",
	"launch_template.0.version",
	"name",
	"subnet_id",
	"vpc_security_group_ids",
	"statement.0.resources.0",
	"tags.Owner",
}

func render(rs []*graph.Resource, diags graph.Diagnostics) string {
	var b strings.Builder
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(x, y *graph.Resource) int { return cmp.Compare(x.Addr.Key(), y.Addr.Key()) })
	b.WriteString("== resources\n")
	for _, r := range rs {
		a := r.Addr
		fmt.Fprintf(&b, "%s change=%s at=%s-%d:%d\n", a.Key(), r.Change, r.Range, r.Range.End.Line, r.Range.End.Column)
		fmt.Fprintf(&b, "  module=%q mode=%d type=%s name=%s key=%q\n", a.Module, a.Mode, a.Type, a.Name, a.InstanceKey)
		var known, unknown []string
		for k, v := range r.Attrs.Map() {
			switch {
			case !v.IsWhollyKnown():
				unknown = append(unknown, k)
			case !v.IsNull():
				known = append(known, k)
			}
		}
		slices.Sort(known)
		slices.Sort(unknown)
		fmt.Fprintf(&b, "  known: %s\n", strings.Join(known, " "))
		fmt.Fprintf(&b, "  unknown: %s\n", strings.Join(unknown, " "))
		for _, p := range probes {
			v := r.Attr(p)
			if v == cty.NilVal && (r.Facets.IMDS() == nil || !strings.HasPrefix(p, "metadata_options")) {
				continue
			}
			fmt.Fprintf(&b, "  %s = %s @%s\n", p, probeState(r, p, v), short(r.AttrRange(p)))
		}
		for _, ref := range r.Refs {
			fmt.Fprintf(&b, "  ref %s -> %s @%s\n", ref.Attr, ref.Target, short(ref.Range))
		}
		if m := r.Facets.IMDS(); m != nil {
			fmt.Fprintf(&b, "  facet imds tokens=%s endpoint=%s hop=%s block=%v@%s",
				state(m.Tokens), state(m.Endpoint), state(m.HopLimit), m.BlockSet, short(m.Block))
			if l := m.LaunchTemplate; l != nil {
				fmt.Fprintf(&b, " template=(ref=%v name=%s @%s)", l.Ref != nil, state(l.Name), short(l.Range))
			}
			if m.TemplateName.State != graph.Absent {
				fmt.Fprintf(&b, " template-name=%s", state(m.TemplateName))
			}
			b.WriteByte('\n')
		}
	}
	g, gdiags := graph.Build(rs)
	b.WriteString("== graph\n")
	b.WriteString(g.Dump())
	b.WriteString("== diagnostics\n")
	for _, d := range append(slices.Clone(diags), gdiags...) {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func probeState(r *graph.Resource, p string, v cty.Value) string {
	switch {
	case v == cty.NilVal:
		return "(absent)"
	case !v.IsWhollyKnown():
		return "(unknown)"
	case v.Type().IsPrimitiveType():
		return state(r.StringAttr(p))
	case v.Type().IsObjectType():
		return "{...}"
	}
	return fmt.Sprintf("[%d]", v.LengthInt())
}

func state[T comparable](v graph.Value[T]) string {
	if v.State == graph.Set {
		return fmt.Sprintf("%q", fmt.Sprint(v.V))
	}
	return "(" + v.State.String() + ")"
}

// short renders a range as line:col, or "resource" for a range that has
// no place (AttrRange of a resource without one).
func short(r graph.Range) string {
	if r.Start.Line == 0 {
		return "-"
	}
	return fmt.Sprintf("%d:%d", r.Start.Line, r.Start.Column)
}

// TestRangesPointAtSource checks every range against the source text,
// independently of the golden file: a resource starts at its "address"
// member, an attribute at its key (or its array element), and an
// unknown attribute at the nearest ancestor that is in the file.
func TestRangesPointAtSource(t *testing.T) {
	src := readFixture(t, "plan.json")
	lines := strings.Split(string(src), "\n")
	at := func(p graph.Pos) string {
		if p.Line < 1 || int(p.Line) > len(lines) {
			t.Fatalf("line %d out of range", p.Line)
		}
		l := lines[p.Line-1]
		i := byteIndex(l, int(p.Column)-1)
		return l[i:]
	}
	rs, diags := Parse(src, "plan.json")
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	for _, r := range rs {
		q, _ := json.Marshal(r.Addr.String())
		if got, want := at(r.Range.Start), `"address": `+string(q); got != want+"," {
			t.Errorf("%s: range starts at %q, want the address member %s", r.Addr, got, want)
		}
		// The range ends just after the closing brace of the object.
		end := lines[r.Range.End.Line-1][:byteIndex(lines[r.Range.End.Line-1], int(r.Range.End.Column)-1)]
		if r.Range.End.Line <= r.Range.Start.Line || strings.TrimSpace(end) != "}" {
			t.Errorf("%s: range ends at %d:%d after %q, want the end of the resource object", r.Addr, r.Range.End.Line, r.Range.End.Column, end)
		}
		for p, rg := range r.AttrRanges.All() {
			step := p[strings.LastIndexByte(p, '.')+1:]
			text := at(rg.Start)
			if !strings.HasPrefix(text, `"`+step+`": `) && !isIndex(step) {
				t.Errorf("%s: %s starts at %d:%d %q, want its key", r.Addr, p, rg.Start.Line, rg.Start.Column, text)
			}
			if isIndex(step) && strings.TrimSpace(lines[rg.Start.Line-1]) != strings.TrimSuffix(strings.TrimSpace(text), ",") {
				t.Errorf("%s: %s starts at %d:%d %q, want an array element", r.Addr, p, rg.Start.Line, rg.Start.Column, text)
			}
		}
	}
}

func isIndex(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// byteIndex is the byte offset of the n-th character of s.
func byteIndex(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// TestMinified reads the plan as Terraform writes it — one line — and
// expects the same resources, with columns in characters (the fixture has
// a non-ASCII tag before most resources) on line 1.
func TestMinified(t *testing.T) {
	pretty := readFixture(t, "plan.json")
	var buf bytes.Buffer
	if err := json.Compact(&buf, pretty); err != nil {
		t.Fatal(err)
	}
	src := buf.Bytes()
	want, _ := Parse(pretty, "plan.json")
	got, diags := Parse(src, "plan.json")
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d resources, want %d", len(got), len(want))
	}
	for i, r := range got {
		w := want[i]
		if r.Addr != w.Addr || r.Change != w.Change || !r.Attrs.Object().RawEquals(w.Attrs.Object()) || len(r.Refs) != len(w.Refs) ||
			r.AttrRanges.Len() != w.AttrRanges.Len() {
			t.Errorf("%s: differs from the pretty-printed plan", r.Addr)
		}
		q, _ := json.Marshal(r.Addr.String())
		off := bytes.Index(src, []byte(`"address":`+string(q)))
		wantPos := graph.PosAt(1, utf8.RuneCount(src[:off])+1)
		if r.Range.Start != wantPos {
			t.Errorf("%s: starts at %+v, want %+v", r.Addr, r.Range.Start, wantPos)
		}
		if r.Range.End.Line != 1 || r.Range.End.Column <= r.Range.Start.Column {
			t.Errorf("%s: ends at %+v", r.Addr, r.Range.End)
		}
	}
}

// TestFacts asserts the behaviours the golden file shows, so that a
// careless -update cannot silently accept a regression in them.
func TestFacts(t *testing.T) {
	parse := func(name string) map[string]*graph.Resource {
		rs, _ := Parse(readFixture(t, name), name)
		m := map[string]*graph.Resource{}
		for _, r := range rs {
			m[r.Addr.String()] = r
		}
		return m
	}
	full, noconfig, future := parse("plan.json"), parse("noconfig.json"), parse("future.json")
	wantAddrs := []string{
		"aws_instance.from_lt", "aws_instance.legacy", "aws_instance.old_bastion", "aws_launch_template.lt",
		"aws_s3_bucket.logs", `aws_subnet.this["a"]`, `aws_subnet.this["b.c"]`, "aws_vpc.main",
		"data.aws_ami.al2023", "data.aws_iam_policy_document.logs",
		"module.app.aws_instance.web[0]", "module.app.aws_instance.web[1]", "module.app.aws_security_group.web",
		`module.edge["blue"].aws_instance.proxy`, `module.edge["blue"].aws_launch_template.proxy`,
		`module.edge["green"].aws_instance.proxy`, `module.edge["green"].aws_launch_template.proxy`,
	}
	var gotAddrs []string
	for a := range full {
		gotAddrs = append(gotAddrs, a)
	}
	slices.Sort(gotAddrs)
	if diff := gocmp.Diff(wantAddrs, gotAddrs); diff != "" {
		t.Fatalf("addresses (-want +got):\n%s", diff)
	}

	tests := []struct {
		res      map[string]*graph.Resource
		addr     string
		change   graph.Action
		path     string
		state    graph.State
		value    string
		blockSet bool
	}{
		// No metadata_options written: provider default, not unknown.
		{full, "module.app.aws_instance.web[1]", graph.Create, "metadata_options.0.http_tokens", graph.Absent, "", false},
		// ... unless the plan has no configuration to tell.
		{noconfig, "aws_instance.from_lt", graph.Create, "metadata_options.0.http_tokens", graph.Unknown, "", true},
		{full, "aws_instance.legacy", graph.Create, "metadata_options.0.http_tokens", graph.Set, "optional", true},
		{full, "aws_instance.legacy", graph.Create, "metadata_options.0.http_endpoint", graph.Absent, "", true},
		{noconfig, "aws_instance.legacy", graph.Create, "metadata_options.0.http_endpoint", graph.Unknown, "", true},
		{full, "aws_launch_template.lt", graph.Create, "metadata_options.0.http_tokens", graph.Set, "required", true},
		{full, "aws_launch_template.lt", graph.Create, "metadata_options.0.http_put_response_hop_limit", graph.Set, "1", true},
		// A reference unknown until apply stays unknown.
		{full, "aws_instance.from_lt", graph.Create, "launch_template.0.id", graph.Unknown, "", false},
		{full, "aws_instance.from_lt", graph.Create, "launch_template.0.version", graph.Set, "$Latest", false},
		{full, "aws_instance.old_bastion", graph.Delete, "metadata_options.0.http_tokens", graph.Set, "optional", true},
		{full, `aws_subnet.this["b.c"]`, graph.Replace, "cidr_block", graph.Set, "10.0.3.0/24", false},
		{full, `aws_subnet.this["a"]`, graph.NoOp, "cidr_block", graph.Set, "10.0.1.0/24", false},
		{full, "aws_vpc.main", graph.Update, "tags.env", graph.Set, "prod", false},
		{full, "data.aws_iam_policy_document.logs", graph.Read, "statement.0.resources.0", graph.Unknown, "", false},
		// Read during planning: in planned_values only.
		{full, "data.aws_ami.al2023", graph.NoOp, "image_id", graph.Set, "ami-0123456789abcdef0", false},
		{future, "aws_instance.legacy", graph.Create, "metadata_options.0.http_endpoint", graph.Absent, "", true},
	}
	for _, tt := range tests {
		r := tt.res[tt.addr]
		if r == nil {
			t.Errorf("%s: missing", tt.addr)
			continue
		}
		if r.Change != tt.change {
			t.Errorf("%s: change %q, want %q", tt.addr, r.Change, tt.change)
		}
		v := r.StringAttr(tt.path)
		if v.State != tt.state || v.V != tt.value {
			t.Errorf("%s %s: %s %q, want %s %q", tt.addr, tt.path, v.State, v.V, tt.state, tt.value)
		}
		if m := r.Facets.IMDS(); m != nil && m.BlockSet != tt.blockSet {
			t.Errorf("%s: BlockSet %v, want %v", tt.addr, m.BlockSet, tt.blockSet)
		}
	}

	// Refs from the configuration, per instance of module and resource.
	for _, addr := range []string{`module.edge["blue"].aws_instance.proxy`, `module.edge["green"].aws_instance.proxy`} {
		l := full[addr].Facets.IMDS().LaunchTemplate
		if l == nil || l.Ref == nil || l.Ref.Target != "aws_launch_template.proxy" || l.Ref.Attr != "launch_template.0.id" {
			t.Errorf("%s: launch template link %+v", addr, l)
		}
	}
	if got := full["module.app.aws_instance.web[0]"].Refs; len(got) != 1 || got[0].Target != "aws_security_group.web" || got[0].Attr != "vpc_security_group_ids" {
		t.Errorf("web[0] refs: %+v", got)
	}
	if got := full["data.aws_iam_policy_document.logs"].Refs; len(got) != 1 || got[0].Attr != "statement.0.resources" {
		t.Errorf("policy document refs: %+v", got)
	}
	if got := noconfig["aws_instance.from_lt"].Refs; len(got) != 0 {
		t.Errorf("refs without configuration: %+v", got)
	}

	// After Build, the IMDS verdicts the rules will see.
	var all []*graph.Resource
	for _, r := range full {
		all = append(all, r)
	}
	graph.Build(all)
	for addr, want := range map[string]graph.IMDSStatus{
		"module.app.aws_instance.web[0]":         graph.IMDSv1Reachable,
		"aws_instance.legacy":                    graph.IMDSv1Reachable,
		"aws_instance.from_lt":                   graph.IMDSInherited,
		"aws_launch_template.lt":                 graph.IMDSv2Only,
		`module.edge["blue"].aws_instance.proxy`: graph.IMDSInherited,
	} {
		if got := full[addr].Facets.IMDS().Effective.Status; got != want {
			t.Errorf("%s: IMDS %s, want %s", addr, got, want)
		}
	}
	if via := full[`module.edge["green"].aws_instance.proxy`].Facets.IMDS().Effective.Via; via == nil ||
		via.Addr.String() != `module.edge["green"].aws_launch_template.proxy` {
		t.Errorf("green proxy inherits from %v, want the template of its own module instance", via)
	}
}

func TestDetect(t *testing.T) {
	plan := readFixture(t, "plan.json")
	tests := []struct {
		name string
		src  string
		want bool
	}{
		{"plan", string(plan), true},
		{"truncated plan", string(plan[:len(plan)/2]), true},
		{"minimal planned_values", `{"format_version":"1.2","planned_values":{}}`, true},
		{"minimal resource_changes", `{"resource_changes":[],"format_version":"1.0"}`, true},
		{"utf-8 bom", "\uFEFF" + `{"format_version":"1.2","planned_values":{}}`, true},
		{"utf-16le bom", utf16le(`{"format_version":"1.2","planned_values":{}}`), true},
		{"state", `{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}`, false},
		{"raw state file", `{"version":4,"terraform_version":"1.9.5","serial":1,"resources":[]}`, false},
		{"cloudformation", `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"I":{"Type":"AWS::EC2::Instance"}}}`, false},
		{"nested keys only", `{"x":{"format_version":"1.2","planned_values":{}}}`, false},
		{"no format_version", `{"planned_values":{},"resource_changes":[]}`, false},
		{"array", `[{"format_version":"1.2","planned_values":{}}]`, false},
		{"empty", ``, false},
		{"garbage", `format_version planned_values`, false},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.src)); got != tt.want {
			t.Errorf("Detect(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func utf16le(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func TestEncodings(t *testing.T) {
	src := readFixture(t, "noconfig.json")
	want, _ := Parse(src, "p.json")
	for name, in := range map[string][]byte{
		"utf-8 bom": append([]byte("\uFEFF"), src...),
		"utf-16le":  []byte(utf16le(string(src))),
	} {
		got, diags := Parse(in, "p.json")
		if len(diags) != 0 || len(got) != len(want) {
			t.Errorf("%s: %d resources, diagnostics %v", name, len(got), diags)
			continue
		}
		for i := range got {
			if got[i].Addr != want[i].Addr || got[i].Range != want[i].Range || !got[i].Attrs.Object().RawEquals(want[i].Attrs.Object()) {
				t.Errorf("%s: %s differs", name, got[i].Addr)
			}
		}
	}
}

func TestDiagnostics(t *testing.T) {
	plan := string(readFixture(t, "plan.json"))
	tests := []struct {
		name      string
		src       string
		resources int
		want      []string // rendered diagnostics
	}{
		{
			name: "invalid JSON points at the line",
			src:  "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {\n    \"root_module\": {,}\n  }\n}\n",
			want: []string{`p.json:4:21: error: invalid JSON: invalid character ',' looking for beginning of object key string`},
		},
		{
			name: "truncated plan",
			src:  plan[:strings.Index(plan, `"aws_instance.legacy"`)],
			want: []string{`p.json:78:21: error: invalid JSON: unexpected end of JSON input`},
		},
		{
			name: "empty input",
			src:  "",
			want: []string{`p.json:1:1: error: invalid JSON: unexpected end of JSON input`},
		},
		{
			name: "not an object",
			src:  `["format_version"]`,
			want: []string{`p.json:1:1: error: not a Terraform plan: the document is not a JSON object`},
		},
		{
			name: "not a plan",
			src:  `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}`,
			want: []string{"p.json: error: not a Terraform plan: format_version is missing: " +
				"expected the output of `terraform show -json PLANFILE`; reading it anyway"},
		},
		{
			name:      "unsupported format_version is read anyway",
			src:       strings.Replace(plan, `"format_version": "1.2"`, `"format_version": "3.1"`, 1),
			resources: 17,
			want: []string{`p.json:2:3: warning: unsupported plan format_version "3.1": ` +
				`Strider reads plan format 1.x; it reads this plan as if it were 1.x, and may miss or misread parts of it`},
		},
		{
			name:      "a version that is not a version",
			src:       `{"format_version":"one","planned_values":{"root_module":{"resources":[{"address":"aws_vpc.a","values":{}}]}}}`,
			resources: 1,
			want: []string{`p.json:1:2: warning: unsupported plan format_version "one": ` +
				`Strider reads plan format 1.x; it reads this plan as if it were 1.x, and may miss or misread parts of it`},
		},
		{
			name: "a malformed section costs only itself",
			src: `{"format_version":"1.2",
"planned_values":{"root_module":{"resources":[{"address":"aws_vpc.a","mode":"managed","type":"aws_vpc","name":"a","values":{"cidr_block":"10.0.0.0/16"}}]}},
"resource_changes":[{"address":"aws_vpc.a","change":{"actions":["create"]}},{"address":"aws_vpc.b","change":{"actions":"delete"}}],
"configuration":{"root_module":{"resources":[{"address":"aws_vpc.a","schema_version":"x"}]}}}`,
			resources: 1,
			want: []string{
				`p.json:3:1: error: cannot read resource_changes: 1 of 2 entries skipped; the first: json: cannot unmarshal string into Go struct field Change.change.actions of type tfjson.Actions`,
				`p.json:4:1: error: cannot read configuration: json: cannot unmarshal string into Go struct field ConfigResource.root_module.resources.schema_version of type uint64; references are not resolved and computed values stay unknown`,
			},
		},
		{
			name:      "an address that does not parse falls back to the fields",
			src:       `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_vpc.a[","mode":"managed","type":"aws_vpc","name":"a","index":0,"values":{}},{"address":"??","values":{}}]}}}`,
			resources: 1,
			want: []string{
				`p.json: error: cannot read resource address "??": missing resource type at offset 0; the resource is skipped`,
				`p.json: warning: cannot read resource address "aws_vpc.a[": invalid instance key at offset 10; using its type, name and index instead`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, diags := Parse([]byte(tt.src), "p.json")
			if len(rs) != tt.resources {
				t.Errorf("got %d resources, want %d", len(rs), tt.resources)
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.String())
			}
			if diff := gocmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDeposed checks that the deposed half of a create-before-destroy
// replacement does not turn into a second resource at the same address.
func TestDeposed(t *testing.T) {
	src := `{"format_version":"1.2",
"planned_values":{"root_module":{"resources":[{"address":"aws_instance.a","mode":"managed","type":"aws_instance","name":"a","values":{"ami":"ami-2"}}]}},
"resource_changes":[
 {"address":"aws_instance.a","mode":"managed","type":"aws_instance","name":"a","deposed":"00000001","change":{"actions":["delete"],"before":{"ami":"ami-1"},"after":null}},
 {"address":"aws_instance.a","mode":"managed","type":"aws_instance","name":"a","change":{"actions":["create","delete"],"before":{"ami":"ami-1"},"after":{"ami":"ami-2"},"after_unknown":{"id":true}}}]}`
	rs, diags := Parse([]byte(src), "p.json")
	if len(diags) != 0 || len(rs) != 1 {
		t.Fatalf("got %d resources, diagnostics %v", len(rs), diags)
	}
	if rs[0].Change != graph.Replace || rs[0].Range.Start.Line != 2 {
		t.Errorf("got change %s at %s, want replace at line 2", rs[0].Change, rs[0].Range)
	}
	if v := rs[0].StringAttr("id"); v.State != graph.Unknown {
		t.Errorf("id is %s, want unknown (no configuration section)", v.State)
	}
}

// TestNumbers checks that numbers reach cty exactly, through
// terraform-json and through the lenient decode alike.
func TestNumbers(t *testing.T) {
	for _, version := range []string{"1.2", "2.0"} {
		src := `{"format_version":"` + version + `","planned_values":{"root_module":{"resources":[` +
			`{"address":"aws_vpc.a","values":{"big":123456789012345678901234567890,"dec":0.1,"exp":1e400}}]}}}`
		rs, _ := Parse([]byte(src), "p.json")
		if len(rs) != 1 {
			t.Fatalf("format %s: %d resources", version, len(rs))
		}
		for path, want := range map[string]string{"big": "123456789012345678901234567890", "dec": "0.1", "exp": "1e+400"} {
			v := rs[0].Attr(path)
			if v == cty.NilVal || v.Type() != cty.Number || v.AsBigFloat().Text('g', 30) != want {
				t.Errorf("format %s: %s = %#v, want %s", version, path, v, want)
			}
		}
	}
}

func TestVariables(t *testing.T) {
	got := Variables([]byte(`{"format_version": "1.2", "variables": {
  "name": {"value": "web"}, "count": {"value": 3}, "tags": {"value": {"env": "prod"}},
  "zones": {"value": ["a", "b"]}, "unset": {"value": null}}}`))
	want := map[string]string{"name": "web", "count": "3", "tags": `{"env": "prod"}`, "zones": `["a", "b"]`}
	if !maps.Equal(want, got) {
		t.Errorf("variables = %v, want %v", got, want)
	}
	if v := Variables([]byte(`not json`)); v != nil {
		t.Errorf("broken plan: %v", v)
	}
}
