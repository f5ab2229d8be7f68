package rules

import (
	"fmt"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// IAMPassRoleAnyResource flags identity policies that allow iam:PassRole
// on every role.
var IAMPassRoleAnyResource = Rule{
	ID:        "SDR-IAM-008",
	Slug:      "iam-passrole-any-resource",
	Title:     "Policy allows iam:PassRole on every role",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1548.005"},
	Rationale: `iam:PassRole lets a principal hand a role to a service: launch an EC2 instance, a Lambda function, ` +
		`an ECS task, a Glue job or a CloudFormation stack that runs with that role. On ` + "`Resource \"*\"`" + ` it ` +
		`covers every role in the account, including administrator roles, so the holder can run code with any ` +
		`role's permissions — one of the most common privilege-escalation paths in AWS.`,
	Remediation: `List the role ARNs the principal must pass, and restrict the receiving service with the ` +
		"`iam:PassedToService`" + ` condition.`,
	FixTerraform: `resource "aws_iam_policy" "deployer" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:PassRole"
      Resource  = aws_iam_role.app_task.arn
      Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
    }]
  })
}`,
	FixCloudFormation: `DeployerPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: iam:PassRole
          Resource: !GetAtt AppTaskRole.Arn
          Condition:
            StringEquals:
              iam:PassedToService: ecs-tasks.amazonaws.com`,
	References: []string{
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
		"https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
		"https://attack.mitre.org/techniques/T1548/005/",
	},
	Check: checkIAMPassRoleAnyResource,
}

func checkIAMPassRoleAnyResource(pass *Pass) error {
	eachIdentityStatement(pass, func(r *graph.Resource, p *graph.Policy, s *iam.Statement, where string, related []Related) {
		// A statement allowing every action is more than a PassRole
		// problem; it is reported as administrator access.
		if !s.Allows() || s.AllActions() != iam.No || s.CoversAction("iam:PassRole") != iam.Yes || s.AllResources() != iam.Yes {
			return
		}
		what := "Action " + quoteList(s.Action.Values)
		if s.NotAction.Present {
			what = "NotAction " + quoteList(s.NotAction.Values)
		}
		pass.Report(Finding{Resource: r, Range: p.Range, Related: related, Message: fmt.Sprintf(
			"%s allows iam:PassRole on every role: %s of %s has %s on %s, so its holder can hand any role, administrators included, to a service that runs its code",
			r.Addr, stmtName(s), where, what, resourceText(s))})
	})
	return nil
}

func resourceText(s *iam.Statement) string {
	if s.NotResource.Present {
		return "NotResource " + quoteList(s.NotResource.Values)
	}
	return "Resource " + quoteList(s.Resource.Values)
}

// IAMAllowNotAction flags Allow statements written with NotAction.
var IAMAllowNotAction = Rule{
	ID:        "SDR-IAM-009",
	Slug:      "iam-allow-not-action",
	Title:     "Policy statement allows everything except a list (Allow with NotAction)",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1078.004"},
	Rationale: `An Allow with NotAction grants every action of every service except those listed, including actions ` +
		`of services AWS launches later. "Everything but IAM" still allows disabling CloudTrail, reading every ` +
		`secret and, through iam-adjacent services (sso, organizations, sts), often regaining what was excluded. ` +
		`Such statements grow silently and are hard to review.`,
	Remediation: `Rewrite the statement as an Allow of the actions needed. To carve out exceptions from a broad grant, ` +
		`use a separate Deny statement (where NotAction is safe, because it denies).`,
	FixTerraform: `resource "aws_iam_policy" "developer" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:*", "dynamodb:*", "lambda:*"], Resource = "*" },
      { Effect = "Deny", Action = ["iam:*", "organizations:*"], Resource = "*" },
    ]
  })
}`,
	FixCloudFormation: `DeveloperPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: ["s3:*", "dynamodb:*", "lambda:*"]
          Resource: "*"
        - Effect: Deny
          Action: ["iam:*", "organizations:*"]
          Resource: "*"`,
	References: []string{
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
	},
	Check: checkIAMAllowNotAction,
}

func checkIAMAllowNotAction(pass *Pass) error {
	eachIdentityStatement(pass, func(r *graph.Resource, p *graph.Policy, s *iam.Statement, where string, related []Related) {
		if !s.Allows() || !s.NotAction.Present {
			return
		}
		pass.Report(Finding{Resource: r, Range: p.Range, Related: related, Message: fmt.Sprintf(
			"%s: %s of %s allows every action except NotAction %s on %s, including actions of services added later",
			r.Addr, stmtName(s), where, quoteList(s.NotAction.Values), resourceText(s))})
	})
	return nil
}
