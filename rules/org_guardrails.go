package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// The organization guardrail rules read the SCP answer the org pass
// computed for every root, OU and account. There is one rule per control
// rather than one per action: the actions of a control are denied
// together by one statement, share a remediation, and a user who accepts
// the risk of one control suppresses one rule on one node, while the
// finding's message names each action that is left open and the path it
// was evaluated along.

// orgControl is one guardrail: the actions an SCP must deny, and which
// conditional denies count as protection.
type orgControl struct {
	what    string
	actions []string
	// enough says whether a conditional Deny protects: sharing is guarded
	// by a deny unless the grantee is in the organization, the root user
	// by a deny that names it. Nil: a conditional deny is partial.
	enough func(*iam.Statement) bool
	// relative: report a node only when a sibling has the control (the
	// organization denies it elsewhere, so its absence here is a gap
	// rather than a choice).
	relative bool
	// denyOnly: only a Deny protects; an action outside an allow list
	// does not count (the root user control, whose action "*" no allow
	// list names).
	denyOnly bool
	// label names the action in messages when its name alone would not
	// say what is missing ("*" for the root user).
	label string
}

func checkOrgControl(c orgControl) func(*Pass) error {
	return func(pass *Pass) error {
		type verdict struct {
			open, partial, unsure []string
		}
		verdicts := map[*graph.Resource]verdict{}
		var nodes []*graph.Resource
		for _, r := range pass.Graph.Resources {
			n := r.Facets.OrgNode()
			if n == nil {
				continue
			}
			nodes = append(nodes, r)
			var v verdict
			for _, act := range c.actions {
				gd := evalGuard(n, act, c.enough, c.denyOnly)
				a := act
				if c.label != "" {
					a = c.label
				}
				switch gd.Status {
				case graph.GuardOpen:
					v.open = append(v.open, a)
				case graph.GuardPartial:
					d := gd.Conditional[0]
					v.partial = append(v.partial, fmt.Sprintf("%s (denied by %s at %s only %s)", a, d.SCP.Addr, d.Level, describeLimits(d.Statement)))
				case graph.GuardUndetermined:
					v.unsure = append(v.unsure, fmt.Sprintf("%s (%s)", a, gd.Uncertain))
				}
			}
			verdicts[r] = v
		}
		for _, r := range nodes {
			n := r.Facets.OrgNode()
			v := verdicts[r]
			if c.relative && len(v.open)+len(v.partial)+len(v.unsure) > 0 && !siblingProtected(r, nodes, func(s *graph.Resource) bool {
				w := verdicts[s]
				return len(w.open)+len(w.partial)+len(w.unsure) == 0
			}) {
				continue
			}
			switch {
			case len(v.open) > 0:
				msg := fmt.Sprintf("%s (%s) is not protected against %s: no SCP along %s denies %s", r.Addr, n.Kind, c.what, n.Path(), strings.Join(v.open, ", "))
				if len(v.partial) > 0 {
					msg += "; only partly denied: " + strings.Join(v.partial, "; ")
				}
				pass.Reportf(r, r.Range, "%s", msg)
			case len(v.partial) > 0:
				pass.Report(Finding{Resource: r, Range: r.Range, Severity: Low, Message: fmt.Sprintf(
					"%s (%s) is only partly protected against %s along %s: %s", r.Addr, n.Kind, c.what, n.Path(), strings.Join(v.partial, "; "))})
			case len(v.unsure) > 0:
				pass.Notef(r, r.Range, "cannot tell whether %s (%s) is protected against %s: %s", r.Addr, n.Kind, c.what, strings.Join(v.unsure, "; "))
			}
		}
		return nil
	}
}

// evalGuard is the SCP answer for action at n as a control counts it:
// with denyOnly, an action merely outside an allow list is not denied;
// with enough, a conditional Deny that enough accepts protects.
func evalGuard(n *graph.OrgNode, action string, enough func(*iam.Statement) bool, denyOnly bool) graph.Guard {
	gd := n.Evaluate(action)
	if denyOnly && gd.Status == graph.GuardDenied && gd.Deny == nil {
		switch {
		case len(gd.Conditional) > 0:
			gd.Status = graph.GuardPartial
		case gd.Uncertain != "":
			gd.Status = graph.GuardUndetermined
		default:
			gd.Status = graph.GuardOpen
		}
	}
	if gd.Status == graph.GuardPartial && enough != nil {
		for _, d := range gd.Conditional {
			if enough(d.Statement) {
				gd.Status = graph.GuardDenied
				break
			}
		}
	}
	return gd
}

