package cloudformation

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// fixtures lists the templates under testdata that have a golden file.
// alias_bomb.yaml is left out: its point is that reading it stops, which
// TestAliasBomb checks, and its partial value is not worth a golden file.
func fixtures(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"testdata/*.yaml", "testdata/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	out = slices.DeleteFunc(out, func(s string) bool { return strings.HasSuffix(s, "alias_bomb.yaml") })
	slices.Sort(out)
	if len(out) < 15 {
		t.Fatalf("found only %d fixtures", len(out))
	}
	return out
}

// TestGolden parses every fixture and compares a compact rendering of
// the resources, facets, references, attributes, ranges and diagnostics
// with testdata/<fixture>.golden.
func TestGolden(t *testing.T) {
	for _, path := range fixtures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.ToSlash(path)
			rs, ds := Parse(src, name)
			checkInvariants(t, name, rs, ds)
			got := render(rs, ds)
			golden := path + ".golden"
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
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", golden, d)
			}
		})
	}
}

// checkInvariants holds for every template, valid or not.
func checkInvariants(t *testing.T, name string, rs []*graph.Resource, ds graph.Diagnostics) {
	t.Helper()
	for _, d := range ds {
		if d.Summary == internalError {
			t.Fatalf("Parse recovered from a panic: %s", d.Detail)
		}
		if d.Range.Filename != name {
			t.Errorf("diagnostic %q has filename %q, want %q", d.Summary, d.Range.Filename, name)
		}
	}
	for _, r := range rs {
		if r.Addr.Stack != name || r.Addr.Kind != graph.CloudFormationAddr || r.Format != graph.CloudFormation {
			t.Errorf("%s: bad address or format: %+v %v", r.Addr.Name, r.Addr, r.Format)
		}
		if r.Range.Filename != name || r.Range.Start.Line == 0 {
			t.Errorf("%s: bad range %v", r.Addr.Name, r.Range)
		}
		for p, rg := range r.AttrRanges.All() {
			if rg.Filename != name || rg.Start.Line == 0 {
				t.Errorf("%s: range of %s is %v", r.Addr.Name, p, rg)
			}
		}
		for _, ref := range r.Refs {
			if ref.Range.Filename != name || ref.Range.Start.Line == 0 {
				t.Errorf("%s: range of ref to %s is %v", r.Addr.Name, ref.Target, ref.Range)
			}
		}
	}
}

// render is the golden text: one resource a block, then the diagnostics.
func render(rs []*graph.Resource, ds graph.Diagnostics) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%s %s at %s\n", r.Addr.Key(), r.Addr.Type, pos(r.Range))
		if m := r.Facets.IMDS(); m != nil {
			fmt.Fprintf(&b, "  imds %s=%s endpoint=%s hop-limit=%s block-set=%v block=%s template-name=%s\n",
				m.TokensName, value(m.Tokens), value(m.Endpoint), value(m.HopLimit),
				m.BlockSet, pos(m.Block), value(m.TemplateName))
			if l := m.LaunchTemplate; l != nil {
				ref := "none"
				if l.Ref != nil {
					ref = fmt.Sprintf("%s(%s)@%s", l.Ref.Target, l.Ref.Attr, pos(l.Ref.Range))
				}
				fmt.Fprintf(&b, "  launch-template ref=%s name=%s at %s\n", ref, value(l.Name), pos(l.Range))
			}
		}
		for _, ref := range r.Refs {
			fmt.Fprintf(&b, "  ref %s attr=%s at %s\n", ref.Target, ref.Attr, pos(ref.Range))
		}
		fmt.Fprintf(&b, "  attrs %s\n", renderValue(r.Attrs.Object()))
		for p, rg := range r.AttrRanges.All() {
			fmt.Fprintf(&b, "  range %s %s\n", p, pos(rg))
		}
	}
	for _, d := range ds {
		fmt.Fprintf(&b, "%s\n", d)
	}
	return b.String()
}

// pos renders a range without its file name, which checkInvariants checks.
func pos(r graph.Range) string {
	s := fmt.Sprintf("%d:%d", r.Start.Line, r.Start.Column)
	if r.End.Line == r.Start.Line && r.End.Column > r.Start.Column {
		s += fmt.Sprintf("-%d", r.End.Column)
	}
	return s
}

