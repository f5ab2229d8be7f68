package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// archiveWrites are the bucket actions that rewrite, delete or unprotect
// archived logs.
var archiveWrites = []string{
	"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy",
	"s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketObjectLockConfiguration",
	"s3:BypassGovernanceRetention", "s3:DeleteBucket",
}

// LZLogArchiveTamperable flags an organization trail's bucket that the
// archive account alone does not control.
var LZLogArchiveTamperable = Rule{
	ID:        "SDR-LZ-003",
	Slug:      "lz-log-archive-tamperable",
	Title:     "Organization trail's log archive can be altered from outside the archive account, or has no Object Lock",
	Severity:  High,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation, mappings.Tampering},
	ATTACK:    []string{"T1070", "T1485", "T1562.008"},
	Rationale: `The organization trail's bucket is the record of everything every account did; it lives in a separate ` +
		`log-archive account so that compromising a workload account, or even the management account, does not let ` +
		`anyone rewrite it. That separation holds only if the archive account alone controls the logs: a bucket policy ` +
		`that lets a principal of another account write, delete or change the policy gives that account the pen; a ` +
		`trail encrypted with a KMS key of another account lets that account make the logs unreadable by disabling or ` +
		`scheduling the deletion of the key; and versioning without S3 Object Lock still lets an administrator of the ` +
		`archive account delete every object version (a bucket with neither is SDR-CT-005's). The bucket is found by the trail's bucket name anywhere in the scanned tree, ` +
		`and the accounts come from the providers and the account conventions; where an account cannot be told, ` +
		`nothing is reported.`,
	Remediation: `Enable Object Lock on the archive bucket (compliance mode with a default retention); let only ` +
		"`cloudtrail.amazonaws.com`" + ` (with ` + "`aws:SourceOrgID`" + `) write to it, and grant other accounts ` +
		`read access at most; encrypt the trail with a KMS key created in the log-archive account, whose key policy ` +
		`that account alone administers.`,
	FixTerraform: `resource "aws_s3_bucket" "trail" {
  bucket              = "org-trail-logs-111122223333"
  object_lock_enabled = true
}

resource "aws_s3_bucket_object_lock_configuration" "trail" {
  bucket = aws_s3_bucket.trail.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 365
    }
  }
}`,
	FixCloudFormation: `TrailBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: org-trail-logs-111122223333
    ObjectLockEnabled: true
    ObjectLockConfiguration:
      ObjectLockEnabled: Enabled
      Rule:
        DefaultRetention:
          Mode: COMPLIANCE
          Days: 365`,
	References: []string{
		"https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html",
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
		"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
	},
	Check: checkLZLogArchive,
}