// siblingProtected reports whether another node with the same parent has
// the control.
func siblingProtected(r *graph.Resource, nodes []*graph.Resource, has func(*graph.Resource) bool) bool {
	parent := func(x *graph.Resource) *graph.Resource {
		ls := x.Facets.OrgNode().Levels
		if len(ls) < 2 {
			return nil
		}
		return ls[len(ls)-2].Node
	}
	p := parent(r)
	if p == nil {
		return false
	}
	for _, s := range nodes {
		if s != r && parent(s) == p && has(s) {
			return true
		}
	}
	return false
}

// describeLimits says what limits a Deny statement: its conditions and
// the resources it names.
func describeLimits(s *iam.Statement) string {
	var parts []string
	for _, c := range s.Conditions {
		parts = append(parts, fmt.Sprintf("%s %s %s", c.Operator, c.Key, strings.Join(c.Values, ",")))
	}
	if s.ConditionUnknown {
		parts = append(parts, "an unknown condition")
	}
	if s.AllResources() != iam.Yes && len(s.Resource.Values) > 0 {
		parts = append(parts, "on "+strings.Join(s.Resource.Values, ","))
	}
	if len(parts) == 0 {
		return "under limits that cannot be read"
	}
	return "when " + strings.Join(parts, " and ")
}

// restrictsToOrg accepts a conditional deny of sharing that applies to
// every grantee outside a known list: StringNotEquals on ec2:Add/userId,
// the account a snapshot or image is shared with. A condition on the
// caller (aws:PrincipalOrgID) or on the resource (aws:ResourceOrgID) says
// nothing of the grantee, and RDS has no grantee key, so those stay
// partial.
func restrictsToOrg(s *iam.Statement) bool {
	for _, c := range s.Conditions {
		if c.Negated() && strings.EqualFold(c.Key, "ec2:Add/userId") {
			return true
		}
	}
	return false
}

// namesRoot accepts a deny whose condition matches the root user.
func namesRoot(s *iam.Statement) bool {
	for _, c := range s.Condition("aws:PrincipalArn") {
		if c.Negated() {
			continue
		}
		for _, v := range c.Values {
			if strings.HasSuffix(v, ":root") {
				return true
			}
		}
	}
	return false
}

const orgFixCloudFormation = `Guardrails:
  Type: AWS::Organizations::Policy
  Properties:
    Name: guardrails
    Type: SERVICE_CONTROL_POLICY
    TargetIds: [!Ref Workloads]
    Content:
      Version: "2012-10-17"
      Statement:
        - Sid: Guardrails
          Effect: Deny
          Action:
            - organizations:LeaveOrganization
            - cloudtrail:StopLogging
            - cloudtrail:DeleteTrail
            - cloudtrail:UpdateTrail
            - cloudtrail:PutEventSelectors
            - guardduty:DeleteDetector
            - guardduty:UpdateDetector
            - guardduty:DisassociateFromMasterAccount
            - guardduty:DisassociateFromAdministratorAccount
            - config:DeleteConfigurationRecorder
            - config:StopConfigurationRecorder
            - config:DeleteDeliveryChannel
            - securityhub:DisableSecurityHub
            - access-analyzer:DeleteAnalyzer
            - s3:PutAccountPublicAccessBlock
            - ec2:ModifyInstanceMetadataDefaults
          Resource: "*"
        - Sid: NoSharingOutsideTheOrganization
          Effect: Deny
          Action:
            - ec2:ModifySnapshotAttribute
            - ec2:ModifyImageAttribute
            - rds:ModifyDBSnapshotAttribute
          Resource: "*"
        - Sid: NoRootUser
          Effect: Deny
          Action: "*"
          Resource: "*"
          Condition:
            ArnLike:
              aws:PrincipalArn: arn:aws:iam::*:root
        - Sid: NoIAMUsers
          Effect: Deny
          Action: [iam:CreateUser, iam:CreateAccessKey]
          Resource: "*"`

