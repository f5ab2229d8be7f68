package rules

import (
	"fmt"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// identityProviderTypes are IAM identity providers: who they vouch for can
// assume the roles that trust them.
var identityProviderTypes = map[string]string{
	"aws_iam_saml_provider": "SAML provider", "AWS::IAM::SAMLProvider": "SAML provider",
	"aws_iam_openid_connect_provider": "OIDC provider", "AWS::IAM::OIDCProvider": "OIDC provider",
}

// LZIdentityProviderManagement flags identity providers and federated
// roles in the management account.
var LZIdentityProviderManagement = Rule{
	ID:        "SDR-LZ-002",
	Slug:      "lz-identity-provider-in-management-account",
	Title:     "Identity provider trusted by the organization's management account",
	Severity:  High,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1606.002", "T1199", "T1078.004"},
	Rationale: `A SAML or OIDC provider in the management account lets whoever that provider vouches for sign in to ` +
		`the account that controls the organization. The trust outlives the people and pipelines it was made for: a ` +
		`compromised IdP tenant, a forged SAML assertion (Golden SAML), an OIDC subject left broad, an employee who ` +
		`left but still exists in the IdP. Workforce access to the organization belongs in IAM Identity Center, whose ` +
		`permission sets are reviewed and whose management can be delegated; CI/CD federation belongs in member ` +
		`accounts.`,
	Remediation: `Remove the provider and the roles that trust it from the management account. Give people access ` +
		`through IAM Identity Center permission sets, and CI/CD through OIDC roles in the member accounts it deploys to.`,
	FixTerraform: `# Workforce access through IAM Identity Center instead of a SAML provider
resource "aws_ssoadmin_permission_set" "admins" {
  name             = "OrgAdmins"
  instance_arn     = tolist(data.aws_ssoadmin_instances.this.arns)[0]
  session_duration = "PT1H"
}`,
	FixCloudFormation: `OrgAdmins:
  Type: AWS::SSO::PermissionSet
  Properties:
    Name: OrgAdmins
    InstanceArn: !Ref IdentityCenterInstanceArn
    SessionDuration: PT1H`,
	References: []string{
		"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_best-practices_mgmt-acct.html",
		"https://docs.aws.amazon.com/singlesignon/latest/userguide/what-is.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers.html",
	},
	Check: func(pass *Pass) error {
		m, ok := pass.Graph.Management()
		if !ok {
			return nil
		}
		related := []Related{{Range: m.Org.Range, Message: "the organization", Address: m.Org.Addr.String()}}
		for _, r := range pass.Graph.Resources {
			if r.Addr.Mode != graph.Managed || !m.Holds(r) {
				continue
			}
			if kind, ok := identityProviderTypes[r.Addr.Type]; ok {
				pass.Report(Finding{Resource: r, Range: r.Range, Related: related, Message: fmt.Sprintf(
					"%s (%s) is in the management account: whoever it vouches for can be given a role in the account that controls the organization", r.Addr, kind)})
				continue
			}
			ro := r.Facets.Role()
			if ro == nil || !ro.Trust.Known() {
				continue
			}
			for i := range ro.Trust.Doc.Statements {
				s := &ro.Trust.Doc.Statements[i]
				if !s.Allows() || s.Principal == nil || !s.Principal.Federated.Present || grantsAssume(s) != iam.Yes {
					continue
				}
				idp := "an identity provider whose ARN is known only after deployment"
				if vs := s.Principal.Federated.Values; len(vs) > 0 {
					idp = "the identity provider " + vs[0]
				}
				pass.Report(Finding{Resource: r, Range: ro.Trust.Range, Related: related, Message: fmt.Sprintf(
					"%s in the management account trusts %s: whoever it vouches for gets a role in the account that controls the organization",
					r.Addr, idp)})
				break
			}
		}
		return nil
	},
}
