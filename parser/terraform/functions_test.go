package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func TestFunctions(t *testing.T) {
	tests := []struct {
		expr    string
		want    string
		wantErr bool
	}{
		{expr: `cidrsubnet("10.20.0.0/16", 8, 2)`, want: "10.20.2.0/24"},
		{expr: `cidrsubnet("10.20.0.0/16", 8, 12)`, want: "10.20.12.0/24"},
		{expr: `cidrsubnet("10.1.2.0/24", 4, 15)`, want: "10.1.2.240/28"},
		{expr: `cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, want: "fd00:fd12:3456:7800:a200::/72"},
		{expr: `cidrsubnet("10.0.0.0/30", 4, 0)`, wantErr: true},
		{expr: `cidrsubnet("10.0.0.0/16", 8, 256)`, wantErr: true},
		{expr: `cidrhost("10.12.112.0/20", 16)`, want: "10.12.112.16"},
		{expr: `cidrhost("10.12.112.0/20", 268)`, want: "10.12.113.12"},
		{expr: `cidrhost("10.12.112.0/20", -1)`, want: "10.12.127.255"},
		{expr: `cidrnetmask("172.16.0.0/12")`, want: "255.240.0.0"},
		{expr: `jsonencode({a = 1})`, want: `{"a":1}`},
		{expr: `coalesce("", null, "x", "y")`, want: "x"},
		{expr: `coalesce("", "")`, wantErr: true},
		{expr: `tostring(length("héllo"))`, want: "5"},
		{expr: `tostring(length({a = 1, b = 2}))`, want: "2"},
		{expr: `tostring(length(["a"]))`, want: "1"},
		{expr: `replace("a-b-c", "/-[bc]/", "+")`, want: "a++"},
		{expr: `replace("a.b", ".", "/")`, want: "a/b"},
		{expr: `upper(trimspace(" x "))`, want: "X"},
		{expr: `try(local.nope, "fallback")`, want: "fallback"},
		// Examples from Terraform's function documentation.
		{expr: `jsonencode(cidrsubnets("10.1.0.0/16", 4, 4, 8, 4))`, want: `["10.1.0.0/20","10.1.16.0/20","10.1.32.0/24","10.1.48.0/20"]`},
		{expr: `jsonencode(cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32))`, want: `["fd00:fd12:3456:7800::/72","fd00:fd12:3456:7800:100::/72","fd00:fd12:3456:7800:200::/72","fd00:fd12:3456:7800:300::/88"]`},
		{expr: `cidrsubnets("10.0.0.0/24", 1, 1, 1)`, wantErr: true},
		{expr: `uuidv5("dns", "www.terraform.io")`, want: "a5008fae-b28c-5ba5-96cd-82b4c53552d6"},
		{expr: `uuidv5("url", "https://www.terraform.io/")`, want: "9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5"},
		{expr: `jsonencode(transpose({"a" = ["1", "2"], "b" = ["2", "3"]}))`, want: `{"1":["a"],"2":["a","b"],"3":["b"]}`},
		{expr: `jsonencode(matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"]))`, want: `["i-abc","i-def"]`},
		{expr: `tostring(timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z"))`, want: "-1"},
		{expr: `basename("foo/bar/baz.txt")`, want: "baz.txt"},
		{expr: `dirname("foo/bar/baz.txt")`, want: "foo/bar"},
		{expr: `base64decode("aGVsbG8=")`, want: "hello"},
		{expr: `base64decode("!!")`, wantErr: true},
		{expr: `one(["a", "b"])`, wantErr: true},
		{expr: `tostring(one([]) == null)`, want: "true"},
	}
	for _, tt := range tests {
		expr, diags := hclsyntax.ParseExpression([]byte(tt.expr), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tt.expr, diags)
		}
		v, diags := expr.Value(&hcl.EvalContext{Functions: functions})
		if diags.HasErrors() != tt.wantErr {
			t.Errorf("%s: errors %v, wantErr %v", tt.expr, diags, tt.wantErr)
			continue
		}
		if !tt.wantErr && v.AsString() != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, v.AsString(), tt.want)
		}
	}
}

// The layouts Terraform's documentation shows for yamlencode.
func TestYAMLEncode(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`{"a":"b", "c":"d"}`, "\"a\": \"b\"\n\"c\": \"d\"\n"},
		{`{"foo":[1, 2, 3], "bar": "baz"}`, "\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"},
		{`{"foo":[1, {"a":"b","c":"d"}, 3], "bar": "baz"}`, "\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n"},
		{`{"m":{"n":{"o":true}}, "e":[], "z":null}`, "\"e\": []\n\"m\":\n  \"n\":\n    \"o\": true\n\"z\": null\n"},
		{`[[1, 2], "x"]`, "- - 1\n  - 2\n- \"x\"\n"},
	}
	for _, tt := range tests {
		expr, diags := hclsyntax.ParseExpression([]byte("yamlencode("+tt.expr+")"), "t", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		v, diags := expr.Value(&hcl.EvalContext{Functions: functions})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", tt.expr, diags)
		}
		if got := v.AsString(); got != tt.want {
			t.Errorf("yamlencode(%s) =\n%s\nwant\n%s", tt.expr, got, tt.want)
		}
		back, err := yamlDecodeFunc.Call([]cty.Value{v})
		if err != nil || !back.IsKnown() {
			t.Errorf("yamldecode of %q: %v", v.AsString(), err)
		}
	}
}

func TestLookup(t *testing.T) {
	m := cty.MapVal(map[string]cty.Value{"a": cty.StringVal("1")})
	obj := cty.ObjectVal(map[string]cty.Value{"a": cty.True})
	tests := []struct {
		args    []cty.Value
		want    cty.Value
		wantErr bool
	}{
		{[]cty.Value{m, cty.StringVal("a"), cty.NullVal(cty.DynamicPseudoType)}, cty.StringVal("1"), false},
		{[]cty.Value{m, cty.StringVal("b"), cty.NullVal(cty.DynamicPseudoType)}, cty.NullVal(cty.DynamicPseudoType), false},
		{[]cty.Value{m, cty.StringVal("b"), cty.StringVal("d")}, cty.StringVal("d"), false},
		{[]cty.Value{obj, cty.StringVal("a")}, cty.True, false},
		{[]cty.Value{m, cty.StringVal("b")}, cty.NilVal, true},
		{[]cty.Value{cty.UnknownVal(cty.Map(cty.String)), cty.StringVal("a"), cty.StringVal("d")}, cty.DynamicVal, false},
	}
	for _, tt := range tests {
		got, err := lookupFunc.Call(tt.args)
		if (err != nil) != tt.wantErr {
			t.Errorf("lookup(%#v): error %v, want error %v", tt.args, err, tt.wantErr)
			continue
		}
		if err == nil && !got.RawEquals(tt.want) {
			t.Errorf("lookup(%#v) = %#v, want %#v", tt.args, got, tt.want)
		}
	}
}