func value[T comparable](v graph.Value[T]) string {
	switch v.State {
	case graph.Set:
		return fmt.Sprintf("%v@%s", v.V, pos(v.Range))
	case graph.Unknown:
		return "(unknown)@" + pos(v.Range)
	}
	return "(absent)"
}

// renderValue prints a cty value compactly and deterministically: "?" for
// unknown.
func renderValue(v cty.Value) string {
	switch {
	case v == cty.NilVal:
		return "<nil>"
	case !v.IsKnown():
		return "?"
	case v.IsNull():
		return "null"
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return strconv.Quote(v.AsString())
	case ty == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case ty == cty.Bool:
		return strconv.FormatBool(v.True())
	case ty.IsObjectType():
		names := make([]string, 0, len(ty.AttributeTypes()))
		for n := range ty.AttributeTypes() {
			names = append(names, n)
		}
		slices.Sort(names)
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = n + ": " + renderValue(v.GetAttr(n))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case ty.IsTupleType() || ty.IsListType():
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			parts = append(parts, renderValue(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return v.GoString()
}

// TestIMDSVerdicts runs the fixtures through graph.Build: the facets must
// be what the IMDS pass needs to reach the right verdict, including links
// from instances to launch templates.
func TestIMDSVerdicts(t *testing.T) {
	tests := []struct {
		fixture string
		want    map[string]string // logical ID -> effective status
	}{
		{"lt_required.yaml", map[string]string{"AppLaunchTemplate": "v2-only"}},
		{"lt_optional.yaml", map[string]string{"LegacyLaunchTemplate": "v1-reachable"}},
		{"lt_no_metadata.yaml", map[string]string{"BareLaunchTemplate": "v1-reachable"}},
		{"instance_lt.yaml", map[string]string{
			"AppLaunchTemplate": "v2-only",
			"ShortRef":          "inherited",
			"LongRef":           "inherited",
			"ByGetAttName":      "inherited",
			"ByLiteralName":     "inherited",
			"External":          "undetermined",
		}},
		{"instance_no_lt.yaml", map[string]string{"Web": "v1-reachable"}},
		{"launch_configuration.yaml", map[string]string{
			"RequiredLC": "v2-only", "DisabledLC": "off", "DefaultLC": "v1-reachable",
		}},
		{"parameters.yaml", map[string]string{
			"FromDefault": "v2-only", "FromParameterWithoutDefault": "undetermined",
		}},
		{"conditions.yaml", map[string]string{
			"ProdTemplate": "v2-only", "MaybeStrictTemplate": "undetermined", "EitherTemplate": "v2-only",
		}},
		{"sub.yaml", map[string]string{"SubTemplate": "v2-only", "Consumer": "inherited"}},
		{"template.json", map[string]string{"JsonLaunchTemplate": "v1-reachable", "JsonInstance": "inherited"}},
		{"aliases.yaml", map[string]string{"First": "v2-only", "Second": "v2-only", "Merged": "v1-reachable"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			path := "testdata/" + tt.fixture
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rs, _ := Parse(src, path)
			g, _ := graph.Build(rs)
			got := map[string]string{}
			for _, r := range g.Resources {
				if m := r.Facets.IMDS(); m != nil {
					got[r.Addr.Name] = m.Effective.Status.String()
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("verdicts (-want +got):\n%s", d)
			}
		})
	}
}

// TestInstanceLinkEdges checks that the links the parser records become
// launches-from edges to the right template.
func TestInstanceLinkEdges(t *testing.T) {
	const path = "testdata/instance_lt.yaml"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := Parse(src, path)
	g, _ := graph.Build(rs)
	var got []string
	for _, e := range g.Edges {
		if e.Kind == graph.LaunchesFrom {
			got = append(got, e.From.Addr.Name+"->"+e.To.Addr.Name+"@"+pos(e.Range))
		}
	}
	want := []string{
		"ByGetAttName->AppLaunchTemplate@25:7-21",
		"ByLiteralName->AppLaunchTemplate@31:7-21",
		"LongRef->AppLaunchTemplate@19:7-21",
		"ShortRef->AppLaunchTemplate@13:7-21",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("launches-from edges (-want +got):\n%s", d)
	}
}

// intrinsicPrelude gives the expressions of TestIntrinsics something to
// refer to. The property under test is V of resource R, at line 28.
const intrinsicPrelude = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Name: {Type: String, Default: web}
  Count: {Type: Number, Default: 3}
  Zones: {Type: CommaDelimitedList, Default: "a,b, c"}
  Ids: {Type: "List<AWS::EC2::Subnet::Id>", Default: [subnet-1, subnet-2]}
  Secret: {Type: String, NoEcho: true}
  Ami: {Type: "AWS::SSM::Parameter::Value<String>", Default: /path}
  Empty: {Type: CommaDelimitedList, Default: ""}
Mappings:
  Regions:
    eu: {Ami: ami-eu, Sizes: [small, large]}
Conditions:
  Yes: !Equals [!Ref Name, web]
  No: !Equals [!Ref Count, 4]
  Unsure: !Equals [!Ref Secret, x]
  NotNo: !Not [!Condition No]
  YesAndUnsure: !And [!Condition Yes, !Condition Unsure]
  NoAndUnsure: !And [!Condition No, !Condition Unsure]
  YesOrUnsure: !Or [!Condition Yes, !Condition Unsure]
  ListEq: !Equals [!Ref Zones, [a, b, c]]
Resources:
  Other:
    Type: AWS::S3::Bucket
  R:
    Type: AWS::S3::Bucket
    Properties:
      V: `

// TestIntrinsics evaluates one expression at a time.
func TestIntrinsics(t *testing.T) {
	tests := []struct {
		name, expr string
		want       string   // rendered value of V; "(removed)" when absent
		refs       []string // target(attr)
		warn       string   // substring of the only diagnostic, if any
	}{
		{"literal string", `hello`, `"hello"`, nil, ""},
		{"quoted number stays string", `"1"`, `"1"`, nil, ""},
		{"int", `42`, `42`, nil, ""},
		{"hex int", `0x1F`, `31`, nil, ""},
		{"float", `1.5`, `1.5`, nil, ""},
		{"bool", `true`, `true`, nil, ""},
		{"null", `null`, `null`, nil, ""},
		{"nan stays string", `.nan`, `".nan"`, nil, ""},
		{"ref param", `!Ref Name`, `"web"`, nil, ""},
		{"ref number param is string", `!Ref Count`, `"3"`, nil, ""},
		{"ref list param", `!Ref Zones`, `["a", "b", "c"]`, nil, ""},
		{"ref List<> param", `!Ref Ids`, `["subnet-1", "subnet-2"]`, nil, ""},
		{"ref param without default", `!Ref Secret`, `?`, nil, ""},
		{"ref ssm param", `!Ref Ami`, `?`, nil, ""},
		{"ref pseudo", `!Ref AWS::Region`, `?`, nil, ""},
		{"ref novalue", `!Ref AWS::NoValue`, `(removed)`, nil, ""},
		{"ref resource", `!Ref Other`, `?`, []string{"Other(V)"}, ""},
		{"ref undefined", `!Ref Nope`, `?`, nil, "Ref to undefined name Nope"},
		{"long ref", `{Ref: Name}`, `"web"`, nil, ""},
		{"ref with extra key is a plain map", `{Ref: Name, X: 1}`, `{Ref: "Name", X: 1}`, nil, ""},
		{"getatt dotted", `!GetAtt Other.Arn`, `?`, []string{"Other(V)"}, ""},
		{"getatt list", `!GetAtt [Other, !Ref Name]`, `?`, []string{"Other(V)"}, ""},
		{"getatt long", `{"Fn::GetAtt": [Other, Arn]}`, `?`, []string{"Other(V)"}, ""},
		{"getatt undefined", `!GetAtt Nope.Arn`, `?`, nil, "Fn::GetAtt of undefined resource Nope"},
		{"sub known", `!Sub "${Name}-${Count}"`, `"web-3"`, nil, ""},
		{"sub literal", `!Sub "${!Name}"`, `"${Name}"`, nil, ""},
		{"sub vars", `!Sub ["${A}/${Name}", {A: !Ref Count}]`, `"3/web"`, nil, ""},
		{"sub pseudo", `!Sub "${AWS::Region}-x"`, `?`, nil, ""},
		{"sub arn of the deploying account", `!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Name}"`, `"arn:aws:iam:::role/web"`, nil, ""},
		{"sub arn region and account", `!Sub "arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:x"`, `"arn:aws:logs:::log-group:x"`, nil, ""},
		{"sub account root", `!Sub "arn:aws:iam::${AWS::AccountId}:root"`, `"arn:aws:iam:::root"`, nil, ""},
		{"sub account outside the account field", `!Sub "arn:aws:s3:::logs-${AWS::AccountId}"`, `?`, nil, ""},
		{"sub account not in an arn", `!Sub "logs-${AWS::AccountId}"`, `?`, nil, ""},
		{"sub account with a resource", `!Sub "arn:aws:iam::${AWS::AccountId}:role/${Other}"`, `?`, []string{"Other(V)"}, ""},
		{"sub account given as a variable", `!Sub ["arn:aws:iam::${AWS::AccountId}:root", {"AWS::AccountId": "111122223333"}]`, `"arn:aws:iam::111122223333:root"`, nil, ""},
		{"sub resource", `!Sub "${Other}/${Other.Arn}"`, `?`, []string{"Other(V)"}, ""},
		{"sub undefined", `!Sub "${Nope}"`, `?`, nil, "Fn::Sub variable ${Nope} is undefined"},
		{"sub unterminated", `!Sub "a${b"`, `"a${b"`, nil, ""},
		{"join", `!Join [",", [a, !Ref Name, 1]]`, `"a,web,1"`, nil, ""},
		{"join list param", `!Join ["-", !Ref Zones]`, `"a-b-c"`, nil, ""},
		{"join unknown", `!Join ["", [a, !Ref Secret]]`, `?`, nil, ""},
		{"join bad args", `!Join [a]`, `?`, nil, "Fn::Join expects a list of 2 arguments"},
		{"join drops novalue", `!Join ["", [a, !Ref AWS::NoValue, b]]`, `"ab"`, nil, ""},
		{"select", `!Select [1, !Ref Zones]`, `"b"`, nil, ""},
		{"select string index", `!Select ["0", [x, y]]`, `"x"`, nil, ""},
		{"select out of range", `!Select [5, [x]]`, `?`, nil, "Fn::Select index 5 is not within the list"},
		{"select keeps unknown element", `!Select [0, [!Ref Secret, x]]`, `?`, nil, ""},
		{"select from getazs", `!Select [0, !GetAZs ""]`, `?`, nil, ""},
		{"split", `!Split [",", "a,b"]`, `["a", "b"]`, nil, ""},
		{"findinmap", `!FindInMap [Regions, eu, Ami]`, `"ami-eu"`, nil, ""},
		{"findinmap list", `!FindInMap [Regions, eu, Sizes]`, `["small", "large"]`, nil, ""},
		{"findinmap missing", `!FindInMap [Regions, us, Ami]`, `?`, nil, "Fn::FindInMap finds no Regions/us/Ami in Mappings"},
		{"findinmap default", `!FindInMap [Regions, us, Ami, {DefaultValue: ami-x}]`, `"ami-x"`, nil, ""},
		{"findinmap unknown key", `!FindInMap [Regions, !Ref AWS::Region, Ami]`, `?`, nil, ""},
		{"base64", `!Base64 hi`, `"aGk="`, nil, ""},
		{"if true", `!If [Yes, a, b]`, `"a"`, nil, ""},
		{"if false", `!If [No, a, b]`, `"b"`, nil, ""},
		{"if not", `!If [NotNo, a, b]`, `"a"`, nil, ""},
		{"if unknown keeps refs of both", `!If [Unsure, !Ref Other, !GetAtt Other.Arn]`, `?`, []string{"Other(V)"}, ""},
		{"if false skips refs", `!If [No, !Ref Other, b]`, `"b"`, nil, ""},
		{"if novalue", `!If [Yes, !Ref AWS::NoValue, b]`, `(removed)`, nil, ""},
		{"and with unknown", `!If [YesAndUnsure, a, b]`, `?`, nil, ""},
		{"and decided by false", `!If [NoAndUnsure, a, b]`, `"b"`, nil, ""},
		{"or decided by true", `!If [YesOrUnsure, a, b]`, `"a"`, nil, ""},
		{"equals lists", `!If [ListEq, a, b]`, `"a"`, nil, ""},
		{"if undefined condition", `!If [Nope, a, b]`, `?`, nil, "undefined condition Nope"},
		{"getazs", `!GetAZs ""`, `?`, nil, ""},
		{"importvalue keeps refs", `!ImportValue {"Fn::Sub": "${Other}-x"}`, `?`, []string{"Other(V)"}, ""},
		{"cidr", `!Cidr [10.0.0.0/16, 4, 8]`, `?`, nil, ""},
		{"unknown function", `{"Fn::Nope": x}`, `?`, nil, "unknown intrinsic function Fn::Nope"},
		{"unknown tag", `!Nope x`, `?`, nil, "unknown intrinsic function Fn::Nope"},
		{"condition outside conditions", `!Equals [a, a]`, `?`, nil, "Fn::Equals is only valid in conditions"},
		{"iam condition is a property", `{Condition: {Bool: {"aws:SecureTransport": "false"}}}`,
			`{Condition: {Bool: {aws:SecureTransport: "false"}}}`, nil, ""},
		{"merge sequence", "{<<: [{A: 1}, {A: 2, B: 2}], C: 3}", `{A: 1, B: 2, C: 3}`, nil, ""},
		{"explicit key beats merge", "{<<: {A: 1}, A: 0}", `{A: 0}`, nil, ""},
		{"empty list param", `!Join ["-", !Ref Empty]`, `""`, nil, ""},
		{"big integer stays exact", `123456789012345678901234567890`, `123456789012345678901234567890`, nil, ""},
		{"nested object with novalue", `{A: !Ref AWS::NoValue, B: [1, !Ref AWS::NoValue, 2]}`, `{B: [1, 2]}`, nil, ""},
		{"duplicate key is unknown", "{A: 1, A: 2}", `{A: ?}`, nil, "duplicate key A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := intrinsicPrelude + tt.expr + "\n"
			rs, ds := Parse([]byte(src), "t.yaml")
			checkInvariants(t, "t.yaml", rs, ds)
			r := find(rs, "R")
			if r == nil {
				t.Fatalf("no resource R; diagnostics: %v", ds)
			}
			got := "(removed)"
			if v, ok := r.Attrs.Get("V"); ok {
				got = renderValue(v)
			}
			if got != tt.want {
				t.Errorf("V = %s, want %s", got, tt.want)
			}
			var refs []string
			for _, ref := range r.Refs {
				refs = append(refs, ref.Target+"("+ref.Attr+")")
				if ref.Range.Start.Line != 28 {
					t.Errorf("ref range %v, want line 28", ref.Range)
				}
			}
			refs = slices.Compact(refs)
			if d := cmp.Diff(tt.refs, refs); d != "" {
				t.Errorf("refs (-want +got):\n%s", d)
			}
			switch {
			case tt.warn == "" && len(ds) > 0:
				t.Errorf("unexpected diagnostics: %v", ds)
			case tt.warn != "" && (len(ds) != 1 || !strings.Contains(ds[0].Summary, tt.warn)):
				t.Errorf("diagnostics %v, want one containing %q", ds, tt.warn)
			case tt.warn != "" && (ds[0].Severity != graph.Warning || ds[0].Range.Start.Line != 28):
				t.Errorf("diagnostic %v, want a warning at line 28", ds[0])
			}
		})
	}
}

