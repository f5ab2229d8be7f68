package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// IAMUserAccessKey flags long-lived access keys created for IAM users.
var IAMUserAccessKey = Rule{
	ID:        "SDR-IAM-005",
	Slug:      "iam-user-access-key",
	Title:     "IAM user has a long-lived access key",
	Severity:  Medium,
	Precision: PrecisionVeryHigh,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.InformationDisclosure},
	ATTACK:    []string{"T1078.004", "T1552.001"},
	Rationale: `An access key never expires on its own. It ends up in CI variables, developer laptops, container ` +
		`images and — for keys created by Terraform — in the state file in clear text. A leaked key works from ` +
		`anywhere on the internet until someone notices and deletes it, and its use looks like the user's own. ` +
		`Roles with temporary credentials (IAM Identity Center for people, OIDC federation for CI, instance and ` +
		`task roles for workloads) remove the long-lived secret altogether.`,
	Remediation: `Replace the user and its key with a role: federate CI systems with OIDC (GitHub Actions, GitLab, ` +
		`Terraform Cloud), give workloads instance, task or IRSA roles, and give people IAM Identity Center. ` +
		`Where a key cannot be avoided (a third-party SaaS without role support), keep it out of Terraform state, ` +
		`scope the user to what it needs and rotate the key.`,
	FixTerraform: `# Instead of aws_iam_user + aws_iam_access_key for CI:
resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:example-org/app:ref:refs/heads/main"
        }
      }
    }]
  })
}`,
	FixCloudFormation: `# Instead of AWS::IAM::User + AWS::IAM::AccessKey for CI:
CiRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRoleWithWebIdentity
          Principal:
            Federated: !Sub arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com
          Condition:
            StringEquals:
              token.actions.githubusercontent.com:aud: sts.amazonaws.com
              token.actions.githubusercontent.com:sub: repo:example-org/app:ref:refs/heads/main`,
	References: []string{
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
		"https://attack.mitre.org/techniques/T1078/004/",
	},
	Check: func(pass *Pass) error { return checkCredential(pass, graph.CredentialAccessKey) },
}

// IAMUserConsolePassword flags console passwords created for IAM users.
var IAMUserConsolePassword = Rule{
	ID:        "SDR-IAM-006",
	Slug:      "iam-user-console-password",
	Title:     "IAM user has a console password",
	Severity:  Low,
	Precision: PrecisionVeryHigh,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing},
	ATTACK:    []string{"T1078.004", "T1110"},
	Rationale: `A console password is a long-lived secret of a single account: it can be phished, guessed or reused ` +
		`from another breach, and unless MFA is enforced it alone opens the console. Passwords created by Terraform ` +
		`also pass through its state. IAM Identity Center gives people short sessions from your identity provider, ` +
		`with its MFA and its off-boarding.`,
	Remediation: `Give people access through IAM Identity Center (or SAML federation) instead of IAM users. Where an ` +
		`IAM user must sign in, enforce MFA with a policy that denies everything without ` +
		"`aws:MultiFactorAuthPresent`" + `, and require a password reset on first sign-in.`,
	FixTerraform: `resource "aws_ssoadmin_account_assignment" "alice" {
  instance_arn       = local.sso_instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.developer.arn
  principal_id       = local.alice_user_id
  principal_type     = "USER"
  target_id          = "111122223333"
  target_type        = "AWS_ACCOUNT"
}`,
	FixCloudFormation: `AliceAssignment:
  Type: AWS::SSO::Assignment
  Properties:
    InstanceArn: !Ref SsoInstanceArn
    PermissionSetArn: !GetAtt DeveloperPermissionSet.PermissionSetArn
    PrincipalId: !Ref AliceUserId
    PrincipalType: USER
    TargetId: "111122223333"
    TargetType: AWS_ACCOUNT`,
	References: []string{
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html",
	},
	Check: func(pass *Pass) error { return checkCredential(pass, graph.CredentialPassword) },
}

func checkCredential(pass *Pass, kind string) error {
	for _, r := range pass.Graph.Resources {
		if c := r.Facets.Credential(); c != nil && c.Kind == kind {
			if strings.EqualFold(c.Status.V, "Inactive") && c.Status.State == graph.Set {
				continue
			}
			pass.Reportf(r, r.Range, "%s creates %s for IAM user %s: a long-lived secret that works from anywhere until it is revoked",
				r.Addr, withArticle(kind), userName(pass, r, c.User))
		}
		if u := r.Facets.User(); u != nil && u.LoginProfile != nil && kind == graph.CredentialPassword {
			pass.Reportf(r, *u.LoginProfile, "%s sets a %s (LoginProfile) for IAM user %s: a long-lived secret that works from anywhere until it is revoked",
				r.Addr, kind, nameOr(u.Name, r.Addr.String()))
		}
	}
	return nil
}

func withArticle(s string) string {
	if strings.ContainsAny(s[:1], "aeiou") {
		return "an " + s
	}
	return "a " + s
}

// userName names the user a link points at, for messages.
func userName(pass *Pass, from *graph.Resource, l graph.PrincipalLink) string {
	if l.Ref != nil {
		for _, t := range pass.Graph.Resolve(from, l.Ref.Target) {
			if t.Facets.User() != nil {
				if t.Facets.User().Name.State != graph.Set {
					return t.Addr.String()
				}
				return fmt.Sprintf("%q (%s)", t.Facets.User().Name.V, t.Addr)
			}
		}
		return l.Ref.Target
	}
	return nameOr(l.Name, "(not known)")
}

func nameOr(v graph.Value[string], alt string) string {
	if v.State == graph.Set {
		return fmt.Sprintf("%q", v.V)
	}
	return alt
}
