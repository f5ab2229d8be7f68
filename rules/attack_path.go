package rules

import (
	"fmt"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// AttackPath reports each attack path from an entry point (the
// internet through an instance that hands out its role credentials,
// a leaked access key, another account or an OIDC identity through a
// role's trust) to an administrator-equivalent principal. The path's
// steps go out as the finding's Path (SARIF codeFlows).
var AttackPath = Rule{
	ID:        "SDR-PATH-001",
	Slug:      "attack-path",
	Title:     "Attack path from an entry point to administrator rights or a data store",
	Severity:  Critical,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege, mappings.Spoofing},
	ATTACK:    []string{"T1190", "T1552.005", "T1078.004", "T1199", "T1548.005", "T1098.003", "T1530", "T1555.006", "T1562.008"},
	Rationale: `Single misconfigurations chain. An instance that faces the internet and still answers IMDSv1 hands ` +
		`its role's credentials to a forged request; if that role can pass a privileged role to a new instance, or ` +
		`assume a role that can rewrite its own policies, the internet ends at administrator. Strider follows the ` +
		`chain through the code: network exposure, instance metadata, instance profile, role, then the principal graph ` +
		`(assume-role edges where the trust and the caller's policy both allow it, and escalation techniques) to a ` +
		`principal with administrator rights, or, from the internet, another account or an OIDC identity, to a ` +
		`principal that may read an S3 bucket's objects, a DynamoDB table or a secret, decrypt with a KMS key (whose ` +
		`policy lets IAM grant it), or stop a trail's logging. ` +
		`Each path is one finding whose steps point at the code that makes each ` +
		`hop possible, with the ATT&CK technique of the hop. Paths are ranked by what they reach (administrators first), then shortest ` +
		`first; at most three are kept per target.`,
	Remediation: `Break the chain at its cheapest link: require IMDSv2 (` + "`http_tokens = \"required\"`" + `), close the ` +
		`ingress, remove the escalation permission from the role (see the iam-privilege-escalation finding on it), or ` +
		`narrow the trust policy that lets the next principal in. Breaking any one step removes the path.`,
	FixTerraform: `resource "aws_instance" "web" {
  ami                  = var.ami_id
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.web.name

  metadata_options {
    http_tokens = "required"
  }
}`,
	FixCloudFormation: `WebInstance:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: !Ref AmiId
    InstanceType: t3.micro
    IamInstanceProfile: !Ref WebProfile
    MetadataOptions:
      HttpTokens: required`,
	References: []string{
		"https://attack.mitre.org/techniques/T1552/005/",
		"https://github.com/nccgroup/PMapper",
		"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html",
	},
	Check: checkAttackPath,
}

func checkAttackPath(pass *Pass) error {
	for _, ap := range pass.Graph.AttackPaths() {
		pass.Report(attackPathFinding(ap))
	}
	return nil
}

func attackPathFinding(ap *graph.AttackPath) Finding {
	sev := Critical
	if ap.Entry == graph.EntryAccessKey || ap.Jewel != "administrator" {
		sev = High
	}
	steps := make([]PathStep, len(ap.Steps))
	for i, s := range ap.Steps {
		steps[i] = PathStep{Range: s.Range, Address: s.Resource.Addr.String(), Message: s.Description, Technique: s.Technique}
	}
	msg := fmt.Sprintf("attack path from %s to %s %s in %d steps, starting at %s: %s",
		entryName(ap.Entry), ap.Jewel, ap.Target.Addr, len(ap.Steps), ap.Start.Addr, ap.Steps[0].Description)
	for _, s := range ap.Steps[1:] {
		msg += "; then " + s.Description
	}
	rg := ap.Start.Range
	return Finding{Resource: ap.Start, Range: rg, Message: msg, Severity: sev, Path: steps,
		Peer: ap.Entry + "→" + ap.Target.Key()}
}

func entryName(e string) string {
	switch e {
	case graph.EntryInternet:
		return "the internet"
	case graph.EntryAccessKey:
		return "a leaked access key"
	case graph.EntryOtherAccount:
		return "another account"
	}
	return "an " + e
}
