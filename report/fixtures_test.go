package report

import (
	"errors"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/rules"
)

// These stand in for rules with the severities, formats and mapping
// sizes the renderers must handle, so that renderer tests do not change
// with the registry. They are not registered anywhere; their IDs may also
// be used by registered rules, which the renderer tests leave out.
var (
	iamRule = &rules.Rule{
		ID:        "SDR-IAM-001",
		Slug:      "iam-policy-admin-wildcard",
		Title:     "IAM policy allows every action on every resource",
		Severity:  rules.Critical,
		Precision: rules.PrecisionVeryHigh,
		STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege},
		ATTACK:    []string{"T1078.004", "T1098.003"},
		Rationale: "A statement with `Action: \"*\"` and `Resource: \"*\"` makes whoever holds the policy an administrator of the account.",
		Remediation: "Grant the actions the workload calls on the resources it uses. " +
			"Use IAM Access Analyzer policy generation to find them.",
		FixTerraform: `data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.assets.arn}/*"]
  }
}`,
		FixCloudFormation: `{
  "AppPolicy": {
    "Type": "AWS::IAM::Policy",
    "Properties": {
      "PolicyDocument": {
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::assets/*"}]
      }
    }
  }
}`,
		References: []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"},
		Check:      func(*rules.Pass) error { return nil },
	}
	s3Rule = &rules.Rule{
		ID:                "SDR-S3-001",
		Slug:              "s3-bucket-public-read",
		Title:             "S3 bucket is readable by anyone",
		Severity:          rules.Medium,
		Precision:         rules.PrecisionMedium,
		STRIDE:            []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering},
		ATTACK:            []string{"T1530", "T1619"},
		Rationale:         "Objects in a public bucket can be listed & read by anyone on the internet <without credentials>.",
		Remediation:       "Enable S3 Block Public Access on the bucket and the account.",
		FixTerraform:      "resource \"aws_s3_bucket_public_access_block\" \"logs\" {\n  bucket                  = aws_s3_bucket.logs.id\n  block_public_acls       = true\n  restrict_public_buckets = true\n}",
		FixCloudFormation: "Logs:\n  Type: AWS::S3::Bucket\n  Properties:\n    PublicAccessBlockConfiguration:\n      BlockPublicAcls: true\n      RestrictPublicBuckets: true",
		References:        []string{"https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"},
		Check:             func(*rules.Pass) error { return nil },
	}
	// trailRule has every STRIDE category and more ATT&CK than GitHub
	// keeps tags for, a rationale over GitHub's 1024-character limit and
	// examples that contain backtick fences.
	trailRule = &rules.Rule{
		ID:               "SDR-TRAIL-001",
		Slug:             "cloudtrail-log-validation-disabled",
		Title:            "CloudTrail log file validation is disabled",
		Severity:         rules.Low,
		SecuritySeverity: 3.14159,
		Precision:        rules.PrecisionLow,
		STRIDE:           slices.Clone(mappings.AllSTRIDE),
		ATTACK:           []string{"T1562.008", "T1485", "T1496"},
		Rationale: strings.Repeat("Without digest files nobody can prove that a log file was not changed after delivery. ", 14) +
			"The end of this sentence is past the limit.",
		Remediation:       "Set `enable_log_file_validation = true`. Digest files then cover every log file.",
		FixTerraform:      "resource \"aws_cloudtrail\" \"main\" {\n  # not ``` a fence\n  enable_log_file_validation = true\n}",
		FixCloudFormation: "Trail:\n  Type: AWS::CloudTrail::Trail\n  Properties:\n    EnableLogFileValidation: true",
		References:        []string{"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html"},
		Check:             func(*rules.Pass) error { return nil },
	}
)

// registered is the one real rule the renderer tests use. They do not
// read the registry: its growth must not change these goldens, and the
// stand-ins' IDs may be taken by real rules.
func registered() []*rules.Rule { return []*rules.Rule{&rules.EC2IMDSv1Reachable} }

