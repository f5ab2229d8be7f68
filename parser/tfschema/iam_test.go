package tfschema_test

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/parser/terraform"
)

// data.aws_iam_policy_document renders into the document the provider
// would produce.
func TestPolicyDocumentRendering(t *testing.T) {
	fsys := fstest.MapFS{"main.tf": {Data: []byte(`
variable "actions" {
  type = list(string)
}

data "aws_iam_policy_document" "full" {
  statement {
    sid         = "Trust"
    effect      = "Deny"
    not_actions = ["iam:*"]
    principals {
      type        = "AWS"
      identifiers = ["111122223333"]
    }
    principals {
      type        = "AWS"
      identifiers = ["444455556666"]
    }
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-1"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["x"]
    }
  }
  statement {
    actions   = var.actions
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = ["{}"]
}

data "aws_iam_policy_document" "dynamic" {
  dynamic "statement" {
    for_each = var.actions
    content {
      actions = [statement.value]
    }
  }
}
`)}}
	root := terraform.NewLoader(fsys, terraform.Options{}).LoadRoot(".")
	if len(root.Diagnostics) > 0 {
		t.Fatal(root.Diagnostics)
	}
	docs := map[string]*graph.Policy{}
	for _, r := range root.Resources {
		docs[r.Addr.Name] = r.Facets.PolicyDocument()
	}
	full := docs["full"]
	if !full.Known() {
		t.Fatalf("full: %+v", full)
	}
	want := []iam.Statement{
		{
			Index: 0, Sid: "Trust", Effect: "Deny",
			Principal: &iam.Principal{
				AWS:     iam.Strings{Values: []string{"111122223333", "444455556666"}, Present: true},
				Service: iam.Strings{Values: []string{"ec2.amazonaws.com"}, Present: true},
			},
			NotAction: iam.Strings{Values: []string{"iam:*"}, Present: true},
			Conditions: []iam.Condition{
				{Operator: "StringEquals", Key: "aws:PrincipalOrgID", Values: []string{"o-1"}},
				{Operator: "StringEquals", Key: "sts:ExternalId", Values: []string{"x"}},
			},
		},
		{
			Index: 1, Effect: "Allow",
			Principal: &iam.Principal{Wildcard: true},
			Action:    iam.Strings{Unknown: true, Present: true},
			Resource:  iam.Strings{Values: []string{"*"}, Present: true},
		},
	}
	if d := cmp.Diff(want, full.Doc.Statements); d != "" {
		t.Errorf("full (-want +got)\n%s", d)
	}
	if m := docs["merged"]; m == nil || !m.Known() || len(m.Doc.Statements) != 0 {
		t.Errorf("merged: %+v, want a known document without statements", m)
	}
	for _, name := range []string{"dynamic"} {
		p := docs[name]
		if p == nil || (p.State != graph.Unknown && !(p.Known() && p.Doc.Unknown)) {
			t.Errorf("%s: %+v, want a document that cannot be known", name, p)
		}
	}
}
