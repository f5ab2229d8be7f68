package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// orgWideServices are the service principals whose delegated
// administrator can act in every member account: deploy into them, or
// grant people access to them.
var orgWideServices = map[string]string{
	"member.org.stacksets.cloudformation.amazonaws.com": "deploy CloudFormation StackSets into every member account",
	"stacksets.cloudformation.amazonaws.com":            "deploy CloudFormation StackSets into every member account",
	"sso.amazonaws.com":                                 "assign IAM Identity Center permission sets in every member account",
	"account.amazonaws.com":                             "change the contact and Region settings of every member account",
	"backup.amazonaws.com":                              "manage AWS Backup policies and vaults across the organization",
}

// DelegatedAdmin reads a delegated administrator registration: the
// service principal and the account; ok is false for other resources and
// for a registration whose service cannot be known.
func DelegatedAdmin(r *graph.Resource) (service string, acct graph.Value[string], ok bool) {
	switch r.Addr.Type {
	case "aws_guardduty_organization_admin_account":
		return "guardduty.amazonaws.com", r.StringAttr("admin_account_id"), true
	case "aws_securityhub_organization_admin_account":
		return "securityhub.amazonaws.com", r.StringAttr("admin_account_id"), true
	case "aws_detective_organization_admin_account":
		return "detective.amazonaws.com", r.StringAttr("account_id"), true
	case "aws_macie2_organization_admin_account":
		return "macie.amazonaws.com", r.StringAttr("admin_account_id"), true
	case "AWS::SecurityHub::DelegatedAdmin":
		return "securityhub.amazonaws.com", r.StringAttr("AdminAccountId"), true
	case "aws_organizations_delegated_administrator":
		svc := r.StringAttr("service_principal")
		return svc.V, r.StringAttr("account_id"), svc.State == graph.Set
	}
	return "", graph.Value[string]{}, false
}

// LZDelegatedAdministrator flags delegated administrators that concentrate
// organization-wide power: the management account itself, or an account
// that can deploy into or grant access to every member account.
var LZDelegatedAdministrator = Rule{
	ID:        "SDR-LZ-005",
	Slug:      "lz-delegated-administrator-org-wide",
	Title:     "Delegated administrator is the management account, or can act in every member account",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1484.002", "T1078.004"},
	Rationale: `Delegating a service's administration to a member account moves power out of the management account — ` +
		`which is the point — but the delegate inherits that power over the whole organization. An account delegated ` +
		`for StackSets can deploy a role into every account; one delegated for IAM Identity Center can grant itself ` +
		`administrator access everywhere: it is as sensitive as the management account and needs the same few ` +
		`occupants and guardrails. Registering the management account itself as the delegate of a security service ` +
		`defeats the separation: the security tooling then lives beside the organization's keys, and its findings are ` +
		`administered by the account they should watch.`,
	Remediation: `Delegate security services (GuardDuty, Security Hub, Detective, Macie) to a dedicated security tooling ` +
		`account, never to the management account. Treat an account delegated for StackSets, IAM Identity Center or ` +
		`Backup as management-equivalent: no workloads, the strictest SCPs, few principals; or keep these functions in ` +
		`the management account if no team needs them elsewhere.`,
	FixTerraform: `resource "aws_guardduty_organization_admin_account" "security" {
  admin_account_id = "222233334444" # the security tooling account, not the management account
}`,
	FixCloudFormation: `# CloudFormation has no resource that registers an Organizations delegated
# administrator; register the security tooling account with the CLI:
#   aws organizations register-delegated-administrator \
#     --account-id 222233334444 --service-principal guardduty.amazonaws.com
Resources: {}`,
	References: []string{
		"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html",
		"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html",
		"https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/security-tooling.html",
	},
	Check: func(pass *Pass) error {
		m, hasOrg := pass.Graph.Management()
		for _, r := range pass.Graph.Resources {
			svc, acct, ok := DelegatedAdmin(r)
			if !ok || r.Addr.Mode != graph.Managed {
				continue
			}
			rg := r.AttrRange("account_id")
			if acct.State != graph.Absent {
				rg = acct.Range
			}
			if acct.State == graph.Set && hasOrg && m.Account.Is(acct.V) {
				pass.Report(Finding{Resource: r, Range: rg, Related: []Related{{Range: m.Org.Range, Message: "the organization", Address: m.Org.Addr.String()}},
					Message: fmt.Sprintf("%s makes the management account (%s) the delegated administrator of %s: the service's administration stays beside the organization's keys", r.Addr, acct.V, svc)})
				continue
			}
			if what, wide := orgWideServices[strings.ToLower(svc)]; wide {
				who := "an account that cannot be known statically"
				if acct.State == graph.Set {
					who = "account " + acct.V
				}
				pass.Report(Finding{Resource: r, Range: rg, Message: fmt.Sprintf(
					"%s lets %s %s: it is as sensitive as the management account", r.Addr, who, what)})
			}
		}
		return nil
	},
}
