package terraform

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

// jsonencode of a value with unknown parts stays unknown, but the value
// can be recovered; through templates and locals too.
func TestJSONEncodePartial(t *testing.T) {
	ctx := &hcl.EvalContext{
		Functions: functions,
		Variables: map[string]cty.Value{"bucket": cty.DynamicVal},
	}
	tests := []struct {
		expr        string
		wantPartial bool
	}{
		{`jsonencode({Resource = "${bucket.arn}/*", Action = "s3:GetObject"})`, true},
		{`"${jsonencode({Resource = bucket.arn})}"`, true},
		{`jsonencode(bucket)`, false},
		{`upper(jsonencode({a = bucket.arn}))`, true},
	}
	for _, tt := range tests {
		expr, diags := hclsyntax.ParseExpression([]byte(tt.expr), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tt.expr, diags)
		}
		v, diags := expr.Value(ctx)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tt.expr, diags)
		}
		if v.IsKnown() {
			t.Errorf("%s is known, want unknown", tt.expr)
		}
		pv, ok := graph.PartialJSON(v)
		if ok != tt.wantPartial {
			t.Errorf("%s: partial %v, want %v", tt.expr, ok, tt.wantPartial)
			continue
		}
		if ok && !pv.Type().IsObjectType() {
			t.Errorf("%s: partial value %#v, want the object", tt.expr, pv)
		}
	}
	v, _ := hclsyntax.ParseExpression([]byte(`jsonencode({a = ["x", 1]})`), "t.tf", hcl.InitialPos)
	got, diags := v.Value(ctx)
	if diags.HasErrors() || got.AsString() != `{"a":["x",1]}` {
		t.Errorf("known jsonencode = %#v, %v", got, diags)
	}
}

// Only expressions that hand jsonencode's result on unchanged keep the
// partly known value; a transformed text is simply unknown.
func TestJSONEncodePartialThroughEvaluator(t *testing.T) {
	fsys := fstest.MapFS{"main.tf": {Data: []byte(`
resource "aws_s3_bucket" "b" {}

locals {
  doc     = jsonencode({ Resource = aws_s3_bucket.b.arn })
  changed = replace(jsonencode({ Resource = aws_s3_bucket.b.arn }), "a", "b")
}

resource "x" "direct" {
  policy = jsonencode({ Resource = aws_s3_bucket.b.arn })
}

resource "x" "via_local" {
  policy = local.doc
}

resource "x" "wrapped" {
  policy = "${local.doc}"
}

resource "x" "upper" {
  policy = upper(jsonencode({ Resource = aws_s3_bucket.b.arn }))
}

resource "x" "concatenated" {
  policy = "x${local.doc}"
}

resource "x" "changed_local" {
  policy = local.changed
}
`)}}
	root := NewLoader(fsys, Options{}).LoadRoot(".")
	if len(root.Diagnostics) > 0 {
		t.Fatal(root.Diagnostics)
	}
	want := map[string]bool{"direct": true, "via_local": true, "wrapped": true, "upper": false, "concatenated": false, "changed_local": false}
	for _, r := range root.Resources {
		w, ok := want[r.Addr.Name]
		if !ok {
			continue
		}
		delete(want, r.Addr.Name)
		v := r.Attr("policy")
		if v.IsKnown() {
			t.Errorf("%s: policy is known", r.Addr)
		}
		if _, got := graph.PartialJSON(v); got != w {
			t.Errorf("%s: partial %v, want %v", r.Addr, got, w)
		}
	}
	if len(want) > 0 {
		t.Errorf("resources not loaded: %v", want)
	}
}

// TestPartialTemplate: a heredoc whose JSON text interpolates a value
// known only after apply is read like jsonencode's partly known value;
// an interpolation outside a JSON string, or a text that is not JSON,
// stays unknown.
func TestPartialTemplate(t *testing.T) {
	src := `resource "aws_iam_group" "g" {
  name = "ops"
}
resource "aws_iam_policy" "json" {
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PutGroupPolicy", "Resource": "${aws_iam_group.g.arn}", "Sid": "${aws_iam_group.g.name}"}]}
  EOT
}
resource "aws_iam_policy" "bare" {
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": ${aws_iam_group.g.arn}}
  EOT
}
resource "aws_iam_policy" "text" {
  policy = "arn prefix ${aws_iam_group.g.arn}"
}
`
	root := NewLoader(fstest.MapFS{"main.tf": {Data: []byte(src)}}, Options{}).LoadRoot(".")
	got := map[string]string{}
	for _, r := range root.Resources {
		if r.Addr.Type != "aws_iam_policy" {
			continue
		}
		v, _ := r.Attrs.Get("policy")
		p, ok := graph.PartialJSON(v)
		switch {
		case ok:
			st := p.GetAttr("Statement").Index(cty.NumberIntVal(0))
			got[r.Addr.Name] = fmt.Sprintf("partial action=%s resource-known=%v sid=%s", st.GetAttr("Action").AsString(), st.GetAttr("Resource").IsKnown(), st.GetAttr("Sid").AsString())
		case !v.IsKnown():
			got[r.Addr.Name] = "unknown"
		}
	}
	want := map[string]string{
		"json": "partial action=iam:PutGroupPolicy resource-known=false sid=ops",
		"bare": "unknown",
		"text": "unknown",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
}