func find(rs []*graph.Resource, name string) *graph.Resource {
	for _, r := range rs {
		if r.Addr.Name == name {
			return r
		}
	}
	return nil
}

// TestSyntaxErrors checks that a file that does not parse gives exactly
// one Error, at the line of the syntax error, and no resources.
func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
	}{
		// yaml.v3 names where an unclosed construct starts: the line to fix.
		{"unclosed flow sequence", "Resources:\n  A:\n    Type: [x\n    Other: y\n", 3},
		{"unterminated string", "Resources:\n  A:\n    Type: \"x\n", 3},
		// In block context the offending line is found below the start
		// of the mapping yaml.v3 names.
		{"bad indentation", "Resources:\n  A:\n    Type: x\n   B: y\n", 4},
		{"bad indentation far below", "Resources:\n  A:\n    Type: x\n    Properties:\n      P1: 1\n      P2: [1,\n        2]\n      P3: 3\n      P4: 4\n     P5: 5\n      P6: 6\n", 10},
		{"sequence then key", "a:\n  - b\n  c: d\ne: f\n", 3},
		{"mapping value on first line", "a: b: c\nd: e\n", 1},
		{"tab indentation", "a: 1\n\tb: 2\nc: 3\n", 2},
		// JSON syntax errors come from encoding/json, exactly.
		{"json missing comma", "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\"\n  \"Resources\": {}\n}\n", 3},
		{"json missing brace at end", "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::S3::Bucket\"}\n", 3},
		// yaml.v3 gives no position for bytes it rejects; they are found.
		{"invalid utf-8", "Resources:\n  A:\n    Type: \xff\n", 3},
		{"control character", "Resources:\n\n  A: \x01\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, ds := Parse([]byte(tt.src), "bad.yaml")
			if len(rs) != 0 {
				t.Errorf("got %d resources from a broken file", len(rs))
			}
			if len(ds) != 1 || ds[0].Severity != graph.Error {
				t.Fatalf("diagnostics %v, want one error", ds)
			}
			if int(ds[0].Range.Start.Line) != tt.line || ds[0].Range.Filename != "bad.yaml" {
				t.Errorf("error at %v (%s), want bad.yaml:%d", ds[0].Range, ds[0].Detail, tt.line)
			}
		})
	}
}

