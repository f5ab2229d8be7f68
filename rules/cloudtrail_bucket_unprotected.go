package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// CloudTrailBucketUnprotected flags trails whose log bucket, in the
// scanned code, has neither versioning nor Object Lock.
var CloudTrailBucketUnprotected = Rule{
	ID:        "SDR-CT-005",
	Slug:      "cloudtrail-bucket-without-versioning",
	Title:     "CloudTrail log bucket has neither versioning nor Object Lock",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation, mappings.Tampering},
	ATTACK:    []string{"T1070", "T1562.008"},
	Rationale: `An attacker who can write to the trail's bucket can overwrite or delete the log files that record ` +
		`their actions; without versioning the originals are gone. Log file validation detects the gap but cannot ` +
		`restore it. Versioning keeps every overwritten or deleted object as a prior version, and Object Lock in ` +
		`compliance mode makes log files undeletable for their retention period even by administrators.`,
	Remediation: `Enable versioning on the log bucket (` + "`aws_s3_bucket_versioning`" + `, ` +
		"`VersioningConfiguration: {Status: Enabled}`" + `), and Object Lock for logs you must keep immutable; better, ` +
		`deliver to a bucket in a separate log-archive account.`,
	FixTerraform: `resource "aws_s3_bucket" "trail" {
  bucket              = "trail-logs-111122223333"
  object_lock_enabled = true
}

resource "aws_s3_bucket_versioning" "trail" {
  bucket = aws_s3_bucket.trail.id
  versioning_configuration {
    status = "Enabled"
  }
}`,
	FixCloudFormation: `TrailBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration:
      Status: Enabled
    ObjectLockEnabled: true`,
	References: []string{
		"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html",
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
	},
	Check: checkCloudTrailBucketUnprotected,
}

func checkCloudTrailBucketUnprotected(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		tb := r.Facets.TrailBucket()
		if tb == nil || tb.Resolved == nil {
			continue
		}
		bp := tb.Resolved.Facets.BucketProtection()
		var versioning graph.Value[string]
		var lock graph.Value[bool]
		if bp != nil {
			versioning, lock = bp.Versioning, bp.ObjectLock
		}
		if versioning.State == graph.Unknown || lock.State == graph.Unknown ||
			versioning.State == graph.Set && strings.EqualFold(versioning.V, "Enabled") || lock.Is(true) {
			continue
		}
		pass.Report(Finding{Resource: r, Range: tb.Bucket.Range,
			Message: r.Addr.String() + " delivers to bucket " + tb.Resolved.Addr.String() +
				", which has neither versioning nor Object Lock: whoever can write to it can erase the logs for good",
			Related: []Related{{Range: tb.Resolved.Range, Message: "the log bucket", Address: tb.Resolved.Addr.String()}}})
	}
	return nil
}
