package rules

import (
	"fmt"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// IAMPolicyUndetermined is the note the policy rules leave when a policy
// document cannot be judged: computed from values known only after
// apply, or not a valid policy. The policy rules never guess about such a
// document; this note says that they could not look.
var IAMPolicyUndetermined = Rule{
	ID:        "SDR-IAM-011",
	Slug:      "iam-policy-undetermined",
	Title:     "Policy document cannot be evaluated statically",
	Severity:  Low,
	Precision: PrecisionVeryHigh,
	STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege, mappings.InformationDisclosure},
	ATTACK:    []string{"T1078.004"},
	Rationale: `Strider's trust, permission, key and resource policy rules (SDR-IAM-001 to SDR-IAM-010, SDR-KMS-001) ` +
		`read policy documents. When a document comes from a variable without a value, a module output, a ` +
		`function Strider does not evaluate, or a value known only after apply, or when its text is not a valid ` +
		`policy, those rules cannot tell whether it is safe and stay silent rather than guess. This note makes ` +
		`that silence visible, so an unreviewed policy is not mistaken for a reviewed one.`,
	Remediation: `Give the values the policy depends on (` + "`--var`" + `, ` + "`--var-file`" + `), scan the plan ` +
		`(` + "`terraform show -json`" + `) where data sources are read, or write the policy with ` + "`jsonencode`" + ` or ` +
		"`aws_iam_policy_document`" + ` in the scanned code. Fix the document when its text is invalid.`,
	FixTerraform: `data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
}

resource "aws_iam_policy" "read" {
  policy = data.aws_iam_policy_document.read.json
}`,
	FixCloudFormation: `ReadPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:GetObject
          Resource: !Sub ${DataBucket.Arn}/*`,
	References: []string{
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
		"https://developer.hashicorp.com/terraform/language/expressions/references",
	},
	Check: checkIAMPolicyUndetermined,
}

func checkIAMPolicyUndetermined(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		if r.Addr.Mode == graph.Data {
			continue // reported where the document is used
		}
		for _, p := range allPolicies(r) {
			switch {
			case p.Err != "":
				pass.Reportf(r, p.Range, "%s: %s is not a policy Strider can read (%s); its trust, permission and exposure rules were not evaluated", r.Addr, p.Attr, p.Err)
			case p.State == graph.Unknown:
				why := "is computed from values not known statically"
				if p.DocRef != nil {
					why = fmt.Sprintf("comes from %s, which cannot be read statically", p.DocRef.Target)
				}
				pass.Reportf(r, p.Range, "%s: %s %s; its trust, permission and exposure rules were not evaluated", r.Addr, p.Attr, why)
			}
		}
	}
	return nil
}

// allPolicies lists every policy document r carries.
func allPolicies(r *graph.Resource) []*graph.Policy {
	out := identityPolicies(r)
	if ro := r.Facets.Role(); ro != nil && ro.Trust != nil {
		out = append(out, ro.Trust)
	}
	if rp := r.Facets.ResourcePolicy(); rp != nil && rp.Policy != nil {
		out = append(out, rp.Policy)
	}
	if k := r.Facets.KMSKey(); k != nil && k.Policy != nil {
		out = append(out, k.Policy)
	}
	return out
}