// TestStructureErrors covers templates that parse but are not templates.
func TestStructureErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // rendered diagnostics
	}{
		{"empty", "", []string{"t.yaml: error: empty CloudFormation template"}},
		{"comment only", "# nothing\n", []string{"t.yaml: error: empty CloudFormation template"}},
		{"scalar", "hello\n", []string{"t.yaml:1:1: error: CloudFormation template is not a mapping"}},
		{"no resources", "AWSTemplateFormatVersion: x\n", []string{"t.yaml:1:1: error: CloudFormation template has no Resources section"}},
		{"null resources", "Resources:\n", []string{"t.yaml:1:1: error: Resources is not a mapping"}},
		{"type not string", "Resources:\n  A:\n    Type: [x]\n", []string{"t.yaml:3:5: error: Type of resource A is not a string"}},
		{"self alias", "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: &p\n      Self: *p\n",
			[]string{"t.yaml:5:13: error: YAML alias *p refers to a node that contains it: its value is treated as unknown"}},
		{"self merge", "Resources:\n  A: &a\n    Type: AWS::S3::Bucket\n    <<: *a\n", nil},
		{"condition cycle", "Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Condition: A\n",
			[]string{"t.yaml:3:6: warning: condition A depends on itself: it is treated as unknown"}},
		{"false condition skips", "Conditions:\n  F: !Equals [a, b]\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Condition: F\n", nil},
		{"foreach", "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Topics:\n    - T\n    - [a]\n    - {}\n",
			[]string{
				"t.yaml:1:1: warning: template transforms are not expanded: AWS::LanguageExtensions: resources are read as written; those a transform or macro generates are not scanned",
				"t.yaml:3:3: warning: Fn::ForEach is not expanded: resources generated by Fn::ForEach::Topics (AWS::LanguageExtensions) are not scanned",
			}},
		{"transform list", "Transform: [AWS::Serverless-2016-10-31, AWS::LanguageExtensions]\nResources: {}\n",
			[]string{"t.yaml:1:1: warning: template transforms are not expanded: AWS::Serverless-2016-10-31, AWS::LanguageExtensions: resources are read as written; those a transform or macro generates are not scanned"}},
		{"sections not mappings", "Parameters: [a]\nMappings: x\nConditions:\nResources: {}\n",
			[]string{
				"t.yaml:1:1: warning: Parameters is not a mapping: it is ignored",
				"t.yaml:2:1: warning: Mappings is not a mapping: it is ignored",
			}},
		{"bad parameters", "Parameters:\n  NoType: {Default: x}\n  Obj: {Type: String, Default: {a: b}}\n  L: {Type: CommaDelimitedList, Default: {a: b}}\nResources: {}\n",
			[]string{
				"t.yaml:2:3: warning: parameter NoType has no Type: its value is treated as unknown",
				"t.yaml:3:32: warning: Default of parameter Obj is not a scalar: its value is treated as unknown",
				"t.yaml:4:42: warning: Default of parameter L is not a list: its value is treated as unknown",
			}},
		{"properties not a mapping", "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties: [a]\n",
			[]string{"t.yaml:4:5: warning: Properties of resource R is not a mapping: they are ignored"}},
		{"non-scalar key", "Resources:\n  ? [a]\n  : {Type: AWS::S3::Bucket}\n",
			[]string{"t.yaml:2:5: warning: mapping key is not a scalar: the entry is ignored"}},
		{"duplicate parameter and section", "Parameters:\n  P: {Type: String}\n  P: {Type: String}\nResources: {}\nResources: {}\n",
			[]string{
				"t.yaml:3:3: warning: duplicate parameter P: the first one is used",
				"t.yaml:5:1: warning: duplicate template section Resources: the first one is used",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, ds := Parse([]byte(tt.src), "t.yaml")
			checkInvariants(t, "t.yaml", rs, ds)
			var got []string
			for _, d := range ds {
				got = append(got, d.String())
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
}

// TestAliasBomb checks that a billion-laughs template stops at the node
// budget with an error, and still yields its resource.
func TestAliasBomb(t *testing.T) {
	src, err := os.ReadFile("testdata/alias_bomb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// No wall-clock bound: the node budget is what stops it, and the
	// diagnostic below proves the budget was hit.
	rs, ds := Parse(src, "bomb.yaml")
	checkInvariants(t, "bomb.yaml", rs, ds)
	if len(rs) != 1 || rs[0].Addr.Name != "Bomb" {
		t.Errorf("resources %v, want Bomb", rs)
	}
	if len(ds) != 1 || ds[0].Severity != graph.Error || ds[0].Summary != "template too large to evaluate" {
		t.Errorf("diagnostics %v, want one 'too large' error", ds)
	}
}

// TestStringBomb checks the byte budget: aliases multiplying a string
// through Fn::Join would otherwise build gigabytes.
func TestStringBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("Metadata:\n  s0: &s0 " + strings.Repeat("x", 4096) + "\n")
	for i := 1; i < 8; i++ {
		fmt.Fprintf(&b, "  s%d: &s%d !Join [\"\", [%s]]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*s%d, ", i-1), 16), ", "))
	}
	b.WriteString("Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      V: *s7\n")
	rs, ds := Parse([]byte(b.String()), "s.yaml")
	checkInvariants(t, "s.yaml", rs, ds)
	if len(ds) != 1 || ds[0].Summary != "template too large to evaluate" {
		t.Fatalf("diagnostics %v, want one 'too large' error", ds)
	}
	if r := find(rs, "R"); r == nil || r.Attr("V").IsKnown() {
		t.Errorf("V should be unknown")
	}
}

