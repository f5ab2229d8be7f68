package terraform

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// policyJSON evaluates one configuration and returns the json attribute
// of data.aws_iam_policy_document.<name>.
func policyJSON(t *testing.T, src, name string) (string, bool) {
	t.Helper()
	root := NewLoader(fstest.MapFS{"main.tf": {Data: []byte(src)}}, Options{}).LoadRoot(".")
	for _, r := range root.Resources {
		if r.Addr.String() == "data.aws_iam_policy_document."+name {
			v, _ := r.Attrs.Get("json")
			if !v.IsKnown() {
				return "", false
			}
			return v.AsString(), true
		}
	}
	t.Fatalf("data.aws_iam_policy_document.%s not found; diagnostics %v", name, root.Diagnostics)
	return "", false
}

// The expected documents follow the AWS provider's documented rendering:
// two-space indentation, bare strings for single values, lists sorted in
// reverse, Effect "Allow" by default, and Sid merging across source,
// statement and override documents.
func TestPolicyDocument(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"statements, principals, conditions", `
data "aws_iam_policy_document" "x" {
  statement {
    sid       = "1"
    actions   = ["s3:ListAllMyBuckets", "s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::*"]
  }
  statement {
    effect      = "Deny"
    not_actions = ["iam:*"]
    not_resources = ["arn:aws:iam::*:role/break-glass"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["home/", "home/&{aws:username}/"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = [false]
    }
  }
}`, `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "1",
      "Effect": "Allow",
      "Action": [
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation"
      ],
      "Resource": "arn:aws:s3:::*"
    },
    {
      "Effect": "Deny",
      "NotAction": "iam:*",
      "NotResource": "arn:aws:iam::*:role/break-glass",
      "Principal": {
        "AWS": [
          "arn:aws:iam::444455556666:root",
          "arn:aws:iam::111122223333:root"
        ]
      },
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "false"
        },
        "StringLike": {
          "s3:prefix": [
            "home/\u0026{aws:username}/",
            "home/"
          ]
        }
      }
    }
  ]
}`},
		{"anyone and not_principals", `
data "aws_iam_policy_document" "x" {
  policy_id = "p1"
  statement {
    actions = ["s3:GetObject"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    effect  = "Deny"
    actions = ["s3:*"]
    not_principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}`, `{
  "Version": "2012-10-17",
  "Id": "p1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Principal": "*"
    },
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "NotPrincipal": {
        "AWS": "*"
      }
    }
  ]
}`},
		{"source, statements and overrides merged by sid", `
data "aws_iam_policy_document" "source" {
  statement {
    actions   = ["ec2:*"]
    resources = ["*"]
  }
  statement {
    sid       = "SidToOverride"
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid       = "SidToOverride"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
  statement {
    sid     = "Extra"
    actions = ["sqs:SendMessage"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "x" {
  source_policy_documents   = [data.aws_iam_policy_document.source.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]
  statement {
    sid       = "SidToOverride"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::b"]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}`, `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:*",
      "Resource": "*"
    },
    {
      "Sid": "SidToOverride",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/*"
    },
    {
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "*"
    },
    {
      "Sid": "Extra",
      "Effect": "Allow",
      "Action": "sqs:SendMessage",
      "Resource": "*"
    }
  ]
}`},
		{"dynamic statements", `
locals {
  grants = { read = "s3:GetObject", write = "s3:PutObject" }
}
data "aws_iam_policy_document" "x" {
  dynamic "statement" {
    for_each = local.grants
    content {
      sid       = statement.key
      actions   = [statement.value]
      resources = ["*"]
    }
  }
}`, `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "read",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*"
    },
    {
      "Sid": "write",
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "*"
    }
  ]
}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := policyJSON(t, tt.src, "x")
			if !ok {
				t.Fatal("json is unknown")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPolicyDocumentUnknown(t *testing.T) {
	src := `
variable "bucket" {}
data "aws_iam_policy_document" "x" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.bucket}/*"]
  }
}
data "aws_iam_policy_document" "dup" {
  statement {
    sid     = "a"
    actions = ["s3:GetObject"]
  }
  statement {
    sid     = "a"
    actions = ["s3:PutObject"]
  }
}`
	if _, ok := policyJSON(t, src, "x"); ok {
		t.Error("a document with an unknown resource must be unknown")
	}
	if _, ok := policyJSON(t, src, "dup"); ok {
		t.Error("a document with duplicate sids is invalid, so unknown")
	}
	root := NewLoader(fstest.MapFS{"main.tf": {Data: []byte(src)}}, Options{}).LoadRoot(".")
	if len(root.Diagnostics) != 1 || !strings.Contains(root.Diagnostics[0].Detail, `duplicate sid "a"`) {
		t.Errorf("want one diagnostic about the duplicate sid, got %v", root.Diagnostics)
	}
}
