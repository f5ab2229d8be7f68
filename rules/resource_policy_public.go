package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// ResourcePolicyPublic flags resource policies (S3, SQS, SNS, ECR,
// Secrets Manager, Glacier, EFS, OpenSearch, Backup) that allow any
// principal. One rule
// covers them all: the flaw, its test and its fix are the same on every
// service, and the message names the service.
var ResourcePolicyPublic = Rule{
	ID:        "SDR-IAM-010",
	Slug:      "resource-policy-public",
	Title:     "Resource policy allows any principal (S3, SQS, SNS, ECR, Secrets Manager, Glacier, EFS, OpenSearch, Backup)",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering},
	ATTACK:    []string{"T1530", "T1537"},
	Rationale: `A resource policy is evaluated for callers from every account. An Allow to ` + "`\"*\"`" + ` (or ` +
		"`{\"AWS\": \"*\"}`" + `, or an Allow with NotPrincipal) without a condition on the caller's organization, account, ` +
		`VPC endpoint or source makes the resource usable by anyone on the internet with an AWS account — and for ` +
		`S3, by anonymous requests too: read a bucket or a secret, send messages into a queue or topic, pull or ` +
		`push container images, mount a file system, query a search domain, delete backups. Public buckets and repositories are among the most common ` +
		`causes of cloud data exposure. A grant of every action of the service (` + "`s3:*`" + `, ` + "`\"*\"`" + `, a ` +
		`NotAction) is critical: anyone can also rewrite the policy or delete the resource.`,
	Remediation: `Name the accounts, roles or services that need access, or keep the wide principal and add a ` +
		`condition that narrows it: ` + "`aws:PrincipalOrgID`" + ` for your organization, ` + "`aws:SourceVpce`" + ` for a ` +
		`VPC endpoint, ` + "`aws:SourceArn`/`aws:SourceAccount`" + ` for a service acting for a resource of yours. For ` +
		`S3, also enable Block Public Access on the bucket and the account.`,
	FixTerraform: `resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.data.arn}/*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
    }]
  })
}`,
	FixCloudFormation: `DataBucketPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref DataBucket
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal:
            AWS: "*"
          Action: s3:GetObject
          Resource: !Sub ${DataBucket.Arn}/*
          Condition:
            StringEquals:
              aws:PrincipalOrgID: o-abc123`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html",
		"https://attack.mitre.org/techniques/T1530/",
	},
	Check: checkResourcePolicyPublic,
}

// publicGrant says whether an Allow statement admits any principal with
// no condition narrowing who, and how it says so.
func publicGrant(s *iam.Statement) (string, bool) {
	if !s.Allows() || s.ConditionUnknown || len(positiveRestrictions(s)) > 0 {
		return "", false
	}
	switch {
	case s.Principal != nil && s.Principal.Wildcard:
		return `Principal "*"`, true
	case s.Principal.Public():
		return `Principal {"AWS": "*"}`, true
	case s.NotPrincipal != nil && !s.NotPrincipal.Unknown:
		return "NotPrincipal (everyone but the principals listed)", true
	}
	return "", false
}

func checkResourcePolicyPublic(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		rp := r.Facets.ResourcePolicy()
		if rp == nil || !rp.Policy.Known() {
			continue
		}
		reportPublicStatements(pass, r, rp.Policy, "the "+rp.Service)
	}
	return nil
}

func reportPublicStatements(pass *Pass, r *graph.Resource, p *graph.Policy, what string) {
	where, related := policyPlace(p)
	for i := range p.Doc.Statements {
		s := &p.Doc.Statements[i]
		who, ok := publicGrant(s)
		if !ok {
			continue
		}
		acts := "Action " + quoteList(s.Action.Values)
		if s.NotAction.Present {
			acts = "NotAction " + quoteList(s.NotAction.Values)
		}
		f := Finding{Resource: r, Range: p.Range, Related: related, Message: fmt.Sprintf(
			"%s: %s of %s allows %s %s on %s with no condition on the caller's organization, account, network or source: anyone can use %s",
			r.Addr, stmtName(s), where, who, acts, what, what)}
		if everyAction(s) {
			// Every action of the service: anyone can also change the
			// policy, delete the data or the resource.
			f.Severity = Critical
			f.Message += ", with every action of the service, including rewriting its policy and deleting it"
		}
		pass.Report(f)
	}
}

// everyAction reports whether a statement allows every action (of every
// service, or of a whole service: "s3:*"), or everything but a few.
func everyAction(s *iam.Statement) bool {
	if s.NotAction.Present {
		return true
	}
	return s.Action.Any(func(a string) bool {
		_, rest, ok := strings.Cut(a, ":")
		return iam.IsWildcard(a) || (ok && iam.IsWildcard(rest))
	})
}