// TestConcurrentParse parses the fixtures in parallel: Parse keeps no
// shared mutable state (run with -race to make this test meaningful).
func TestConcurrentParse(t *testing.T) {
	var srcs [][]byte
	for _, path := range fixtures(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	want := make([]string, len(srcs))
	for i, src := range srcs {
		want[i] = render(Parse(src, "c.yaml"))
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, src := range srcs {
				if got := render(Parse(src, "c.yaml")); got != want[i] {
					t.Errorf("fixture %d: concurrent parse differs", i)
				}
			}
		})
	}
	wg.Wait()
}

// TestWorkBudget feeds templates whose aliases multiply the cost of each
// visit rather than the number of nodes: long scalars, long paths, long
// comparisons, long Fn::Sub templates. Each must stop at the byte budget.
func TestWorkBudget(t *testing.T) {
	fanout := func(prefix, leaf string, levels, width int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "  %s0: &%s0 %s\n", prefix, prefix, leaf)
		for i := 1; i <= levels; i++ {
			items := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*%s%d, ", prefix, i-1), width), ", ")
			fmt.Fprintf(&b, "  %s%d: &%s%d [%s]\n", prefix, i, prefix, i, items)
		}
		return b.String()
	}
	long := strings.Repeat("x", 1<<20)
	var deep strings.Builder
	key := strings.Repeat("k", 200)
	deep.WriteString("  d0: &d0 leaf\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&deep, "  d%d: &d%d {%s1: *d%d, %s2: *d%d}\n", i, i, key, i-1, key, i-1)
	}
	var eq strings.Builder
	eq.WriteString("  e0: &e0 !Equals [!Ref P, !Ref P]\n")
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&eq, "  e%d: &e%d !And [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*e%d, ", i-1), 10), ", "))
	}
	tests := []struct{ name, src string }{
		{"long scalar", "Metadata:\n" + fanout("l", long, 4, 16) + "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      V: *l4\n"},
		{"long paths", "Metadata:\n" + deep.String() + "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      V: *d20\n"},
		{"long comparisons", "Parameters:\n  P: {Type: String, Default: " + long + "}\nConditions:\n" + eq.String() +
			"Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Condition: e5\n"},
		{"long sub", "Metadata:\n" + fanout("s", "!Sub "+long, 4, 16) + "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      V: *s4\n"},
		{"long split", "Metadata:\n" + fanout("p", "!Split [',', "+long+"]", 4, 16) + "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      V: *p4\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, ds := Parse([]byte(tt.src), "w.yaml")
			checkInvariants(t, "w.yaml", rs, ds)
			if len(ds) != 1 || ds[0].Summary != "template too large to evaluate" {
				t.Fatalf("diagnostics %v, want one 'too large' error", ds)
			}
			if len(rs) != 1 {
				t.Errorf("got %d resources, want R", len(rs))
			}
		})
	}
}

