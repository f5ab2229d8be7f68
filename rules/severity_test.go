package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
)

// Context the graph knows raises a finding above its rule's severity.
func TestContextSeverity(t *testing.T) {
	dir := t.TempDir()
	src := `
resource "aws_iam_role" "vendor_admin" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "444455556666" } }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.vendor_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "vendor_reader" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "444455556666" } }]
  })
}

resource "aws_s3_bucket_policy" "all" {
  bucket = "all"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:*", Resource = "*" }]
  })
}

resource "aws_s3_bucket_policy" "read" {
  bucket = "read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }]
  })
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir,
		Rules: []*rules.Rule{&rules.IAMRoleTrustCrossAccount, &rules.ResourcePolicyPublic}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]rules.Severity{
		"aws_iam_role.vendor_admin":  rules.High,
		"aws_iam_role.vendor_reader": rules.Medium,
		"aws_s3_bucket_policy.all":   rules.Critical,
		"aws_s3_bucket_policy.read":  rules.High,
	}
	for _, f := range res.Findings {
		a := f.Resource.Addr.String()
		w, ok := want[a]
		if !ok {
			t.Errorf("unexpected finding on %s: %s", a, f.Message)
			continue
		}
		delete(want, a)
		if got := f.EffectiveSeverity(); got != w {
			t.Errorf("%s: severity %s, want %s (%s)", a, got, w, f.Message)
		}
	}
	for a := range want {
		t.Errorf("no finding on %s", a)
	}
}

func TestEffectiveSeverity(t *testing.T) {
	r := &rules.Rule{Severity: rules.Medium}
	if got := (rules.Finding{Rule: r}).EffectiveSeverity(); got != rules.Medium {
		t.Errorf("default: %s", got)
	}
	if got := (rules.Finding{Rule: r, Severity: rules.Critical}).EffectiveSeverity(); got != rules.Critical {
		t.Errorf("override: %s", got)
	}
}
