package terraform

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func TestRelPath(t *testing.T) {
	tests := []struct{ base, target, want string }{
		{".", ".", "."},
		{".", "modules/app", "modules/app"},
		{"envs/prod", "envs/prod", "."},
		{"envs/prod", "envs/prod/modules/x", "modules/x"},
		{"envs/prod", "modules/vpc", "../../modules/vpc"},
		{"envs/prod", ".", "../.."},
	}
	for _, tt := range tests {
		if got := relPath(tt.base, tt.target); got != tt.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", tt.base, tt.target, got, tt.want)
		}
	}
}

func TestConfigFiles(t *testing.T) {
	got := configFiles([]string{
		"z_override.tf", "main.tf", "override.tf", "a.tf.json", "legacy.tf", "legacy.tofu",
		"web.tftest.hcl", "terraform.tfvars", "b_override.tf.json", "notes.md",
	})
	want := []string{"a.tf.json", "legacy.tofu", "main.tf", "b_override.tf.json", "override.tf", "z_override.tf"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("configFiles (-want +got):\n%s", diff)
	}
}

func TestPartitionOf(t *testing.T) {
	tests := []struct {
		region cty.Value
		want   cty.Value
	}{
		{cty.StringVal("eu-west-1"), cty.StringVal("aws")},
		{cty.StringVal("cn-north-1"), cty.StringVal("aws-cn")},
		{cty.StringVal("us-gov-west-1"), cty.StringVal("aws-us-gov")},
		{cty.StringVal("us-isob-east-1"), cty.UnknownVal(cty.String)},
		{cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)},
	}
	for _, tt := range tests {
		if got := partitionOf(tt.region); !got.RawEquals(tt.want) {
			t.Errorf("partitionOf(%#v) = %#v, want %#v", tt.region, got, tt.want)
		}
	}
}

func TestMinify(t *testing.T) {
	in := "{\n  \"a\": \"x y\\\" z\",\n  \"b\": [\n    1\n  ]\n}"
	if got, want := minify(in), `{"a":"x y\" z","b":[1]}`; got != want {
		t.Errorf("minify = %s, want %s", got, want)
	}
}

func TestNodeOrder(t *testing.T) {
	nodes := []*node{
		{key: "local.a", deps: []string{"local.b"}},
		{key: "aws_x.first"},
		{key: "local.b"},
		{key: "aws_x.c1", deps: []string{"aws_x.c2"}},
		{key: "aws_x.c2", deps: []string{"aws_x.c1"}},
		{key: "aws_x.after", deps: []string{"aws_x.c1"}},
	}
	sorted, cyclic := order(nodes)
	keys := func(ns []*node) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.key)
		}
		return out
	}
	if diff := cmp.Diff([]string{"local.b", "local.a", "aws_x.first"}, keys(sorted)); diff != "" {
		t.Errorf("sorted (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"aws_x.c1", "aws_x.c2", "aws_x.after"}, keys(cyclic)); diff != "" {
		t.Errorf("cyclic (-want +got):\n%s", diff)
	}
}

func TestLocalsCycle(t *testing.T) {
	src := "locals {\n  a = local.b\n  b = local.a\n  c = \"${local.a}-x\"\n  d = 1\n}\nresource \"aws_sqs_queue\" \"q\" {\n  name = local.c\n  delay_seconds = local.d\n}\n"
	root := NewLoader(fstest.MapFS{"main.tf": {Data: []byte(src)}}, Options{}).LoadRoot(".")
	var got []string
	for _, d := range root.Diagnostics {
		got = append(got, d.Range.String()+" "+d.Summary)
	}
	want := []string{
		"main.tf:2:3 local.a depends on itself through other locals; treated as unknown",
		"main.tf:3:3 local.b depends on itself through other locals; treated as unknown",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	q := root.Resources[0].Attrs.Object()
	if q.GetAttr("name").IsKnown() || !q.GetAttr("delay_seconds").RawEquals(cty.NumberIntVal(1)) {
		t.Errorf("want name unknown and delay_seconds 1, got %#v", q)
	}
}

// A null module input overrides the default unless nullable = false.
func TestNullableInputs(t *testing.T) {
	fsys := fstest.MapFS{
		"main.tf": {Data: []byte(`module "m" {
  source   = "./m"
  nullable = null
  strict   = null
}`)},
		"m/main.tf": {Data: []byte(`variable "nullable" {
  default = "d"
}
variable "strict" {
  default  = "d"
  nullable = false
}
resource "aws_sqs_queue" "q" {
  name = coalesce(var.nullable, "was-null")
  tags = { strict = var.strict }
}`)},
	}
	root := NewLoader(fsys, Options{}).LoadRoot(".")
	if len(root.Resources) != 1 {
		t.Fatalf("resources %d, diagnostics %v", len(root.Resources), root.Diagnostics)
	}
	a := root.Resources[0].Attrs.Object()
	if got := a.GetAttr("name").AsString(); got != "was-null" {
		t.Errorf("nullable input: name = %q, want was-null", got)
	}
	if got := a.GetAttr("tags").GetAttr("strict").AsString(); got != "d" {
		t.Errorf("nullable = false: strict = %q, want the default", got)
	}
}

// TestIndexedReferences: an index the instance decides (count.index,
// each.key) makes the reference name one instance, not all of them; an
// index it cannot decide leaves the whole resource.
func TestIndexedReferences(t *testing.T) {
	src := `variable "pick" {}
resource "aws_iam_role" "r" {
  count = 2
  name  = "r-${count.index}"
}
resource "aws_subnet" "s" {
  for_each   = toset(["a", "b"])
  cidr_block = "10.0.0.0/24"
}
resource "aws_iam_role_policy" "p" {
  count  = 2
  role   = aws_iam_role.r[count.index].id
  policy = "{}"
}
resource "aws_route_table_association" "a" {
  for_each  = aws_subnet.s
  subnet_id = aws_subnet.s[each.key].id
}
resource "aws_sqs_queue" "q" {
  name = aws_iam_role.r[var.pick].name
}
`
	root := NewLoader(fstest.MapFS{"main.tf": {Data: []byte(src)}}, Options{}).LoadRoot(".")
	got := map[string][]string{}
	for _, r := range root.Resources {
		for _, ref := range r.Refs {
			if ref.Attr == "role" || ref.Attr == "subnet_id" || ref.Attr == "name" {
				got[r.Addr.String()] = append(got[r.Addr.String()], ref.Target)
			}
		}
	}
	want := map[string][]string{
		"aws_iam_role_policy.p[0]":           {"aws_iam_role.r[0]"},
		"aws_iam_role_policy.p[1]":           {"aws_iam_role.r[1]"},
		`aws_route_table_association.a["a"]`: {`aws_subnet.s["a"]`},
		`aws_route_table_association.a["b"]`: {`aws_subnet.s["b"]`},
		"aws_sqs_queue.q":                    {"aws_iam_role.r"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
}
