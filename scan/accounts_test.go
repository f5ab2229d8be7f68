package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const template = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  %s:
    Type: AWS::SNS::Topic
`

func TestAttributeAccounts(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"accounts/prod/main.tf": `resource "aws_sns_topic" "t" {}
module "shared" {
  source = "../../modules/shared"
}`,
		"modules/shared/main.tf": `resource "aws_sqs_queue" "q" {}`,
		"accounts/dev/main.tf": `
provider "aws" {
  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/deploy"
  }
}
resource "aws_sns_topic" "t" {}`,
		"other/main.tf": `resource "aws_sns_topic" "t" {}`,
		// A plan knows the ARN of what exists: its account wins over the
		// convention of the directory.
		"accounts/prod/plan.json": `{"format_version": "1.2", "terraform_version": "1.9.0",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_sns_topic.old", "mode": "managed", "type": "aws_sns_topic", "name": "old",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "values": {"arn": "arn:aws:sns:eu-west-1:555555555555:old", "name": "old"}},
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "values": {"arn": "arn:aws:s3:::b", "bucket": "b"}}]}}}`,
		"stacksets/one.yaml":   fmt.Sprintf(template, "One"),
		"stacksets/two.yaml":   fmt.Sprintf(template, "Two"),
		"stacksets/loose.yaml": fmt.Sprintf(template, "Loose"),
		"mgmt/main.tf": `
resource "aws_cloudformation_stack_set" "one" {
  name          = "one"
  template_body = file("${path.module}/../stacksets/one.yaml")
}
resource "aws_cloudformation_stack_set_instance" "one" {
  stack_set_name = aws_cloudformation_stack_set.one.name
  account_id     = "444444444444"
}
resource "aws_cloudformation_stack_set" "two" {
  name          = "two"
  template_body = file("${path.module}/../stacksets/two.yaml")
}
resource "aws_cloudformation_stack_set_instance" "two_a" {
  stack_set_name = aws_cloudformation_stack_set.two.name
  account_id     = "444444444444"
}
resource "aws_cloudformation_stack_set_instance" "two_b" {
  stack_set_name = "two"
  account_id     = "555555555555"
}`,
	})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir, Rules: []*rules.Rule{},
		Accounts: []AccountConvention{
			{Path: "accounts/prod/**", Account: "111111111111", Name: "prod"},
			{Path: "accounts/dev", Account: "333333333333"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic: %s", d)
	}
	want := map[string]string{
		"accounts/prod::aws_sns_topic.t": "111111111111",
		// A module outside the root lives in the root's account.
		"accounts/prod::module.shared.aws_sqs_queue.q": "111111111111",
		// The provider's own account wins over the convention.
		"accounts/dev::aws_sns_topic.t":              "222222222222",
		"other::aws_sns_topic.t":                     "",
		"accounts/prod/plan.json::aws_sns_topic.old": "555555555555",
		// A bucket's ARN names no account.
		"accounts/prod/plan.json::aws_s3_bucket.b": "111111111111",
		// Deployed into one account by a StackSet of the tree.
		"stacksets/one.yaml::One": "444444444444",
		// Deployed into two accounts: no one account.
		"stacksets/two.yaml::Two": "",
		// Not deployed by anything in the tree.
		"stacksets/loose.yaml::Loose": "",
	}
	seen := 0
	for _, r := range res.Graph.Resources {
		w, ok := want[r.Addr.Key()]
		if !ok {
			continue
		}
		seen++
		got := ""
		if r.Account.State == graph.Set {
			got = r.Account.V
		}
		if got != w {
			t.Errorf("%s: account %q, want %q", r.Addr.Key(), got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d resources", seen, len(want))
	}
}

// TestNameOrgAccounts: a member account the code creates gets the ID the
// configuration declares for its name, in Terraform and CloudFormation; an
// ID the input states itself is kept, and other names stay unknown.
func TestNameOrgAccounts(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"org/main.tf": `
resource "aws_organizations_account" "prod" {
  name  = "prod"
  email = "prod@example.com"
}
resource "aws_organizations_account" "sandbox" {
  name  = "sandbox"
  email = "sandbox@example.com"
}`,
		"org/accounts.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Dev:
    Type: AWS::Organizations::Account
    Properties:
      AccountName: dev
      Email: dev@example.com
`,
	})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir, Rules: []*rules.Rule{},
		AccountIDs: map[string]string{"prod": "111111111111", "dev": "222222222222", "audit": "333333333333"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"org::aws_organizations_account.prod":    "111111111111",
		"org::aws_organizations_account.sandbox": "",
		"org/accounts.yaml::Dev":                 "222222222222",
	}
	for _, r := range res.Graph.Resources {
		w, ok := want[r.Addr.Key()]
		if !ok {
			continue
		}
		delete(want, r.Addr.Key())
		got := ""
		if id := r.Facets.OrgNode().ID; id.State == graph.Set {
			got = id.V
		}
		if got != w {
			t.Errorf("%s: ID %q, want %q", r.Addr.Key(), got, w)
		}
	}
	for k := range want {
		t.Errorf("%s not in the graph", k)
	}
}