const orgFixTerraform = `resource "aws_organizations_policy" "guardrails" {
  name = "guardrails"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Guardrails"
        Effect = "Deny"
        Action = [
          "organizations:LeaveOrganization",
          "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
          "guardduty:DeleteDetector", "guardduty:UpdateDetector",
          "guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateFromAdministratorAccount",
          "config:DeleteConfigurationRecorder", "config:StopConfigurationRecorder", "config:DeleteDeliveryChannel",
          "securityhub:DisableSecurityHub", "access-analyzer:DeleteAnalyzer",
          "s3:PutAccountPublicAccessBlock", "ec2:ModifyInstanceMetadataDefaults",
        ]
        Resource = "*"
      },
      {
        Sid      = "NoSharingOutsideTheOrganization"
        Effect   = "Deny"
        Action   = ["ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "rds:ModifyDBSnapshotAttribute"]
        Resource = "*"
      },
      {
        Sid       = "NoRootUser"
        Effect    = "Deny"
        Action    = "*"
        Resource  = "*"
        Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
      },
      {
        Sid      = "NoIAMUsers"
        Effect   = "Deny"
        Action   = ["iam:CreateUser", "iam:CreateAccessKey"]
        Resource = "*"
      },
    ]
  })
}

# Attach at the root to cover every OU and account.
resource "aws_organizations_policy_attachment" "guardrails" {
  policy_id = aws_organizations_policy.guardrails.id
  target_id = aws_organizations_organization.org.roots[0].id
}`

var orgReferences = []string{
	"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
	"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html",
	"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples.html",
}

const orgRemediation = `Attach a service control policy that denies these actions to the organization's root (or to every OU ` +
	`on the path), so that no principal in a member account — not even its administrators — can perform them. ` +
	`Exempt a break-glass role with a ` + "`StringNotLike aws:PrincipalArn`" + ` condition if you need one; that ` +
	`condition makes the deny partial, and this rule says so at low severity.`

// OrgLeaveOrganization flags nodes whose accounts may leave the
// organization.
var OrgLeaveOrganization = Rule{
	ID:        "SDR-ORG-001",
	Slug:      "org-scp-leave-organization-not-denied",
	Title:     "Accounts may leave the organization: no SCP denies organizations:LeaveOrganization",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Tampering, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1666", "T1562.001"},
	Rationale: `An account that leaves the organization sheds every guardrail at once: its SCPs, its organization ` +
		`trail, delegated GuardDuty and Security Hub, and central billing visibility. An attacker holding ` +
		`administrator credentials in a member account can take it out of the organization and keep it as their ` +
		`own. Only an SCP stops a member account's own administrators.`,
	Remediation:       orgRemediation,
	FixTerraform:      orgFixTerraform,
	FixCloudFormation: orgFixCloudFormation,
	References:        orgReferences,
	Check: checkOrgControl(orgControl{what: "leaving the organization",
		actions: []string{"organizations:LeaveOrganization"}}),
}

// OrgAuditTampering flags nodes whose accounts may stop or alter their
// logging and detection.
var OrgAuditTampering = Rule{
	ID:        "SDR-ORG-002",
	Slug:      "org-scp-audit-tampering-not-denied",
	Title:     "Accounts may stop CloudTrail or disable GuardDuty, Config, Security Hub or Access Analyzer",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation, mappings.Tampering},
	ATTACK:    []string{"T1562.008", "T1562.001"},
	Rationale: `Attackers turn off what would see them first: they stop the trail or change its event selectors, ` +
		`delete the GuardDuty detector or detach it from the administrator account, stop the Config recorder, ` +
		`disable Security Hub, delete the Access Analyzer. IAM policies in the account cannot prevent an ` +
		`administrator of that account from doing so; an SCP can.`,
	Remediation:       orgRemediation,
	FixTerraform:      orgFixTerraform,
	FixCloudFormation: orgFixCloudFormation,
	References:        orgReferences,
	Check: checkOrgControl(orgControl{what: "turning off logging and detection", actions: []string{
		"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
		"guardduty:DeleteDetector", "guardduty:UpdateDetector",
		"guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateFromAdministratorAccount",
		"config:DeleteConfigurationRecorder", "config:StopConfigurationRecorder", "config:DeleteDeliveryChannel",
		"securityhub:DisableSecurityHub", "access-analyzer:DeleteAnalyzer",
	}}),
}

