package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// The CloudTrail rules share one file: they read the same facet and
// their remediation is the same resource written right.

const trailFixTerraform = `resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.trail.arn
}`

const trailFixCloudFormation = `Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    S3BucketName: !Ref TrailBucket
    IsLogging: true
    IsMultiRegionTrail: true
    IncludeGlobalServiceEvents: true
    EnableLogFileValidation: true
    KMSKeyId: !GetAtt TrailKey.Arn`

// CloudTrailNotMultiRegion flags trails that record one region only.
var CloudTrailNotMultiRegion = Rule{
	ID:        "SDR-CT-001",
	Slug:      "cloudtrail-not-multi-region",
	Title:     "CloudTrail trail records a single region",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation},
	ATTACK:    []string{"T1535", "T1562.008"},
	Rationale: `A single-region trail records API activity in the region it is created in only. Attackers with stolen ` +
		`credentials deliberately work in regions nobody watches — launching crypto-mining instances or creating ` +
		`resources in an unused region — and a single-region trail never sees it. A multi-region trail covers every ` +
		`region, including ones enabled later. A trail that is single-region on purpose, beside a multi-region one ` +
		`elsewhere, is why this rule's precision is medium.`,
	Remediation: `Set ` + "`is_multi_region_trail = true`" + ` (` + "`IsMultiRegionTrail: true`" + `), or rely on an ` +
		`organization trail that is multi-region.`,
	FixTerraform:      trailFixTerraform,
	FixCloudFormation: trailFixCloudFormation,
	References: []string{
		"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-1",
	},
	Check: checkCloudTrailNotMultiRegion,
}

func checkCloudTrailNotMultiRegion(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		t := r.Facets.Trail()
		if t == nil {
			continue
		}
		switch {
		case t.MultiRegion.State == graph.Absent:
			pass.Reportf(r, r.Range, "%s records only the region it is created in: is_multi_region_trail / IsMultiRegionTrail is not set and defaults to false", r.Addr)
		case t.MultiRegion.Is(false):
			pass.Reportf(r, t.MultiRegion.Range, "%s records only the region it is created in: activity in every other region goes unlogged", r.Addr)
		}
	}
	return nil
}

// CloudTrailNoLogValidation flags trails without log file integrity
// validation.
var CloudTrailNoLogValidation = Rule{
	ID:        "SDR-CT-002",
	Slug:      "cloudtrail-log-validation-disabled",
	Title:     "CloudTrail log file validation is disabled",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation, mappings.Tampering},
	ATTACK:    []string{"T1070", "T1562.008"},
	Rationale: `Log file validation makes CloudTrail deliver signed digest files that chain every log file. Without ` +
		`them nobody can prove that a log file was not edited or deleted after delivery, and an attacker with write ` +
		`access to the log bucket can remove the records of what they did without leaving a trace. Investigators and ` +
		`auditors rely on the digests to show the record is complete.`,
	Remediation:       `Set ` + "`enable_log_file_validation = true`" + ` (` + "`EnableLogFileValidation: true`" + `).`,
	FixTerraform:      trailFixTerraform,
	FixCloudFormation: trailFixCloudFormation,
	References: []string{
		"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-4",
	},
	Check: checkCloudTrailNoLogValidation,
}

func checkCloudTrailNoLogValidation(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		t := r.Facets.Trail()
		if t == nil {
			continue
		}
		switch {
		case t.LogValidation.State == graph.Absent:
			pass.Reportf(r, r.Range, "%s does not enable log file validation, which is off by default: changes to delivered logs cannot be detected", r.Addr)
		case t.LogValidation.Is(false):
			pass.Reportf(r, t.LogValidation.Range, "%s disables log file validation: changes to delivered logs cannot be detected", r.Addr)
		}
	}
	return nil
}

// CloudTrailNotKMSEncrypted flags trails whose logs are encrypted with
// S3-managed keys only.
var CloudTrailNotKMSEncrypted = Rule{
	ID:        "SDR-CT-003",
	Slug:      "cloudtrail-not-kms-encrypted",
	Title:     "CloudTrail logs are not encrypted with a KMS key",
	Severity:  Low,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure},
	ATTACK:    []string{"T1530"},
	Rationale: `Without a KMS key CloudTrail logs are encrypted with S3-managed keys, so anyone who may read the log ` +
		`bucket reads the logs: every API call of the account, with principals, source IPs, resource names and request ` +
		`parameters — a map of the environment for an attacker. With SSE-KMS, reading also needs ` +
		"`kms:Decrypt`" + ` on a key whose policy you control, and every decryption is itself logged.`,
	Remediation: `Set ` + "`kms_key_id`" + ` (` + "`KMSKeyId`" + `) to a customer-managed key whose key policy allows ` +
		`CloudTrail to encrypt and only the security team to decrypt.`,
	FixTerraform:      trailFixTerraform,
	FixCloudFormation: trailFixCloudFormation,
	References: []string{
		"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-2",
	},
	Check: checkCloudTrailNotKMSEncrypted,
}

func checkCloudTrailNotKMSEncrypted(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		if t := r.Facets.Trail(); t != nil && t.KMSKey.State == graph.Absent {
			pass.Reportf(r, r.Range, "%s sets no KMS key: its logs are readable by anyone who can read the log bucket", r.Addr)
		}
	}
	return nil
}

// CloudTrailLoggingStopped flags trails that are defined but not
// logging.
var CloudTrailLoggingStopped = Rule{
	ID:        "SDR-CT-006",
	Slug:      "cloudtrail-logging-stopped",
	Title:     "CloudTrail trail is defined but not logging",
	Severity:  High,
	Precision: PrecisionVeryHigh,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation},
	ATTACK:    []string{"T1562.008"},
	Rationale: `A trail with logging turned off (` + "`enable_logging = false`, `IsLogging: false`" + `) records ` +
		`nothing while looking, in a resource list, like the account is covered. Stopping a trail is the first thing ` +
		`an attacker with the permission does; code that stops it does the attacker's work and hides the gap from ` +
		`anyone who only checks that a trail exists.`,
	Remediation: `Set ` + "`enable_logging = true`" + ` (` + "`IsLogging: true`" + `) and deny ` +
		"`cloudtrail:StopLogging`" + ` with an SCP.`,
	FixTerraform:      trailFixTerraform,
	FixCloudFormation: trailFixCloudFormation,
	References: []string{
		"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-turning-off-logging.html",
	},
	Check: func(pass *Pass) error {
		for _, r := range pass.Graph.Resources {
			if t := r.Facets.Trail(); t != nil && t.Logging.Is(false) {
				pass.Reportf(r, t.Logging.Range, "%s is defined with logging turned off: it records nothing", r.Addr)
			}
		}
		return nil
	},
}
