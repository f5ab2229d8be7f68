package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// publicACLs are the canned ACLs that grant access to everyone or to any
// AWS account, in both spellings.
var publicACLs = map[string]string{
	"public-read":        "anyone may list and read",
	"public-read-write":  "anyone may list, read, write and delete",
	"authenticated-read": "every AWS account in the world may list and read",
}

// S3PublicACL flags buckets given a canned ACL that opens them to everyone
// or to every AWS account.
var S3PublicACL = Rule{
	ID:        "SDR-S3-002",
	Slug:      "s3-bucket-public-acl",
	Title:     "S3 bucket has a public canned ACL",
	Severity:  High,
	Precision: PrecisionVeryHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering},
	ATTACK:    []string{"T1530", "T1619"},
	Rationale: "The canned ACLs `public-read`, `public-read-write` and `authenticated-read` (`PublicRead`, " +
		"`PublicReadWrite`, `AuthenticatedRead`) grant the AllUsers or AuthenticatedUsers group — the whole internet, or " +
		"anyone with any AWS account — the right to list the bucket, and with `public-read-write` to overwrite and delete " +
		"its objects. Leaked backups, logs and customer data found by bucket scanners nearly always come from such " +
		"grants. Only S3 Block Public Access (ignore_public_acls) stands between such an ACL and the internet.",
	Remediation: "Remove the ACL (buckets default to private, with ACLs disabled by `BucketOwnerEnforced` object " +
		"ownership) and keep S3 Block Public Access on. Publish content through CloudFront with origin access control.",
	FixTerraform: `resource "aws_s3_bucket_ownership_controls" "assets" {
  bucket = aws_s3_bucket.assets.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}`,
	FixCloudFormation: `Assets:
  Type: AWS::S3::Bucket
  Properties:
    OwnershipControls:
      Rules:
        - ObjectOwnership: BucketOwnerEnforced`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl",
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2",
	},
	Check: checkS3PublicACL,
}

// aclKey normalizes PublicReadWrite to public-read-write.
func aclKey(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func checkS3PublicACL(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		a := r.Facets.BucketACL()
		if a == nil || a.ACL.State != graph.Set {
			continue
		}
		what, public := publicACLs[aclKey(strings.TrimSpace(a.ACL.V))]
		if !public {
			continue
		}
		subject := r.Addr.String()
		if a.Bucket != nil {
			subject = a.Bucket.Target + " (through " + r.Addr.String() + ")"
		}
		pass.Reportf(r, a.ACL.Range, "%s has the canned ACL %q: %s its objects", subject, a.ACL.V, what)
	}
	return nil
}
