package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// LZNewAccountBaseline flags accounts the tree creates that start without
// guardrails or without the organization's trail.
var LZNewAccountBaseline = Rule{
	ID:        "SDR-LZ-004",
	Slug:      "lz-new-account-without-baseline",
	Title:     "Account created by the code starts without SCP guardrails or the organization trail",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1562.008", "T1078.004"},
	Rationale: `An account vended by the organization is usable the moment it exists. If no service control policy ` +
		`denies anything along its OU path, its first administrators — and whoever steals their credentials — can ` +
		`leave the organization, stop logging and share data out before the baseline arrives; if the organization's ` +
		`trail is not an organization trail, the account's activity is recorded nowhere until someone creates a trail ` +
		`in it. This rule reports an account the code creates when nothing on its path denies any action, or when the ` +
		`code defines trails but none is an organization trail (without any trail, the CloudTrail baseline rule ` +
		`already reports the organization).`,
	Remediation: `Create accounts under an OU whose SCPs carry the baseline guardrails (or attach them at the root), ` +
		`and make the organization's trail an organization trail so that it records every account from the moment it ` +
		`exists. With Account Factory, give each OU its controls before vending into it.`,
	FixTerraform: `resource "aws_organizations_account" "team" {
  name      = "team"
  email     = "aws+team@example.com"
  parent_id = aws_organizations_organizational_unit.workloads.id # an OU with guardrail SCPs
}

resource "aws_cloudtrail" "org" {
  name                  = "org"
  s3_bucket_name        = "org-trail-logs-111122223333"
  is_organization_trail = true
  is_multi_region_trail = true
}`,
	FixCloudFormation: `Team:
  Type: AWS::Organizations::Account
  Properties:
    AccountName: team
    Email: aws+team@example.com
    ParentIds: [!Ref Workloads] # an OU with guardrail SCPs
OrgTrail:
  Type: AWS::CloudTrail::Trail
  Properties:
    IsLogging: true
    S3BucketName: org-trail-logs-111122223333
    IsOrganizationTrail: true
    IsMultiRegionTrail: true`,
	References: []string{
		"https://docs.aws.amazon.com/controltower/latest/userguide/account-factory.html",
		"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
		"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html",
	},
	Check: checkLZNewAccountBaseline,
}

func checkLZNewAccountBaseline(pass *Pass) error {
	trails, orgTrail := 0, false
	for _, r := range pass.Graph.Resources {
		if t := r.Facets.Trail(); t != nil && !t.Logging.Is(false) {
			trails++
			// An unknown flag may well be an organization trail.
			orgTrail = orgTrail || t.Organization.State == graph.Unknown || t.Organization.Is(true)
		}
	}
	for _, r := range pass.Graph.Resources {
		n := r.Facets.OrgNode()
		if n == nil || n.Kind != graph.OrgAccount || r.Addr.Mode != graph.Managed {
			continue
		}
		var missing []string
		switch guardrails(n) {
		case graph.GuardOpen:
			missing = append(missing, "no SCP along "+n.Path()+" denies any action")
		case graph.GuardUndetermined:
			pass.Notef(r, r.Range, "cannot tell whether %s starts with SCP guardrails: %s", r.Addr, undeterminedWhy(n))
		}
		if trails > 0 && !orgTrail {
			missing = append(missing, "none of the code's trails is an organization trail, so nothing records its activity")
		}
		if len(missing) > 0 {
			pass.Reportf(r, r.Range, "%s creates an account without its baseline: %s", r.Addr, strings.Join(missing, "; "))
		}
	}
	return nil
}

// guardrails says whether some SCP along n's path denies something:
// GuardDenied when one does, GuardOpen when none does, GuardUndetermined
// when a policy, attachment or parent on the path cannot be read.
func guardrails(n *graph.OrgNode) graph.GuardStatus {
	unsure := !n.PathComplete || len(n.Floating) > 0
	for _, l := range n.Levels {
		if !l.FullAWSAccess {
			// An allow list in place of FullAWSAccess restricts what is
			// not on it.
			return graph.GuardDenied
		}
		if l.Unresolved > 0 {
			unsure = true
		}
		for _, scp := range l.SCPs {
			p := scp.Facets.SCP().Policy
			if !p.Known() {
				unsure = true
				continue
			}
			unsure = unsure || p.Doc.Unknown
			for i := range p.Doc.Statements {
				s := &p.Doc.Statements[i]
				if s.Effect == "Deny" {
					return graph.GuardDenied
				}
				unsure = unsure || s.EffectUnknown
			}
		}
	}
	if unsure {
		return graph.GuardUndetermined
	}
	return graph.GuardOpen
}

func undeterminedWhy(n *graph.OrgNode) string {
	if !n.PathComplete {
		return n.Gap
	}
	return fmt.Sprintf("a policy along %s cannot be read", n.Path())
}
