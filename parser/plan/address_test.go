package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/strider-sec/strider/graph"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in       string
		want     graph.Address // Stack "s", Kind TerraformAddr
		callPath string
	}{
		{in: "aws_instance.web",
			want: graph.Address{Type: "aws_instance", Name: "web"}},
		{in: "aws_instance.web[0]",
			want: graph.Address{Type: "aws_instance", Name: "web", InstanceKey: "[0]"}},
		{in: "module.app.aws_instance.web[12]",
			want:     graph.Address{Module: "module.app", Type: "aws_instance", Name: "web", InstanceKey: "[12]"},
			callPath: "module.app"},
		{in: `module.net["a"].aws_subnet.this["x"]`,
			want:     graph.Address{Module: `module.net["a"]`, Type: "aws_subnet", Name: "this", InstanceKey: `["x"]`},
			callPath: "module.net"},
		{in: "data.aws_iam_policy_document.x",
			want: graph.Address{Mode: graph.Data, Type: "aws_iam_policy_document", Name: "x"}},
		{in: `module.a[0].module.b["k"].data.aws_ami.x`,
			want:     graph.Address{Module: `module.a[0].module.b["k"]`, Mode: graph.Data, Type: "aws_ami", Name: "x"},
			callPath: "module.a.module.b"},
		// Quoted keys may hold what the grammar uses as separators.
		{in: `aws_subnet.this["b.c"]`,
			want: graph.Address{Type: "aws_subnet", Name: "this", InstanceKey: `["b.c"]`}},
		{in: `module.m["x].y[\"z\"].module.n"].aws_s3_bucket.b["]["]`,
			want:     graph.Address{Module: `module.m["x].y[\"z\"].module.n"]`, Type: "aws_s3_bucket", Name: "b", InstanceKey: `["]["]`},
			callPath: "module.m"},
		{in: `aws_s3_bucket.b["with \\ backslash"]`,
			want: graph.Address{Type: "aws_s3_bucket", Name: "b", InstanceKey: `["with \\ backslash"]`}},
		{in: `aws_s3_bucket.b[""]`,
			want: graph.Address{Type: "aws_s3_bucket", Name: "b", InstanceKey: `[""]`}},
		// Names may contain dashes and non-ASCII letters.
		{in: "module.my-mod.aws_instance.wéb-1",
			want:     graph.Address{Module: "module.my-mod", Type: "aws_instance", Name: "wéb-1"},
			callPath: "module.my-mod"},
		// A resource type that merely starts with "module" or "data".
		{in: "module_thing.x", want: graph.Address{Type: "module_thing", Name: "x"}},
		{in: "dataset.x", want: graph.Address{Type: "dataset", Name: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := parseAddress(tt.in)
			if err != nil {
				t.Fatalf("parseAddress(%q): %v", tt.in, err)
			}
			want := tt.want
			want.Stack, want.Kind = "s", graph.TerraformAddr
			if diff := cmp.Diff(want, a.graph("s")); diff != "" {
				t.Errorf("address (-want +got):\n%s", diff)
			}
			if got := a.graph("s").String(); got != tt.in {
				t.Errorf("String() = %q, want the input back", got)
			}
			if got := a.callPath(); got != tt.callPath {
				t.Errorf("callPath() = %q, want %q", got, tt.callPath)
			}
		})
	}
}

func TestParseAddressErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"aws_instance",
		"aws_instance.",
		".web",
		"module.app",
		"module.app.",
		"module..aws_instance.web",
		"module.app[0]aws_instance.web",
		"data.aws_ami",
		"aws_instance.web[",
		"aws_instance.web[0",
		"aws_instance.web[x]",
		"aws_instance.web[-1]",
		`aws_instance.web["a]`,
		`aws_instance.web["a"`,
		`aws_instance.web["a\"]`,
		"aws_instance.web[0].id",
		"aws_instance.web[0][1]",
		"aws_instance.web extra",
		"aws_instance.web.id",
	} {
		if a, err := parseAddress(in); err == nil {
			t.Errorf("parseAddress(%q) = %+v, want an error", in, a)
		}
	}
}

