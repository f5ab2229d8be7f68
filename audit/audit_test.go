package audit_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strider-sec/strider/audit"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
)

// build scans a tree written from files and audits it.
func build(t *testing.T, files map[string]string, convs []scan.AccountConvention, declared []audit.Declared) *audit.Report {
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
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir, Rules: []*rules.Rule{}, Accounts: convs})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic: %s", d)
	}
	return audit.Build(res.Graph, audit.Options{Accounts: declared})
}

func trustPolicy(principal, condition string) string {
	return `jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = ` + principal + `
      ` + condition + `
    }]
  })`
}

// An organization whose account no code states gets a management account
// by role, and the accounts it creates get the implicit role from it.
func TestManagementUnknown(t *testing.T) {
	rep := build(t, map[string]string{"org/main.tf": `
resource "aws_organizations_organization" "org" {}
resource "aws_organizations_account" "team" {
  name      = "team"
  email     = "team@example.com"
  role_name = "Admin"
}`}, nil, nil)
	m := rep.Account("management")
	if m == nil || !m.HasRole(audit.RoleManagement) {
		t.Fatalf("no management account: %+v", rep.Accounts)
	}
	if !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.Contains(n, "management account's ID is not stated") }) {
		t.Errorf("no note about the unknown management account: %q", rep.Notes)
	}
	if len(rep.Trust) != 1 {
		t.Fatalf("trust = %+v, want the implicit role", rep.Trust)
	}
	e := rep.Trust[0]
	if e.From != "management" || e.To != "name:team" || !e.Implicit || e.RoleName != "Admin" {
		t.Errorf("implicit trust = %+v", e)
	}
}