// TrailBuckets finds the buckets a trail delivers to: the one it
// references, or any bucket of the tree with the name it gives, across
// roots (the log archive is usually another account's root).
func TrailBuckets(g *graph.Graph, trail *graph.Resource) []*graph.Resource {
	var out []*graph.Resource
	if tb := trail.Facets.TrailBucket(); tb != nil && tb.Resolved != nil {
		out = append(out, tb.Resolved)
	}
	name := trail.StringAttr("s3_bucket_name")
	if name.State == graph.Absent {
		name = trail.StringAttr("S3BucketName")
	}
	if name.State == graph.Set {
		for _, r := range g.Resources {
			if r.Addr.Mode != graph.Managed || (r.Addr.Type != "aws_s3_bucket" && r.Addr.Type != "AWS::S3::Bucket") {
				continue
			}
			if r.StringAttr("bucket").Is(name.V) || r.StringAttr("BucketName").Is(name.V) {
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(a, b *graph.Resource) int { return strings.Compare(a.Key(), b.Key()) })
	return slices.Compact(out)
}

// bucketPolicies finds the bucket policies of the tree that apply to
// bucket: by reference in the same scope, or by the bucket's name.
func bucketPolicies(g *graph.Graph, bucket *graph.Resource) []*graph.Resource {
	name := bucket.StringAttr("bucket")
	if name.State == graph.Absent {
		name = bucket.StringAttr("BucketName")
	}
	var out []*graph.Resource
	for _, r := range g.Resources {
		rp := r.Facets.ResourcePolicy()
		if rp == nil || rp.Service != "S3 bucket" {
			continue
		}
		linked := false
		for _, ref := range r.Refs {
			if ref.Attr != "bucket" && ref.Attr != "Bucket" {
				continue
			}
			if slices.Contains(g.ResolveRef(r, ref), bucket) {
				linked = true
			}
		}
		if !linked && name.State == graph.Set {
			linked = r.StringAttr("bucket").Is(name.V) || r.StringAttr("Bucket").Is(name.V)
		}
		if linked {
			out = append(out, r)
		}
	}
	return out
}

func checkLZLogArchive(pass *Pass) error {
	g := pass.Graph
	reported := map[*graph.Resource]bool{}
	for _, trail := range g.Resources {
		t := trail.Facets.Trail()
		if t == nil || !t.Organization.Is(true) {
			continue
		}
		related := []Related{{Range: trail.Range, Message: "the organization trail", Address: trail.Addr.String()}}
		buckets := TrailBuckets(g, trail)
		for _, b := range buckets {
			if reported[b] {
				continue
			}
			reported[b] = true
			var lock graph.Value[bool]
			var versioning graph.Value[string]
			if bp := b.Facets.BucketProtection(); bp != nil {
				lock, versioning = bp.ObjectLock, bp.Versioning
			}
			// Without versioning either, SDR-CT-005 reports the bucket;
			// here the question is whether versioning alone protects a
			// log archive. It does not.
			switch {
			case lock.State == graph.Unknown && versioning.Is("Enabled"):
				pass.Report(Finding{Resource: b, Range: lock.Range, Related: related, Note: true, Message: fmt.Sprintf(
					"cannot tell whether %s, the organization trail's bucket, has Object Lock: the value is known only after apply", b.Addr)})
			case versioning.Is("Enabled") && !lock.Is(true) && lock.State != graph.Unknown:
				pass.Report(Finding{Resource: b, Range: b.Range, Related: related, Message: fmt.Sprintf(
					"%s holds the organization trail's logs with versioning but without Object Lock: an administrator of its account can delete every log version", b.Addr)})
			}
			if b.Account.State != graph.Set {
				continue
			}
			for _, pr := range bucketPolicies(g, b) {
				p := pr.Facets.ResourcePolicy().Policy
				if !p.Known() {
					continue
				}
				if s, who, acts := foreignWriter(p.Doc, b.Account.V); s != nil {
					pass.Report(Finding{Resource: pr, Range: p.Range, Related: related, Message: fmt.Sprintf(
						"%s lets %s (account %s) %s the organization trail's logs in %s, which lives in account %s: that account can rewrite the record of every account",
						pr.Addr, who, iam.AccountOf(who), strings.Join(acts, ", "), b.Addr, b.Account.V)})
				}
			}
			if key := trailKeyAccount(g, trail); key.State == graph.Set && key.V != b.Account.V {
				pass.Report(Finding{Resource: trail, Range: trail.AttrRange(keyAttr(trail)), Related: []Related{{Range: b.Range, Message: "the log archive", Address: b.Addr.String()}},
					Message: fmt.Sprintf("%s encrypts the organization's logs with a KMS key of account %s, not of the log-archive account %s: that account can make the archive unreadable",
						trail.Addr, key.V, b.Account.V)})
			}
		}
	}
	return nil
}

// foreignWriter finds an Allow statement that lets an AWS principal of
// another account than owner write, delete or unprotect objects or the
// bucket, and the actions it grants.
func foreignWriter(d *iam.Document, owner string) (*iam.Statement, string, []string) {
	for i := range d.Statements {
		s := &d.Statements[i]
		if !s.Allows() || s.Principal == nil {
			continue
		}
		var acts []string
		for _, a := range archiveWrites {
			if s.CoversAction(a) == iam.Yes {
				acts = append(acts, a)
			}
		}
		if len(acts) == 0 {
			continue
		}
		for _, pr := range s.Principal.AWS.Values {
			if acct := iam.AccountOf(pr); acct != "" && acct != owner {
				return s, pr, acts
			}
		}
	}
	return nil, "", nil
}

func keyAttr(trail *graph.Resource) string {
	if trail.Format == graph.CloudFormation {
		return "KMSKeyId"
	}
	return "kms_key_id"
}

// trailKeyAccount is the account of the trail's KMS key: the account in
// its ARN, or the account of the key resource it references.
func trailKeyAccount(g *graph.Graph, trail *graph.Resource) graph.Value[string] {
	attr := keyAttr(trail)
	for _, ref := range trail.Refs {
		if ref.Attr != attr {
			continue
		}
		for _, k := range g.ResolveRef(trail, ref) {
			if k.Facets.KMSKey() != nil || k.Facets.KeyDeletion() != nil {
				return k.Account
			}
		}
	}
	v := trail.Facets.Trail().KMSKey
	if v.State != graph.Set {
		return graph.Value[string]{}
	}
	parts := strings.SplitN(v.V, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[2] == "kms" && iam.AccountOf(parts[4]) == parts[4] {
		return graph.Known(parts[4], v.Range)
	}
	return graph.Value[string]{}
}
