package scan

import (
	"context"
	"strings"
	"testing"

	"github.com/strider-sec/strider/rules"
)

// completeSrc is a user allowed to put inline policies on a group it
// belongs to, the group's ARN known only after apply.
const completeSrc = `resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_group_membership" "dev" {
  user   = aws_iam_user.dev.name
  groups = [aws_iam_group.ops.name]
}

resource "aws_iam_group_policy" "ops" {
  name  = "ops"
  group = aws_iam_group.ops.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutGroupPolicy", Resource = aws_iam_group.ops.arn }]
  })
}
`

// completePlanJSON is what terraform show -json prints for it: the
// policy is unknown as a whole, and the configuration keeps only its
// references.
const completePlanJSON = `{"format_version": "1.2", "terraform_version": "1.11.4",
 "planned_values": {"root_module": {"resources": [
  {"address": "aws_iam_group.ops", "mode": "managed", "type": "aws_iam_group", "name": "ops", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"name": "ops", "path": "/"}},
  {"address": "aws_iam_user.dev", "mode": "managed", "type": "aws_iam_user", "name": "dev", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"name": "dev", "path": "/"}},
  {"address": "aws_iam_user_group_membership.dev", "mode": "managed", "type": "aws_iam_user_group_membership", "name": "dev", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"user": "dev", "groups": ["ops"]}},
  {"address": "aws_iam_group_policy.ops", "mode": "managed", "type": "aws_iam_group_policy", "name": "ops", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"name": "ops", "group": "ops"}}]}},
 "resource_changes": [
  {"address": "aws_iam_group_policy.ops", "mode": "managed", "type": "aws_iam_group_policy", "name": "ops", "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null, "after": {"name": "ops", "group": "ops"}, "after_unknown": {"id": true, "policy": true}}}],
 "configuration": {"root_module": {"resources": [
  {"address": "aws_iam_group.ops", "mode": "managed", "type": "aws_iam_group", "name": "ops", "expressions": {"name": {"constant_value": "ops"}}},
  {"address": "aws_iam_user.dev", "mode": "managed", "type": "aws_iam_user", "name": "dev", "expressions": {"name": {"constant_value": "dev"}}},
  {"address": "aws_iam_user_group_membership.dev", "mode": "managed", "type": "aws_iam_user_group_membership", "name": "dev", "expressions": {"user": {"references": ["aws_iam_user.dev.name", "aws_iam_user.dev"]}, "groups": {"references": ["aws_iam_group.ops.name", "aws_iam_group.ops"]}}},
  {"address": "aws_iam_group_policy.ops", "mode": "managed", "type": "aws_iam_group_policy", "name": "ops", "expressions": {"name": {"constant_value": "ops"}, "group": {"references": ["aws_iam_group.ops.name", "aws_iam_group.ops"]}, "policy": {"references": ["aws_iam_group.ops.arn", "aws_iam_group.ops"]}}}]}}}`

// TestPlanCompletedFromSource: a plan leaves the policy "known after
// apply"; beside its .tf source the policy is read from the source, and
// the escalation is found as it is on the source itself. Without the
// source, the plan alone cannot tell.
func TestPlanCompletedFromSource(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  bool
	}{
		{"plan beside its source", map[string]string{"main.tf": completeSrc, "plan.json": completePlanJSON}, true},
		{"plan alone", map[string]string{"plan.json": completePlanJSON}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			res, err := Run(context.Background(), Options{Paths: []string{dir + "/plan.json"}, BaseDir: dir, Rules: []*rules.Rule{&rules.IAMPrivilegeEscalation}})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range res.Diagnostics {
				t.Errorf("diagnostic: %s", d)
			}
			got := false
			for _, f := range res.Findings {
				if f.Resource.Addr.String() == "aws_iam_user.dev" && strings.HasPrefix(f.Peer, "PE-07") {
					got = true
					if tc.want && f.Range.Filename != "main.tf" {
						t.Errorf("finding at %s, want the .tf source", f.Range)
					}
				}
			}
			if got != tc.want {
				t.Errorf("PE-07 on aws_iam_user.dev: %v, want %v (findings %d)", got, tc.want, len(res.Findings))
			}
		})
	}
}

// TestPlanSourceUsesPlanVariables: the source is evaluated with the
// variables the plan was made with, not the defaults in the code.
func TestPlanSourceUsesPlanVariables(t *testing.T) {
	src := strings.Replace(completeSrc, `Action = "iam:PutGroupPolicy"`, `Action = var.action`, 1) + `
variable "action" {
  type    = string
  default = "iam:GetGroup"
}
`
	planJSON := strings.Replace(completePlanJSON, `"terraform_version": "1.11.4",`,
		`"terraform_version": "1.11.4", "variables": {"action": {"value": "iam:PutGroupPolicy"}},`, 1)
	dir := writeTree(t, map[string]string{"main.tf": src, "plan.json": planJSON})
	res, err := Run(context.Background(), Options{Paths: []string{dir + "/plan.json"}, BaseDir: dir, Rules: []*rules.Rule{&rules.IAMPrivilegeEscalation}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range res.Findings {
		found = found || (f.Resource.Addr.String() == "aws_iam_user.dev" && strings.HasPrefix(f.Peer, "PE-07"))
	}
	if !found {
		t.Errorf("PE-07 not found with the plan's variable; findings %d", len(res.Findings))
	}
}