// TestLargeTemplate checks that the budgets leave room for the largest
// templates CloudFormation accepts: 500 resources in a megabyte.
func TestLargeTemplate(t *testing.T) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env: {Type: String, Default: prod}\n")
	b.WriteString("Mappings:\n  M:\n    prod: {Size: t3.micro}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n")
	script := strings.Repeat("echo ${Env} ${AWS::Region}\n            ", 40)
	for i := range 500 {
		fmt.Fprintf(&b, `  LT%d:
    Type: AWS::EC2::LaunchTemplate
    Condition: IsProd
    Properties:
      LaunchTemplateName: !Sub "lt-${Env}-%d"
      LaunchTemplateData:
        InstanceType: !FindInMap [M, !Ref Env, Size]
        MetadataOptions: {HttpTokens: !If [IsProd, required, optional], HttpPutResponseHopLimit: 1}
        TagSpecifications:
          - ResourceType: instance
            Tags: [{Key: a, Value: b}, {Key: c, Value: !Join ["-", [x, !Ref Env]]}]
        UserData:
          Fn::Base64: !Sub |
            %s
`, i, i, script)
	}
	src := []byte(b.String())
	if len(src) < 500_000 {
		t.Fatalf("template only %d bytes", len(src))
	}
	rs, ds := Parse(src, "big.yaml")
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds[:min(len(ds), 3)])
	}
	if len(rs) != 500 {
		t.Fatalf("got %d resources", len(rs))
	}
	for _, r := range rs {
		if !r.Facets.IMDS().Tokens.Is(graph.TokensRequired) {
			t.Fatalf("%s: tokens %+v", r.Addr.Name, r.Facets.IMDS().Tokens)
		}
	}
}
