package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// IAMRoleTrustAnyPrincipal flags roles whose trust policy lets any AWS
// principal, in any account, assume them.
var IAMRoleTrustAnyPrincipal = Rule{
	ID:        "SDR-IAM-001",
	Slug:      "iam-role-trust-any-principal",
	Title:     "Role trust policy lets any principal assume the role",
	Severity:  Critical,
	Precision: PrecisionVeryHigh,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1078.004", "T1548.005"},
	Rationale: `A trust policy whose principal is ` + "`\"*\"`" + ` or ` + "`{\"AWS\": \"*\"}`" + ` lets every AWS principal in every ` +
		`account call sts:AssumeRole on the role, unless a condition narrows who. Anyone who learns the role ARN ` +
		`(it appears in logs, error messages, CloudTrail of partners, public repositories) obtains its permissions ` +
		`from their own account: a spoofed identity that the owning account never authenticated.`,
	Remediation: `Name the principals that may assume the role: an account root ARN, a role ARN, or a service. When a ` +
		`wide principal is needed (a role assumed from many accounts of an organization), add a condition that ` +
		`narrows it: ` + "`aws:PrincipalOrgID`" + `, ` + "`aws:PrincipalArn`" + ` or ` + "`sts:ExternalId`" + `.`,
	FixTerraform: `resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::111122223333:role/ci" }
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
          Action: sts:AssumeRole
          Principal:
            AWS: arn:aws:iam::111122223333:role/ci`,
	References: []string{
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
		"https://attack.mitre.org/techniques/T1078/004/",
	},
	Check: checkIAMRoleTrustAnyPrincipal,
}

func checkIAMRoleTrustAnyPrincipal(pass *Pass) error {
	eachTrustStatement(pass, func(r *graph.Resource, p *graph.Policy, s *iam.Statement, where string, related []Related) {
		who, public := publicGrant(s)
		if !public || grantsAssume(s) != iam.Yes {
			return
		}
		pass.Report(Finding{Resource: r, Range: p.Range, Related: related, Message: r.Addr.String() +
			" trusts any principal: " + stmtName(s) + " of " + where + " allows " + who + ` to assume the role with no condition on the caller's account, organization or external ID. Anyone in any AWS account who knows the role ARN can take its permissions`})
	})
	return nil
}