// allRules is the real rule plus the stand-ins, in ID order.
func allRules() []*rules.Rule {
	rs := append(registered(), iamRule, s3Rule, trailRule)
	slices.SortFunc(rs, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	return rs
}

func rng(file string, l1, c1, l2, c2 int) graph.Range {
	return graph.Range{Filename: file, Start: graph.PosAt(l1, c1), End: graph.PosAt(l2, c2)}
}

var (
	appInstance = &graph.Resource{
		Addr:   graph.Address{Stack: "infra", Type: "aws_instance", Name: "app"},
		Format: graph.Terraform,
		Range:  rng("infra/main.tf", 10, 1, 24, 2),
	}
	// webTemplate lives in a directory with a space, which SARIF must
	// percent-encode.
	webTemplate = &graph.Resource{
		Addr: graph.Address{Stack: "infra", Module: "module.web", Type: "aws_launch_template",
			Name: "web", InstanceKey: `["blue"]`},
		Format: graph.Terraform,
		Range:  rng("infra/modules/web app/main.tf", 1, 1, 12, 2),
	}
	adminPolicy = &graph.Resource{
		Addr:   graph.Address{Stack: "cfn/app.yaml", Kind: graph.CloudFormationAddr, Type: "AWS::IAM::Policy", Name: "AdminPolicy"},
		Format: graph.CloudFormation,
		Range:  rng("cfn/app.yaml", 12, 3, 12, 14),
	}
	logsBucket = &graph.Resource{
		Addr:   graph.Address{Stack: "plan.json", Type: "aws_s3_bucket", Name: "logs"},
		Format: graph.Plan,
		Range:  rng("plan.json", 40, 7, 52, 8),
		Change: graph.Create,
	}
	mainTrail = &graph.Resource{
		Addr:   graph.Address{Stack: "infra", Type: "aws_cloudtrail", Name: "main"},
		Format: graph.Terraform,
		Range:  rng("infra/trail.tf", 1, 0, 0, 0),
	}
)

func ec2Finding(r *graph.Resource, rg graph.Range, reason string) rules.Finding {
	return rules.Finding{
		Rule:     &rules.EC2IMDSv1Reachable,
		Resource: r,
		Range:    rg,
		Message:  r.Addr.String() + " allows IMDSv1: " + reason + ", so any request the instance can be made to send reaches its role credentials",
	}
}

func emptyInput() *Input {
	return &Input{
		Tool:   Tool{Name: "strider", Version: "0.1.0", InformationURI: "https://github.com/strider-sec/strider"},
		Rules:  registered(),
		Inputs: []string{"main.tf"},
	}
}

func findingsInput() *Input {
	fs := []rules.Finding{
		{
			Rule:     trailRule,
			Resource: mainTrail,
			Range:    mainTrail.Range, // line only: no columns, no end
			Message:  "aws_cloudtrail.main does not set enable_log_file_validation, which defaults to false",
		},
		ec2Finding(webTemplate, rng("infra/modules/web app/main.tf", 5, 5, 5, 31), `metadata_options.http_tokens is "optional"`),
		{
			Rule:     s3Rule,
			Resource: logsBucket,
			// A file but no line: the report falls back to the resource's.
			Range:   graph.Range{Filename: "plan.json"},
			Message: "aws_s3_bucket.logs grants READ to AllUsers through its ACL",
		},
		{
			Rule:     iamRule,
			Resource: adminPolicy,
			Range:    rng("cfn/app.yaml", 18, 13, 18, 21),
			Message:  `AdminPolicy allows "*" on "*"`,
		},
		func() rules.Finding {
			f := ec2Finding(appInstance, rng("infra/main.tf", 15, 3, 15, 18),
				`it launches from module.web.aws_launch_template.web["blue"], which does not require tokens`)
			f.Related = []rules.Related{
				{Range: rng("infra/modules/web app/main.tf", 5, 5, 5, 31), Message: "the launch template leaves http_tokens optional", Address: `module.web.aws_launch_template.web["blue"]`},
				{Message: "no account-level metadata default is declared"}, // no file: left out of SARIF
				{Range: rng("infra/main.tf", 12, 0, 0, 0), Address: "aws_instance.app"},
			}
			return f
		}(),
	}
	rules.SortFindings(fs)
	return &Input{
		Tool:     Tool{Name: "strider", Version: "1.2.3", InformationURI: "https://github.com/strider-sec/strider"},
		Rules:    allRules(),
		Findings: fs,
		Diagnostics: graph.Diagnostics{{
			Severity: graph.Warning,
			Summary:  "Unknown value",
			Detail:   "var.ami_id has no default and no value; treated as unknown",
			Range:    rng("infra/main.tf", 11, 19, 11, 29),
		}},
		SrcRoot: "/home/ci/work tree/repo",
		Inputs:  []string{"cfn/app.yaml", "infra/main.tf", "infra/modules/web app/main.tf", "infra/trail.tf", "infra/variables.tf", "plan.json", "infra/main.tf"},
	}
}

func diagnosticInput() *Input {
	in := emptyInput()
	in.Inputs = []string{"broken.tf", "main.tf", "other.yaml"}
	in.Findings = []rules.Finding{ec2Finding(&graph.Resource{
		Addr:   graph.Address{Type: "aws_instance", Name: "web"},
		Format: graph.Terraform,
		Range:  rng("main.tf", 1, 1, 9, 2),
	}, rng("main.tf", 4, 5, 4, 30), `metadata_options.http_tokens is "optional"`)}
	in.Diagnostics = graph.Diagnostics{
		{Severity: graph.Error, Summary: "Invalid block definition", Detail: "Either a quoted string block label or an opening brace (\"{\") is expected here.", Range: rng("broken.tf", 3, 17, 3, 18)},
		{Severity: graph.Error, Summary: "Unreadable template", Detail: "other.yaml: permission denied", Range: graph.Range{Filename: "other.yaml"}},
		{Severity: graph.Warning, Summary: "No AWS provider configuration found"},
	}
	return in
}

func ruleErrorInput() *Input {
	in := emptyInput()
	in.Rules = allRules()
	in.Errors = []error{
		&rules.RuleError{Rule: iamRule, Err: errors.New("internal error: index out of range [3] with length 3 (please report this as a bug)\ngoroutine 1 [running]:\n...")},
		errors.New("reading .strider.yaml: permission denied"),
	}
	return in
}

// cases are the inputs every renderer is tested on.
var cases = []struct {
	name  string
	input func() *Input
}{
	{"empty", emptyInput},
	{"findings", findingsInput},
	{"diagnostic-error", diagnosticInput},
	{"rule-error", ruleErrorInput},
}
