package rules

import (
	"fmt"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// IAMRoleTrustCrossAccount flags roles that another AWS account may
// assume with no external ID and no organization condition.
var IAMRoleTrustCrossAccount = Rule{
	ID:        "SDR-IAM-002",
	Slug:      "iam-role-trust-cross-account-unconditioned",
	Title:     "Role trusts an AWS account without sts:ExternalId or aws:PrincipalOrgID",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1199", "T1078.004"},
	Rationale: `A trust policy naming an account (` + "`111122223333`" + ` or ` + "`arn:aws:iam::111122223333:root`" + `) ` +
		`delegates to that account's administrators the choice of who may assume the role. When the account is a ` +
		`third party acting for many customers, a missing ` + "`sts:ExternalId`" + ` lets any of its other customers ` +
		`ask it to act on your role (the confused deputy problem). When the account belongs to your organization, ` +
		"`aws:PrincipalOrgID`" + ` keeps the trust valid only while it does. Either condition narrows a trust that is ` +
		`otherwise as wide as the other account. Where the role's own account is known (a plan of a role that ` +
		`already exists carries its ARN; a provider that assumes a role in it, or an account convention of the ` +
		`configuration, names it), a trust of that account is not reported. The finding is high when the ` +
		`tree gives the role administrator rights.`,
	Remediation: `For a third party, require the external ID it gave you: ` + "`StringEquals sts:ExternalId`" + `. For an ` +
		`account of your organization, add ` + "`StringEquals aws:PrincipalOrgID`" + `, and name the role that may ` +
		`assume instead of the account root where you can. If the account is the role's own, suppress the finding ` +
		`with its reason.`,
	FixTerraform: `resource "aws_iam_role" "vendor" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Condition = { StringEquals = { "sts:ExternalId" = var.vendor_external_id } }
    }]
  })
}`,
	FixCloudFormation: `VendorRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Principal:
            AWS: arn:aws:iam::111122223333:root
          Condition:
            StringEquals:
              sts:ExternalId: !Ref VendorExternalId`,
	References: []string{
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid",
	},
	Check: checkIAMRoleTrustCrossAccount,
}

// crossAccountGuards are the condition keys that make a cross-account
// trust narrower than the whole other account.
var crossAccountGuards = []string{"sts:ExternalId", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn", "aws:SourceIdentity"}

func checkIAMRoleTrustCrossAccount(pass *Pass) error {
	var attached map[*graph.Resource][]*graph.Resource // built when first needed
	eachTrustStatement(pass, func(r *graph.Resource, p *graph.Policy, s *iam.Statement, where string, related []Related) {
		if !s.Allows() || s.Principal == nil || s.Principal.Public() || grantsAssume(s) != iam.Yes || s.ConditionUnknown {
			return
		}
		for _, k := range crossAccountGuards {
			for _, c := range s.Condition(k) {
				if !c.Negated() {
					return
				}
			}
		}
		ro := r.Facets.Role()
		for _, pr := range s.Principal.AWS.Values {
			acct := iam.AccountOf(pr)
			if acct == "" || (ro.ARN.State == graph.Set && acct == iam.AccountOf(ro.ARN.V)) || r.Account.Is(acct) {
				continue // no account, or the role's own
			}
			f := Finding{Resource: r, Range: p.Range, Related: related, Message: fmt.Sprintf(
				"%s trusts account %s (%q) in %s of %s without sts:ExternalId or aws:PrincipalOrgID: whoever that account lets call sts:AssumeRole gets the role",
				r.Addr, acct, pr, stmtName(s), where)}
			if attached == nil {
				attached = attachedPolicies(pass.Graph)
			}
			if roleIsAdmin(pass, r, attached) {
				f.Severity = High
				f.Message += ", and the role has administrator rights"
			}
			pass.Report(f)
			return
		}
	})
	return nil
}