// Trust edges: other accounts with and without conditions, anyone, OIDC
// with and without a subject; the role's own account is no edge. Reach
// goes through chains and through roles anyone may assume.
func TestTrustAndReach(t *testing.T) {
	rep := build(t, map[string]string{
		"a/main.tf": `
resource "aws_iam_role" "to_b" {
  name               = "to-b"
  assume_role_policy = ` + trustPolicy(`{ AWS = "arn:aws:iam::222222222222:root" }`, "") + `
}
resource "aws_iam_role" "self" {
  assume_role_policy = ` + trustPolicy(`{ AWS = "111111111111" }`, "") + `
}
resource "aws_iam_role" "vendor" {
  assume_role_policy = ` + trustPolicy(`{ AWS = "999999999999" }`, `Condition = { StringEquals = { "sts:ExternalId" = "x" } }`) + `
}`,
		"b/main.tf": `
resource "aws_iam_role" "public" {
  assume_role_policy = ` + trustPolicy(`"*"`, "") + `
}
resource "aws_iam_role" "gha_main" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com" }
      Condition = { StringLike = { "token.actions.githubusercontent.com:sub" = "repo:acme/app:*" } }
    }]
  })
}
resource "aws_iam_role" "gha_any" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com" }
    }]
  })
}`,
		"c/main.tf": `
resource "aws_iam_role" "to_a" {
  assume_role_policy = ` + trustPolicy(`{ AWS = "arn:aws:iam::333333333333:role/x" }`, "") + `
}`,
	}, []scan.AccountConvention{
		{Path: "a/**", Account: "111111111111"},
		{Path: "b/**", Account: "222222222222"},
		{Path: "c/**", Account: "444444444444"},
	}, []audit.Declared{{ID: "333333333333", Name: "tools", Role: audit.RoleNetwork}})

	type edge struct{ from, to, role string }
	var got []edge
	guarded := map[string]bool{}
	for _, e := range rep.Trust {
		got = append(got, edge{e.From, e.To, e.Role})
		guarded[e.Role] = e.Guarded
	}
	want := []edge{
		{"*", "222222222222", "aws_iam_role.public"},
		{"222222222222", "111111111111", "aws_iam_role.to_b"},
		{"333333333333", "444444444444", "aws_iam_role.to_a"},
		{"999999999999", "111111111111", "aws_iam_role.vendor"},
		{"token.actions.githubusercontent.com", "222222222222", "aws_iam_role.gha_any"},
		{"token.actions.githubusercontent.com", "222222222222", "aws_iam_role.gha_main"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("trust edges:\n got %v\nwant %v", got, want)
	}
	for role, g := range map[string]bool{"aws_iam_role.vendor": true, "aws_iam_role.gha_main": true, "aws_iam_role.gha_any": false, "aws_iam_role.to_b": false} {
		if guarded[role] != g {
			t.Errorf("%s guarded = %v, want %v", role, guarded[role], g)
		}
	}
	reach := map[string][]string{}
	for _, r := range rep.Reach {
		reach[r.From] = r.Accounts
	}
	// 999… reaches 111… through the vendor role, then 222… through to_b
	// and through the public role.
	if got := reach["999999999999"]; !slices.Equal(got, []string{"111111111111", "222222222222"}) {
		t.Errorf("reach of 999999999999 = %v", got)
	}
	if got := reach["333333333333"]; !slices.Equal(got, []string{"111111111111", "222222222222", "444444444444"}) {
		t.Errorf("reach of 333333333333 = %v (the public role is reachable from everyone, and to_b from there)", got)
	}
	tools := rep.Account("333333333333")
	if tools == nil || tools.Name != "tools" || !tools.HasRole(audit.RoleNetwork) {
		t.Errorf("declared account = %+v", tools)
	}
}

// A node whose parent is not in the code hangs under a placeholder, and
// its controls cannot be decided.
func TestTreeGap(t *testing.T) {
	rep := build(t, map[string]string{"org/main.tf": `
resource "aws_organizations_organizational_unit" "orphan" {
  name      = "Orphan"
  parent_id = "ou-abcd-12345678"
}`}, nil, nil)
	if rep.Tree == nil || rep.Tree.Name != "(parent not in the scanned code)" || len(rep.Tree.Children) != 1 || rep.Tree.Children[0].Name != "Orphan" {
		t.Fatalf("tree = %+v", rep.Tree)
	}
	for _, g := range rep.Guardrails {
		if g.Status != rules.Undetermined || g.Why == "" {
			t.Errorf("%s %s: %s (%s), want undetermined with a reason", g.Target, g.Control, g.Status, g.Why)
		}
	}
	if len(rep.Guardrails) != len(rules.Controls()) {
		t.Errorf("%d guardrails, want one per control", len(rep.Guardrails))
	}
}

// StackSets list where they deploy, from CloudFormation deployment
// targets and Terraform instances.
func TestStackSets(t *testing.T) {
	rep := build(t, map[string]string{
		"cfn/stacksets.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Baseline:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: baseline
      PermissionModel: SERVICE_MANAGED
      TemplateURL: https://example.com/baseline.yaml
      StackInstancesGroup:
        - Regions: [eu-west-1]
          DeploymentTargets:
            OrganizationalUnitIds: [ou-abcd-11111111]
        - Regions: [eu-west-1]
          DeploymentTargets:
            Accounts: ["555555555555"]
`,
		"tf/main.tf": `
resource "aws_cloudformation_stack_set" "s" {
  name          = "s"
  template_body = "{}"
}
resource "aws_cloudformation_stack_set_instance" "ou" {
  stack_set_name = aws_cloudformation_stack_set.s.name
  deployment_targets {
    organizational_unit_ids = ["ou-abcd-22222222"]
  }
}
resource "aws_cloudformation_stack_set_instance" "acct" {
  stack_set_name = "s"
  account_id     = "666666666666"
}`,
	}, nil, nil)
	if len(rep.StackSets) != 2 {
		t.Fatalf("stack sets = %+v", rep.StackSets)
	}
	cfn, tf := rep.StackSets[0], rep.StackSets[1]
	if cfn.Address != "Baseline" || !slices.Equal(cfn.Accounts, []string{"555555555555"}) || !slices.Equal(cfn.OUs, []string{"ou-abcd-11111111"}) {
		t.Errorf("CloudFormation stack set = %+v", cfn)
	}
	if tf.Address != "aws_cloudformation_stack_set.s" || !slices.Equal(tf.Accounts, []string{"666666666666"}) || !slices.Equal(tf.OUs, []string{"ou-abcd-22222222"}) {
		t.Errorf("Terraform stack set = %+v", tf)
	}
}

// Account Factory for Terraform requests: the account joins the tree
// under its OU by name; a request that cannot be read is a note.
func TestAFTRequests(t *testing.T) {
	rep := build(t, map[string]string{"org/main.tf": `
resource "aws_organizations_organization" "org" {}
resource "aws_organizations_organizational_unit" "sandbox" {
  name      = "Sandbox"
  parent_id = aws_organizations_organization.org.roots[0].id
}`,
		"aft/main.tf": `
variable "unknown" {
  type = string
}
resource "aws_dynamodb_table_item" "req" {
  table_name = "aft-request"
  hash_key   = "id"
  item = jsonencode({
    id = { S = "a@example.com" }
    control_tower_parameters = { M = {
      AccountEmail              = { S = "a@example.com" }
      AccountName               = { S = "play" }
      ManagedOrganizationalUnit = { S = "Sandbox (ou-abcd-12345678)" }
    } }
  })
}
resource "aws_dynamodb_table_item" "unknown" {
  table_name = "aft-request"
  hash_key   = "id"
  item       = var.unknown
}
resource "aws_dynamodb_table_item" "other" {
  table_name = "orders"
  hash_key   = "id"
  item       = jsonencode({ id = { S = "1" } })
}`}, nil, nil)
	if len(rep.Requests) != 1 || rep.Requests[0].Name != "play" || rep.Requests[0].Account != "name:play" {
		t.Fatalf("requests = %+v", rep.Requests)
	}
	var placed bool
	rep.Tree.Walk(func(n *audit.Node, depth int) {
		if n.Name == "play" && n.Kind == "account" && depth == 2 {
			placed = true
		}
	})
	if !placed {
		t.Errorf("the requested account is not under the Sandbox OU")
	}
	if !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.Contains(n, "aws_dynamodb_table_item.unknown cannot be known") }) {
		t.Errorf("no note about the unknown request: %q", rep.Notes)
	}
}

// A trust whose principal is known only after apply is left out of the
// map, and the report says so.
func TestTrustUnknownPrincipal(t *testing.T) {
	rep := build(t, map[string]string{"a/main.tf": `
resource "aws_iam_role" "source" {
  assume_role_policy = ` + trustPolicy(`{ Service = "ec2.amazonaws.com" }`, "") + `
}
resource "aws_iam_role" "chained" {
  assume_role_policy = ` + trustPolicy(`{ AWS = aws_iam_role.source.arn }`, "") + `
}`}, []scan.AccountConvention{{Path: "a/**", Account: "111111111111"}}, nil)
	if len(rep.Trust) != 0 {
		t.Errorf("trust = %+v, want none", rep.Trust)
	}
	if !slices.ContainsFunc(rep.Notes, func(n string) bool {
		return strings.Contains(n, "aws_iam_role.chained name principals that cannot be known") && !strings.Contains(n, "aws_iam_role.source")
	}) {
		t.Errorf("notes = %q", rep.Notes)
	}
}

// An organization written in CloudFormation: OUs under a literal root,
// SCPs attached with TargetIds, a region restriction with NotAction.
func TestCloudFormationOrganization(t *testing.T) {
	rep := build(t, map[string]string{"org.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Workloads:
    Type: AWS::Organizations::OrganizationalUnit
    Properties:
      Name: Workloads
      ParentId: r-abcd
  Sandbox:
    Type: AWS::Organizations::OrganizationalUnit
    Properties:
      Name: Sandbox
      ParentId: r-abcd
  Prod:
    Type: AWS::Organizations::Account
    Properties:
      AccountName: prod
      Email: prod@example.com
      ParentIds: [!Ref Workloads]
  Regions:
    Type: AWS::Organizations::Policy
    Properties:
      Name: regions
      Type: SERVICE_CONTROL_POLICY
      TargetIds: [!Ref Workloads]
      Content:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            NotAction: ["iam:*", "organizations:*", "sts:*"]
            Resource: "*"
            Condition:
              StringNotEquals:
                aws:RequestedRegion: [eu-west-1]
  NoLeaving:
    Type: AWS::Organizations::Policy
    Properties:
      Name: no-leaving
      Type: SERVICE_CONTROL_POLICY
      TargetIds: [r-abcd]
      Content:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Action: organizations:LeaveOrganization
            Resource: "*"
`}, nil, nil)
	got := map[string]string{}
	for _, g := range rep.Guardrails {
		got[g.Target+"/"+g.Control] = string(g.Status) + " " + strings.Join(g.Via, ",")
	}
	for k, want := range map[string]string{
		"Workloads/region-restrict": "enforced Regions",
		"prod/region-restrict":      "enforced Regions",
		"Sandbox/region-restrict":   "missing ",
		"Sandbox/leave-org":         "enforced NoLeaving",
		"prod/leave-org":            "enforced NoLeaving",
		// The region deny covers the sharing calls outside eu-west-1
		// only.
		"prod/snapshot-ami-share": "partial Regions",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	if rep.Tree == nil || rep.Tree.Name != "Root (r-abcd)" || len(rep.Tree.Children) != 2 {
		t.Errorf("tree = %+v", rep.Tree)
	}
}

// A shared VPC makes the account that shares its subnets the network
// account, in Terraform and CloudFormation.
func TestNetworkAccountSharedVPC(t *testing.T) {
	rep := build(t, map[string]string{
		"net/main.tf": `
resource "aws_vpc" "shared" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.shared.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_ram_resource_share" "subnets" {
  name = "subnets"
}
resource "aws_ram_resource_association" "a" {
  resource_arn       = aws_subnet.a.arn
  resource_share_arn = aws_ram_resource_share.subnets.arn
}`,
		"net2/share.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-0123456789abcdef0
      CidrBlock: 10.1.1.0/24
  Share:
    Type: AWS::RAM::ResourceShare
    Properties:
      Name: subnets
      ResourceArns:
        - !Sub arn:aws:ec2:eu-west-1:${AWS::AccountId}:subnet/${Subnet}
`,
		"app/main.tf": `
resource "aws_ram_resource_association" "db" {
  resource_arn       = "arn:aws:rds:eu-west-1:333333333333:cluster:db"
  resource_share_arn = "arn:aws:ram:eu-west-1:333333333333:resource-share/x"
}`,
	}, []scan.AccountConvention{
		{Path: "net/**", Account: "111111111111"},
		{Path: "net2/**", Account: "222222222222"},
		{Path: "app/**", Account: "333333333333"},
	}, nil)
	for id, want := range map[string]bool{"111111111111": true, "222222222222": true, "333333333333": false} {
		a := rep.Account(id)
		if a == nil || a.HasRole(audit.RoleNetwork) != want {
			t.Errorf("account %s: %+v, network role want %v", id, a, want)
		}
	}
}
