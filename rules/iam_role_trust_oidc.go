package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// IAMRoleTrustOIDCSubject flags roles federated to an OIDC provider (CI
// systems, Kubernetes service accounts) whose trust does not pin the
// token's subject.
var IAMRoleTrustOIDCSubject = Rule{
	ID:        "SDR-IAM-003",
	Slug:      "iam-role-trust-oidc-subject-unrestricted",
	Title:     "OIDC-federated role does not restrict the token subject (sub) to a repository, workspace or service account",
	Severity:  Critical,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1078.004", "T1199"},
	Rationale: `A role trusted through sts:AssumeRoleWithWebIdentity accepts any token the identity provider signs ` +
		`for the audience. Shared providers sign tokens for everyone: GitHub Actions ` +
		"(`token.actions.githubusercontent.com`)" + ` for every workflow of every repository on github.com, GitLab for every ` +
		`project, Terraform Cloud ` + "(`app.terraform.io`)" + ` for every organization, an EKS cluster's provider for every ` +
		`service account in every namespace. Without a condition on the ` + "`sub`" + ` claim, or with a wildcard where the ` +
		`owner, organization or namespace goes, anyone who can run a workflow there can assume the role.`,
	Remediation: `Add a ` + "`StringEquals`" + ` (or ` + "`StringLike`" + ` with wildcards only after the repository) condition on ` +
		`the provider's ` + "`sub`" + ` key: ` + "`repo:OWNER/REPO:ref:refs/heads/main`" + ` for GitHub, ` +
		"`project_path:GROUP/PROJECT:ref_type:branch:ref:main`" + ` for GitLab, ` +
		"`organization:ORG:project:PROJECT:workspace:WS:run_phase:*`" + ` for Terraform Cloud, ` +
		"`system:serviceaccount:NAMESPACE:NAME`" + ` for EKS. Keep the ` + "`aud`" + ` condition as well.`,
	FixTerraform: `resource "aws_iam_role" "deploy" {
  name = "github-deploy"
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
	FixCloudFormation: `DeployRole:
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
		"https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
		"https://docs.gitlab.com/ci/cloud_services/aws/",
		"https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration",
		"https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
	},
	Check: checkIAMRoleTrustOIDCSubject,
}

const cognitoIdentity = "cognito-identity.amazonaws.com"

// webIdentityStatements yields the Allow statements of r's trust policy
// that let a federated web identity assume the role.
func webIdentityStatements(r *graph.Resource, f func(p *graph.Policy, s *iam.Statement)) {
	ro := r.Facets.Role()
	if ro == nil || !ro.Trust.Known() {
		return
	}
	for i := range ro.Trust.Doc.Statements {
		s := &ro.Trust.Doc.Statements[i]
		if !s.Allows() || s.Principal == nil || !s.Principal.Federated.Present || s.ConditionUnknown {
			continue
		}
		if s.CoversAction("sts:AssumeRoleWithWebIdentity") != iam.Yes {
			continue
		}
		if s.Principal.Federated.Any(func(f string) bool { return strings.Contains(f, ":saml-provider/") }) {
			continue // SAML federation: its assertions name the account's own IdP
		}
		f(ro.Trust, s)
	}
}

// oidcProvider names the provider a statement federates to: the host
// of a known provider ARN, else the prefix of its condition keys, else "".
func oidcProvider(s *iam.Statement) string {
	for _, fed := range s.Principal.Federated.Values {
		if _, host, ok := strings.Cut(fed, ":oidc-provider/"); ok {
			return host
		}
		if !strings.HasPrefix(fed, "arn:") {
			return fed
		}
	}
	for _, c := range s.Conditions {
		if host, claim, ok := strings.Cut(c.Key, ":"); ok && (claim == "sub" || claim == "aud") && !strings.HasPrefix(host, "aws") {
			return host
		}
	}
	return ""
}

func checkIAMRoleTrustOIDCSubject(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		webIdentityStatements(r, func(p *graph.Policy, s *iam.Statement) {
			host := oidcProvider(s)
			if host == cognitoIdentity {
				return // Cognito tokens carry no repository-like subject; SDR-IAM-004 covers them
			}
			where, related := policyPlace(p)
			name := host
			if name == "" {
				name = "the OIDC provider"
			}
			var subs []iam.Condition
			for _, c := range s.Conditions {
				if strings.HasSuffix(strings.ToLower(c.Key), ":sub") && !c.Negated() {
					subs = append(subs, c)
				}
			}
			if len(subs) == 0 {
				pass.Report(Finding{Resource: r, Range: p.Range, Related: related, Message: fmt.Sprintf(
					"%s trusts %s with no condition on the token subject (sub) in %s of %s: %s",
					r.Addr, name, stmtName(s), where, anyoneOf(host))})
				return
			}
			for _, c := range subs {
				if c.Unknown {
					return // a value decides it that cannot be known
				}
			}
			for _, c := range subs {
				wild := strings.Contains(strings.ToLower(c.Operator), "like")
				for _, v := range c.Values {
					if what := subAdmitsAny(host, v, wild); what != "" {
						pass.Report(Finding{Resource: r, Range: p.Range, Related: related, Message: fmt.Sprintf(
							"%s trusts %s with %s %s = %q in %s of %s, which admits %s",
							r.Addr, name, c.Operator, c.Key, v, stmtName(s), where, what)})
						return
					}
				}
			}
		})
	}
	return nil
}

