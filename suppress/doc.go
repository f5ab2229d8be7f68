// Package suppress finds the suppressions written beside the scanned code
// and decides which findings they accept.
//
// In Terraform (and any file with # or // comments, CloudFormation YAML
// included) a directive is a comment
//
//	# strider:ignore <rule-id or slug>[,<id>…] [exp:YYYY-MM-DD] -- <reason>
//
// on the line before a block or attribute (further comment lines may sit
// between) or trailing on that line. In CloudFormation it can also be
// resource metadata:
//
//	Metadata:
//	  strider:
//	    ignore:
//	      - id: SDR-EC2-001
//	        reason: replaced by the launch template in Q3
//	        expires: 2026-12-31
//
// A directive without a reason, with an unknown rule or a malformed date
// suppresses nothing and is reported as a diagnostic; so is one whose date
// has passed. The package reads sources through an fs.FS rooted at the
// scan root, so it can never read outside it, and it knows nothing of how
// parsers evaluate: it looks at the lines a finding points to.
package suppress