func TestAccountConventionInvalid(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": `resource "aws_sns_topic" "t" {}`})
	for _, c := range []AccountConvention{
		{Path: "x/**", Account: "12345"},
		{Path: "", Account: "111111111111"},
	} {
		if _, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir, Rules: []*rules.Rule{}, Accounts: []AccountConvention{c}}); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

func TestGlobPath(t *testing.T) {
	for _, tc := range []struct {
		glob, file string
		want       bool
	}{
		{"accounts/prod/**", "accounts/prod/main.tf", true},
		{"accounts/prod/**", "accounts/prod/modules/x/main.tf", true},
		{"accounts/prod/**", "accounts/production/main.tf", false},
		{"accounts/*", "accounts/prod/main.tf", true},
		{"**/prod", "envs/eu/prod/main.tf", true},
		{"accounts/prod", "accounts/prod-eu/main.tf", false},
		{"accounts/prod/**", "accounts/prod", true},
		{"accounts/prod/**", "accounts/prod-eu", false},
	} {
		c := AccountConvention{Path: tc.glob, Account: "111111111111"}
		if got := c.matches(globPath(tc.glob), tc.file); got != tc.want {
			t.Errorf("%s matches %s: %v, want %v", tc.glob, tc.file, got, tc.want)
		}
	}
}

// A Customizations for AWS Control Tower manifest attributes a template
// it deploys to one account, by ID (unquoted: a YAML integer whose digits
// are kept) or by a name a convention gives an ID; not one deployed to
// OUs or to several accounts.
func TestManifestDeployments(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"cfct/manifest.yaml": `region: eu-west-1
version: 2021-03-15
resources:
  - name: by-id
    resource_file: templates/by-id.template
    deploy_method: stack_set
    deployment_targets:
      accounts: [012345678901]
  - name: by-name
    resource_file: templates/by-name.template
    deploy_method: stack_set
    deployment_targets:
      accounts: [prod]
  - name: to-ou
    resource_file: templates/to-ou.template
    deploy_method: stack_set
    deployment_targets:
      accounts: ["111111111111"]
      organizational_units: [Workloads]
  - name: two
    resource_file: templates/two.template
    deploy_method: stack_set
    deployment_targets:
      accounts: ["111111111111", "222222222222"]
  - name: scp
    resource_file: policies/scp.json
    deploy_method: scp
    deployment_targets:
      organizational_units: [Workloads]
`,
		"cfct/templates/by-id.template":   fmt.Sprintf(template, "ById"),
		"cfct/templates/by-name.template": fmt.Sprintf(template, "ByName"),
		"cfct/templates/to-ou.template":   fmt.Sprintf(template, "ToOu"),
		"cfct/templates/two.template":     fmt.Sprintf(template, "Two"),
	})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir, Rules: []*rules.Rule{},
		Accounts: []AccountConvention{{Path: "nowhere/**", Account: "444444444444", Name: "prod"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Deployments) != 4 || res.Deployments[0].Accounts[0] != "012345678901" || res.Deployments[0].Source != "cfct/manifest.yaml#by-id" {
		t.Fatalf("deployments = %+v", res.Deployments)
	}
	want := map[string]string{
		"cfct/templates/by-id.template::ById":     "012345678901",
		"cfct/templates/by-name.template::ByName": "444444444444",
		"cfct/templates/to-ou.template::ToOu":     "",
		"cfct/templates/two.template::Two":        "",
	}
	for _, r := range res.Graph.Resources {
		w, ok := want[r.Addr.Key()]
		if !ok {
			continue
		}
		delete(want, r.Addr.Key())
		got := ""
		if r.Account.State == graph.Set {
			got = r.Account.V
		}
		if got != w {
			t.Errorf("%s: account %q, want %q", r.Addr.Key(), got, w)
		}
	}
	if len(want) > 0 {
		t.Errorf("resources not found: %v", want)
	}
}