func TestRefTarget(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		keyed bool
		ok    bool
	}{
		{"aws_launch_template.lt.id", "aws_launch_template.lt", false, true},
		{"aws_launch_template.lt", "aws_launch_template.lt", false, true},
		{"data.aws_iam_policy_document.x.json", "data.aws_iam_policy_document.x", false, true},
		{`aws_subnet.this["a"].id`, `aws_subnet.this["a"]`, true, true},
		{`aws_subnet.this["a.b"]`, `aws_subnet.this["a.b"]`, true, true},
		{"aws_instance.web[0].metadata_options[0].http_tokens", "aws_instance.web[0]", true, true},
		{"data.aws_ami.x[1]", "data.aws_ami.x[1]", true, true},
		{"var.ami", "", false, false},
		{"local.subnets", "", false, false},
		{"module.vpc.subnet_id", "", false, false},
		{"module.vpc", "", false, false},
		{"each.value", "", false, false},
		{"count.index", "", false, false},
		{"path.module", "", false, false},
		{"self.id", "", false, false},
		{"terraform.workspace", "", false, false},
		{"aws_instance", "", false, false},
		{"data.aws_ami", "", false, false},
		{"", "", false, false},
	}
	for _, tt := range tests {
		got, keyed, ok := refTarget(tt.in)
		if got != tt.want || keyed != tt.keyed || ok != tt.ok {
			t.Errorf("refTarget(%q) = %q, %v, %v; want %q, %v, %v", tt.in, got, keyed, ok, tt.want, tt.keyed, tt.ok)
		}
	}
}

func TestAppendRefs(t *testing.T) {
	tests := []struct {
		name string
		refs []string
		want []string
	}{
		{"attribute and resource collapse", []string{"aws_launch_template.lt.id", "aws_launch_template.lt"},
			[]string{"aws_launch_template.lt"}},
		{"keyed drops Terraform's unkeyed companion",
			[]string{`aws_subnet.this["a"].id`, `aws_subnet.this["a"]`, "aws_subnet.this"},
			[]string{`aws_subnet.this["a"]`}},
		{"a separate whole-resource reference stays",
			[]string{"aws_subnet.a[0].id", "aws_subnet.a[0]", "aws_subnet.a", "aws_subnet.a"},
			[]string{"aws_subnet.a[0]", "aws_subnet.a"}},
		{"non-resources skipped", []string{"var.x", "data.aws_ami.y.id", "data.aws_ami.y", "module.m.out", "module.m"},
			[]string{"data.aws_ami.y"}},
		{"two resources", []string{"aws_s3_bucket.a.arn", "aws_s3_bucket.a", "aws_kms_key.k.arn", "aws_kms_key.k"},
			[]string{"aws_s3_bucket.a", "aws_kms_key.k"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range appendRefs(nil, tt.refs, "x") {
				got = append(got, r.target)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("targets (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFieldsAddress(t *testing.T) {
	a, err := fieldsAddress(`module.m["k"]`, "data", "aws_ami", "x", `a"b${c}`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.graph("").String(), `module.m["k"].data.aws_ami.x["a\"b$${c}"]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := fieldsAddress("", "managed", "", "x", nil); err == nil {
		t.Error("want an error without a type")
	}
}

func TestAction(t *testing.T) {
	tests := []struct {
		in   tfjson.Actions
		want graph.Action
	}{
		{tfjson.Actions{"create"}, graph.Create},
		{tfjson.Actions{"update"}, graph.Update},
		{tfjson.Actions{"delete", "create"}, graph.Replace},
		{tfjson.Actions{"create", "delete"}, graph.Replace},
		{tfjson.Actions{"delete"}, graph.Delete},
		{tfjson.Actions{"no-op"}, graph.NoOp},
		{tfjson.Actions{"read"}, graph.Read},
		{nil, graph.NoOp},
		{tfjson.Actions{"forget"}, graph.Action("forget")},
		{tfjson.Actions{"create", "create"}, graph.Action("create,create")},
	}
	for _, tt := range tests {
		if got := action(tt.in); got != tt.want {
			t.Errorf("action(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
