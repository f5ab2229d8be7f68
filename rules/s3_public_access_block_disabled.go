package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// S3PublicAccessBlockDisabled flags S3 public access blocks, of a bucket
// or of the account, that leave a protection off.
var S3PublicAccessBlockDisabled = Rule{
	ID:        "SDR-S3-001",
	Slug:      "s3-public-access-block-disabled",
	Title:     "S3 Block Public Access is turned off",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering},
	ATTACK:    []string{"T1530", "T1619"},
	Rationale: `S3 Block Public Access is the guard rail that keeps a bucket private whatever its ACLs and bucket ` +
		`policy say: with all four settings on, a public ACL or policy is rejected or ignored. Since April 2023 AWS turns ` +
		`it on for new buckets, so a configuration that turns a setting off is a deliberate step towards a public ` +
		`bucket — and one careless policy later, its objects can be listed and read (or written) by anyone. A ` +
		`public access block written with a setting omitted turns that setting off. The account-level block covers ` +
		`every bucket; where the scanned code sets it, a bucket's own gap that it covers is not reported.`,
	Remediation: `Set all four settings to true: ` + "`block_public_acls`, `block_public_policy`, `ignore_public_acls`, " +
		"`restrict_public_buckets`" + ` (` + "`BlockPublicAcls`, `BlockPublicPolicy`, `IgnorePublicAcls`, `RestrictPublicBuckets`" +
		`), on the bucket and with ` + "`aws_s3_account_public_access_block`" + ` on the account. Serve public content ` +
		`through CloudFront with origin access control instead of a public bucket.`,
	FixTerraform: `resource "aws_s3_bucket_public_access_block" "assets" {
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}`,
	FixCloudFormation: `Assets:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8",
	},
	Check: checkS3PublicAccessBlockDisabled,
}

func checkS3PublicAccessBlockDisabled(pass *Pass) error {
	// What the account-level blocks in the tree guarantee, flag by flag.
	var account [4]bool
	for _, r := range pass.Graph.Resources {
		if p := r.Facets.PublicAccessBlock(); p != nil && p.Account {
			for i, f := range p.Flags() {
				account[i] = account[i] || f.Is(true)
			}
		}
	}
	for _, r := range pass.Graph.Resources {
		p := r.Facets.PublicAccessBlock()
		if p == nil {
			continue
		}
		var off, unknown []string
		at, unknownAt := graph.Range{}, graph.Range{}
		for i, f := range p.Flags() {
			if !p.Account && account[i] {
				continue
			}
			if f.State == graph.Unknown {
				unknown = append(unknown, p.Names[i])
				if unknownAt.Start.Line == 0 {
					unknownAt = f.Range
				}
				continue
			}
			if !f.Is(false) {
				continue
			}
			off = append(off, p.Names[i])
			if at.Start.Line == 0 {
				at = f.Range
			}
		}
		if len(off) == 0 {
			if len(unknown) > 0 {
				verb := "are"
				if len(unknown) == 1 {
					verb = "is"
				}
				pass.Notef(r, unknownAt, "cannot tell whether %s keeps public access blocked: %s %s not known before apply",
					r.Addr, strings.Join(unknown, ", "), verb)
			}
			continue
		}
		// A bucket-level block names its bucket by reference, or is part
		// of the bucket itself (CloudFormation).
		subject := "the bucket itself"
		switch {
		case p.Account:
			subject = "every bucket of the account"
		case p.Bucket != nil:
			subject = p.Bucket.Target
		}
		pass.Reportf(r, at, "%s turns off %s for %s: a public ACL or bucket policy would take effect",
			r.Addr, strings.Join(off, ", "), subject)
	}
	return nil
}
