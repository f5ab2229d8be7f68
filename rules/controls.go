package rules

import (
	"cmp"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
)

// Control is one guardrail of the landing-zone control set: the actions a
// service control policy must deny for an OU or account to have it. The
// organization guardrail rules group these into findings; the audit
// reports each control's status per OU and account.
type Control struct {
	// ID is stable: "leave-org", "cloudtrail-tamper", …
	ID    string
	Title string
	// Actions are the actions that must all be denied.
	Actions []string
	// Enough accepts a conditional Deny as protection (a deny of sharing
	// unless the grantee is in a known list, a deny of the root user);
	// nil: a conditional deny is partial.
	Enough func(*iam.Statement) bool
	// DenyOnly: an action merely outside an allow list does not count.
	DenyOnly bool
}

// ControlStatus is how a node stands against one control.
type ControlStatus string

// Control statuses.
const (
	// Enforced: every action is denied along the node's path.
	Enforced ControlStatus = "enforced"
	// Missing: no action is denied, even conditionally.
	Missing ControlStatus = "missing"
	// Partial: some actions are denied, or denied only under conditions.
	Partial ControlStatus = "partial"
	// Undetermined: a policy, attachment or parent that decides it cannot
	// be read.
	Undetermined ControlStatus = "undetermined"
)

// ControlResult is a control's status at one node and the policies that
// make it.
type ControlResult struct {
	Status ControlStatus
	// Via are the SCPs whose statements deny the control's actions, in
	// address order.
	Via []*graph.Resource
	// Why says what could not be known, for Undetermined.
	Why string
}

// Evaluate computes the control's status at n.
func (c Control) Evaluate(n *graph.OrgNode) ControlResult {
	var out ControlResult
	denied, partial, unsure := 0, 0, 0
	for _, act := range c.Actions {
		gd := evalGuard(n, act, c.Enough, c.DenyOnly)
		if gd.Deny != nil {
			out.Via = append(out.Via, gd.Deny.SCP)
		}
		for _, d := range gd.Conditional {
			out.Via = append(out.Via, d.SCP)
		}
		switch gd.Status {
		case graph.GuardDenied:
			denied++
		case graph.GuardPartial:
			partial++
		case graph.GuardUndetermined:
			unsure++
			if out.Why == "" {
				out.Why = gd.Uncertain
			}
		}
	}
	slices.SortFunc(out.Via, func(a, b *graph.Resource) int { return cmp.Compare(a.Key(), b.Key()) })
	out.Via = slices.Compact(out.Via)
	switch {
	case denied == len(c.Actions):
		out.Status = Enforced
	case unsure > 0:
		out.Status = Undetermined
	case denied+partial > 0:
		out.Status = Partial
	default:
		out.Status = Missing
	}
	return out
}

// regionRestricted accepts a conditional deny that applies outside a list
// of regions: a negated condition on aws:RequestedRegion.
func regionRestricted(s *iam.Statement) bool {
	for _, c := range s.Condition("aws:RequestedRegion") {
		if c.Negated() && !c.Unknown && len(c.Values) > 0 {
			return true
		}
	}
	return false
}

// Controls returns the landing-zone control set in a fixed order.
func Controls() []Control {
	return []Control{
		{ID: "leave-org", Title: "Leave the organization", Actions: []string{"organizations:LeaveOrganization"}},
		{ID: "cloudtrail-tamper", Title: "Stop, delete or change CloudTrail", Actions: []string{
			"cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"}},
		{ID: "guardduty-disable", Title: "Disable GuardDuty", Actions: []string{
			"guardduty:DeleteDetector", "guardduty:UpdateDetector",
			"guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateFromAdministratorAccount"}},
		{ID: "config-disable", Title: "Stop AWS Config", Actions: []string{
			"config:DeleteConfigurationRecorder", "config:StopConfigurationRecorder", "config:DeleteDeliveryChannel"}},
		{ID: "securityhub-disable", Title: "Disable Security Hub", Actions: []string{"securityhub:DisableSecurityHub"}},
		{ID: "access-analyzer-delete", Title: "Delete IAM Access Analyzer", Actions: []string{"access-analyzer:DeleteAnalyzer"}},
		{ID: "snapshot-ami-share", Title: "Share snapshots and AMIs outside the organization", Actions: []string{
			"ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "rds:ModifyDBSnapshotAttribute"}, Enough: restrictsToOrg},
		{ID: "iam-user-keys", Title: "Create IAM users and access keys", Actions: []string{"iam:CreateUser", "iam:CreateAccessKey"}},
		// The root user is denied by a statement over every action for
		// the root principal.
		{ID: "root-user", Title: "Use the root user", Actions: []string{"*"}, Enough: namesRoot, DenyOnly: true},
		{ID: "s3-account-pab", Title: "Change S3 account Block Public Access", Actions: []string{"s3:PutAccountPublicAccessBlock"}},
		{ID: "imds-default", Title: "Change the account IMDS default", Actions: []string{"ec2:ModifyInstanceMetadataDefaults"}},
		// Region restriction is a Deny with NotAction (the global
		// services) and StringNotEquals aws:RequestedRegion; a regional
		// action of each kind of workload stands for all of them.
		{ID: "region-restrict", Title: "Act outside the approved regions", Actions: []string{
			"ec2:RunInstances", "lambda:CreateFunction", "rds:CreateDBInstance", "s3:CreateBucket"}, Enough: regionRestricted},
	}
}

// LookupControl finds a control by ID.
func LookupControl(id string) (Control, bool) {
	for _, c := range Controls() {
		if strings.EqualFold(c.ID, id) {
			return c, true
		}
	}
	return Control{}, false
}