// OrgSharingOutside flags nodes whose accounts may share snapshots and
// images with anyone.
var OrgSharingOutside = Rule{
	ID:        "SDR-ORG-003",
	Slug:      "org-scp-sharing-outside-not-denied",
	Title:     "Accounts may share snapshots and AMIs outside the organization",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure},
	ATTACK:    []string{"T1537"},
	Rationale: `Sharing an EBS snapshot, an AMI or an RDS snapshot with another account — or making it public — ` +
		`copies the data out of reach of every control you own, in one API call that leaves no network trace. ` +
		`An SCP that denies the sharing calls, or denies them unless the grantee is in the organization, closes ` +
		`the path for every account below it.`,
	Remediation: orgRemediation + ` For EBS snapshots and AMIs, a deny of sharing with any account outside a ` +
		`list of the organization's accounts (` + "`StringNotEquals ec2:Add/userId`" + `) counts as protection; RDS ` +
		`snapshot sharing has no grantee condition key and needs an unconditional deny.`,
	FixTerraform:      orgFixTerraform,
	FixCloudFormation: orgFixCloudFormation,
	References: append([]string{
		"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_ec2.html",
	}, orgReferences...),
	Check: checkOrgControl(orgControl{what: "sharing snapshots and images outside the organization",
		actions: []string{"ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "rds:ModifyDBSnapshotAttribute"},
		enough:  restrictsToOrg}),
}

// OrgIAMUsers flags nodes that lack a deny of IAM users and access keys
// that their siblings have.
var OrgIAMUsers = Rule{
	ID:        "SDR-ORG-004",
	Slug:      "org-scp-iam-users-not-denied",
	Title:     "An OU or account may create IAM users or access keys that its siblings deny",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1136.003", "T1098.001"},
	Rationale: `IAM users and their access keys are long-lived credentials: they leak through laptops, CI logs and ` +
		`repositories, and an attacker who creates one keeps access after the door they came through is closed. ` +
		`Organizations that federate identities deny their creation with an SCP; an OU or account that lacks the ` +
		`deny its siblings have is usually one the policy forgot. This rule reports only where the organization ` +
		`denies IAM users elsewhere, since some organizations still need them.`,
	Remediation:       orgRemediation,
	FixTerraform:      orgFixTerraform,
	FixCloudFormation: orgFixCloudFormation,
	References:        orgReferences,
	Check: checkOrgControl(orgControl{what: "creating IAM users and access keys",
		actions: []string{"iam:CreateUser", "iam:CreateAccessKey"}, relative: true}),
}

// OrgRootUser flags nodes whose accounts' root users are not denied.
var OrgRootUser = Rule{
	ID:        "SDR-ORG-005",
	Slug:      "org-scp-root-user-not-denied",
	Title:     "Member accounts' root users are not denied by an SCP",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1078.004"},
	Rationale: `The root user of a member account can do everything IAM policies cannot forbid, and its ` +
		`credentials (an email address and a password reset) are often the least watched in the organization. ` +
		`An SCP that denies every action to ` + "`arn:aws:iam::*:root`" + ` makes a stolen root login useless in ` +
		`member accounts; SCPs do not apply to the management account, whose root needs hardware MFA.`,
	Remediation:       orgRemediation,
	FixTerraform:      orgFixTerraform,
	FixCloudFormation: orgFixCloudFormation,
	References: append([]string{
		"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html",
	}, orgReferences...),
	// The root user is denied by a statement that applies to all actions
	// for the root principal; "*" is the action it must cover.
	Check: checkOrgControl(orgControl{what: "use of the root user", actions: []string{"*"}, enough: namesRoot, denyOnly: true,
		label: "every action (*) to the root user (ArnLike aws:PrincipalArn arn:aws:iam::*:root)"}),
}

// OrgAccountDefaults flags nodes whose accounts may change their S3
// Block Public Access or IMDS defaults.
var OrgAccountDefaults = Rule{
	ID:        "SDR-ORG-006",
	Slug:      "org-scp-account-defaults-not-locked",
	Title:     "Accounts may turn off S3 account Block Public Access or change the IMDS account default",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering},
	ATTACK:    []string{"T1530", "T1552.005"},
	Rationale: `The account-level S3 Block Public Access setting and the account's instance metadata default ` +
		`protect every bucket and instance created later. Whoever can change them can make a bucket public or ` +
		`launch instances that answer IMDSv1 requests without touching the resources' own settings, where a ` +
		`review would look. An SCP keeps the defaults as the platform team set them.`,
	Remediation:       orgRemediation,
	FixTerraform:      orgFixTerraform,
	FixCloudFormation: orgFixCloudFormation,
	References:        orgReferences,
	Check: checkOrgControl(orgControl{what: "changes to account security defaults",
		actions: []string{"s3:PutAccountPublicAccessBlock", "ec2:ModifyInstanceMetadataDefaults"}}),
}
