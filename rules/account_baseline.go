package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// The account baseline rules report, in code that defines an AWS
// organization or account, a detective control that no resource of the
// scanned code provides. They report once, on the organization when the
// code defines one, else on each account.

// baselineSubjects are the resources to report a missing control on.
func baselineSubjects(g *graph.Graph) []*graph.Resource {
	var orgs, accounts []*graph.Resource
	for _, r := range g.Resources {
		if a := r.Facets.Account(); a != nil {
			if a.Kind == "organization" {
				orgs = append(orgs, r)
			} else {
				accounts = append(accounts, r)
			}
		}
	}
	if len(orgs) > 0 {
		return orgs[:1]
	}
	return accounts
}

// hasDetector reports whether the graph enables service somewhere; a
// detector whose enablement is unknown counts, as it may well be on.
func hasDetector(g *graph.Graph, service string) bool {
	for _, r := range g.Resources {
		if d := r.Facets.Detector(); d != nil && d.Service == service && !d.Enabled.Is(false) {
			return true
		}
	}
	return false
}

func checkBaseline(pass *Pass, present bool, what string) {
	if present {
		return
	}
	for _, r := range baselineSubjects(pass.Graph) {
		pass.Reportf(r, r.Range, "%s defines an %s, but no %s in the scanned code", r.Addr, r.Facets.Account().Kind, what)
	}
}

// CloudTrailAbsent flags code that defines an account or organization
// but no trail.
var CloudTrailAbsent = Rule{
	ID:        "SDR-CT-004",
	Slug:      "cloudtrail-absent",
	Title:     "Account or organization defined without a CloudTrail trail",
	Severity:  High,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation},
	ATTACK:    []string{"T1562.008", "T1078.004"},
	Rationale: `Without a trail, API activity is kept only in the 90-day CloudTrail event history, for management ` +
		`events, in one region at a time, with no copy the account's own administrators cannot reach. After a ` +
		`compromise nobody can establish which credentials did what, when and from where. Code that creates an ` +
		`organization or its accounts is where the organization trail belongs; when it is created by another ` +
		`pipeline (Control Tower, a separate security stack), this rule's finding is answered by saying so.`,
	Remediation: `Create a multi-region organization trail (` + "`is_organization_trail = true`" + `) with log file ` +
		`validation, KMS encryption, and delivery to a bucket in a dedicated log-archive account.`,
	FixTerraform: `resource "aws_cloudtrail" "org" {
  name                       = "org"
  s3_bucket_name             = "org-trail-logs-111122223333"
  is_organization_trail      = true
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.trail.arn
}`,
	FixCloudFormation: `OrgTrail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: org-trail-logs-111122223333
    IsLogging: true
    IsOrganizationTrail: true
    IsMultiRegionTrail: true
    EnableLogFileValidation: true
    KMSKeyId: !GetAtt TrailKey.Arn`,
	References: []string{
		"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html",
		"https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html",
	},
	Check: func(pass *Pass) error {
		present := false
		for _, r := range pass.Graph.Resources {
			if t := r.Facets.Trail(); t != nil && !t.Logging.Is(false) {
				present = true
			}
		}
		checkBaseline(pass, present, "CloudTrail trail that is logging")
		return nil
	},
}

// GuardDutyAbsent flags code that defines an account or organization but
// enables no GuardDuty detector.
var GuardDutyAbsent = Rule{
	ID:        "SDR-GD-001",
	Slug:      "guardduty-absent",
	Title:     "Account or organization defined without GuardDuty",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation, mappings.Spoofing},
	ATTACK:    []string{"T1562.001", "T1078.004"},
	Rationale: `GuardDuty is the managed detector for the threats this guide keeps returning to: instance credentials ` +
		`used from outside AWS, crypto-mining, calls from Tor or known-bad addresses, disabled logging, unusual S3 ` +
		`access. Without a detector none of these raises an alert, and a compromise is found — if at all — from the ` +
		`bill. Code that defines an organization or account is where the detector (and its delegated administrator) ` +
		`belongs.`,
	Remediation: `Enable a GuardDuty detector in every account and region, with a delegated administrator ` +
		`(` + "`aws_guardduty_organization_admin_account`" + `) that auto-enables member accounts.`,
	FixTerraform: `resource "aws_guardduty_detector" "main" {
  enable = true
}`,
	FixCloudFormation: `Detector:
  Type: AWS::GuardDuty::Detector
  Properties:
    Enable: true`,
	References: []string{
		"https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html",
		"https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html",
	},
	Check: func(pass *Pass) error {
		checkBaseline(pass, hasDetector(pass.Graph, "GuardDuty"), "GuardDuty detector is enabled")
		return nil
	},
}

// ConfigAbsent flags code that defines an account or organization but no
// AWS Config recorder.
var ConfigAbsent = Rule{
	ID:        "SDR-CONFIG-001",
	Slug:      "config-recorder-absent",
	Title:     "Account or organization defined without AWS Config recording",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation, mappings.Tampering},
	ATTACK:    []string{"T1562.008", "T1578"},
	Rationale: `AWS Config records every change to every resource: who opened a security group, when a bucket ` +
		`became public, what a role's policy was last Tuesday. Without a recorder there is no configuration history ` +
		`to investigate with, and Security Hub and Config rules cannot evaluate compliance. Code that defines an ` +
		`organization or account is where the recorder belongs.`,
	Remediation: `Create a configuration recorder recording all resource types, a delivery channel to the log-archive ` +
		`account, and start it (` + "`aws_config_configuration_recorder_status`" + `).`,
	FixTerraform: `resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = aws_iam_role.config.arn
  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}`,
	FixCloudFormation: `Recorder:
  Type: AWS::Config::ConfigurationRecorder
  Properties:
    RoleARN: !GetAtt ConfigRole.Arn
    RecordingGroup:
      AllSupported: true
      IncludeGlobalResourceTypes: true`,
	References: []string{
		"https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1",
	},
	Check: func(pass *Pass) error {
		checkBaseline(pass, hasDetector(pass.Graph, "AWS Config"), "AWS Config configuration recorder")
		return nil
	},
}