// anyoneOf says who can obtain a token from a provider.
func anyoneOf(host string) string {
	switch {
	case host == "token.actions.githubusercontent.com":
		return "any GitHub Actions workflow in any repository on github.com can assume the role"
	case strings.Contains(host, "gitlab"):
		return "any CI job of any project on " + host + " can assume the role"
	case host == "app.terraform.io":
		return "any run of any Terraform Cloud organization can assume the role"
	case strings.HasPrefix(host, "oidc.eks."):
		return "any service account in any namespace of the cluster can assume the role"
	}
	return "any identity the provider issues tokens to can assume the role"
}

// subAdmitsAny says what a sub value admits when it leaves the owning
// part (repository owner, group, organization, namespace) open, or ""
// when it pins it. Wildcards count only under a Like operator.
func subAdmitsAny(host, v string, like bool) string {
	open := func(s string) bool { return like && strings.ContainsAny(s, "*?") }
	if open(v) && strings.Trim(v, "*") == "" {
		return "every subject"
	}
	field := func(prefix string) (string, bool) {
		rest, ok := strings.CutPrefix(v, prefix)
		if !ok {
			return "", false
		}
		part, _, _ := strings.Cut(rest, ":")
		return part, true
	}
	switch {
	case host == "token.actions.githubusercontent.com":
		repo, ok := field("repo:")
		if !ok {
			if open(v) {
				return "subjects of any repository"
			}
			return ""
		}
		if open(repo) {
			return "workflows of repositories matching " + repo
		}
	case strings.Contains(host, "gitlab"):
		path, ok := field("project_path:")
		if ok && open(path) {
			return "jobs of projects matching " + path
		}
		if !ok && open(v) {
			return "subjects of any project"
		}
	case host == "app.terraform.io":
		org, ok := field("organization:")
		if ok && open(org) {
			return "runs of organizations matching " + org
		}
		if !ok && open(v) {
			return "subjects of any organization"
		}
	case strings.HasPrefix(host, "oidc.eks."):
		ns, ok := field("system:serviceaccount:")
		if ok && open(ns) {
			return "service accounts of namespaces matching " + ns
		}
		if !ok && open(v) {
			return "subjects of any namespace"
		}
	}
	return ""
}

// IAMRoleTrustCognitoAudience flags roles trusted by Cognito identity
// pools without a condition on the identity pool.
var IAMRoleTrustCognitoAudience = Rule{
	ID:        "SDR-IAM-004",
	Slug:      "iam-role-trust-web-identity-audience-unchecked",
	Title:     "Web identity trust does not check the audience (aud)",
	Severity:  Critical,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1078.004"},
	Rationale: `Amazon Cognito identity pools sign web identity tokens for every identity pool of every account with ` +
		`the same issuer, ` + "`cognito-identity.amazonaws.com`" + `; the pool is named only in the ` + "`aud`" + ` claim. A role ` +
		`trusting ` + "`cognito-identity.amazonaws.com`" + ` without a ` + "`cognito-identity.amazonaws.com:aud`" + ` condition ` +
		`can be assumed with a token from an identity pool that an attacker creates in their own account. (For ` +
		`OIDC providers registered in IAM, STS checks the audience against the provider's client ID list, so this ` +
		`rule does not apply to them.)`,
	Remediation: `Add ` + "`StringEquals`" + ` on ` + "`cognito-identity.amazonaws.com:aud`" + ` with your identity pool ID, and ` +
		"`ForAnyValue:StringLike`" + ` on ` + "`cognito-identity.amazonaws.com:amr`" + ` (` + "`authenticated`" + ` or ` +
		"`unauthenticated`" + `) to separate the pool's roles.`,
	FixTerraform: `resource "aws_iam_role" "authenticated" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "cognito-identity.amazonaws.com" }
      Condition = {
        StringEquals               = { "cognito-identity.amazonaws.com:aud" = aws_cognito_identity_pool.main.id }
        "ForAnyValue:StringLike"   = { "cognito-identity.amazonaws.com:amr" = "authenticated" }
      }
    }]
  })
}`,
	FixCloudFormation: `AuthenticatedRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRoleWithWebIdentity
          Principal:
            Federated: cognito-identity.amazonaws.com
          Condition:
            StringEquals:
              cognito-identity.amazonaws.com:aud: !Ref IdentityPool
            ForAnyValue:StringLike:
              cognito-identity.amazonaws.com:amr: authenticated`,
	References: []string{
		"https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
	},
	Check: checkIAMRoleTrustCognitoAudience,
}

func checkIAMRoleTrustCognitoAudience(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		webIdentityStatements(r, func(p *graph.Policy, s *iam.Statement) {
			if oidcProvider(s) != cognitoIdentity {
				return
			}
			for _, c := range s.Condition(cognitoIdentity + ":aud") {
				if !c.Negated() {
					return
				}
			}
			where, related := policyPlace(p)
			pass.Report(Finding{Resource: r, Range: p.Range, Related: related, Message: fmt.Sprintf(
				"%s trusts %s in %s of %s without a condition on %s:aud: a token from any identity pool, including one in an attacker's account, can assume the role",
				r.Addr, cognitoIdentity, stmtName(s), where, cognitoIdentity)})
		})
	}
	return nil
}
