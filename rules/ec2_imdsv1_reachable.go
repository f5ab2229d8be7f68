package rules

import (
	"fmt"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// EC2IMDSv1Reachable flags instances, launch templates and launch
// configurations on which the instance metadata service answers requests
// without a session token.
var EC2IMDSv1Reachable = Rule{
	ID:        "SDR-EC2-001",
	Slug:      "ec2-imdsv1-reachable",
	Title:     "Instance metadata service v1 is reachable (session tokens not required)",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1552.005"},
	Rationale: `IMDSv1 answers any HTTP GET to 169.254.169.254 from the instance, with no session token. ` +
		`A server-side request forgery, an open proxy or a misconfigured reverse proxy on the instance therefore hands ` +
		`the instance role's temporary credentials to whoever can make it fetch a URL — the path taken in the Capital One ` +
		`breach. IMDSv2 requires a PUT to obtain a session token first, which such requests cannot make, and limits the ` +
		`token's hop count so it does not leave the instance. Launch templates and launch configurations carry the ` +
		`setting to every instance they launch; an instance that sets no metadata options takes them from its launch ` +
		`template, else from the account-level default, else from the AMI, and most AMIs still default to optional. ` +
		`Amazon Linux 2023 images require tokens by default (ImdsSupport v2.0): an instance whose image is found ` +
		`through Amazon's SSM parameter, or by an AL2023 name among images owned by Amazon, is not reported unless its ` +
		`own options or an account default turn tokens back to optional.`,
	Remediation: `Set the metadata options to require tokens: ` + "`http_tokens = \"required\"`" + ` in Terraform, ` +
		"`HttpTokens: required`" + ` in CloudFormation, on the instance or on the launch template it uses. ` +
		`Keep ` + "`http_put_response_hop_limit`" + ` at 1 unless containers on the instance need the metadata service, ` +
		`or set an account-wide default with ` + "`aws_ec2_instance_metadata_defaults`" + `. Check first that the SDKs ` +
		`on the instance support IMDSv2 (every AWS SDK released since 2019 does).`,
	FixTerraform: `resource "aws_instance" "app" {
  ami           = var.ami_id
  instance_type = "t3.micro"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}`,
	FixCloudFormation: `AppInstance:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: !Ref AmiId
    InstanceType: t3.micro
    MetadataOptions:
      HttpEndpoint: enabled
      HttpTokens: required
      HttpPutResponseHopLimit: 1
AppLaunchTemplate:
  Type: AWS::EC2::LaunchTemplate
  Properties:
    LaunchTemplateData:
      MetadataOptions:
        HttpTokens: required
        HttpPutResponseHopLimit: 1`,
	References: []string{
		"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html",
		"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
		"https://attack.mitre.org/techniques/T1552/005/",
	},
	Check: checkEC2IMDSv1Reachable,
}

func checkEC2IMDSv1Reachable(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		m := r.Facets.IMDS()
		if m != nil && m.Effective.Status == graph.IMDSUndetermined {
			pass.Notef(r, m.Effective.Range, "cannot tell whether %s allows IMDSv1: %s", r.Addr, m.Effective.Reason)
			continue
		}
		if m == nil || m.Effective.Status != graph.IMDSv1Reachable {
			continue
		}
		msg := fmt.Sprintf("%s allows IMDSv1: %s. A request the instance can be tricked into sending (SSRF, open proxy) can read its role credentials without a session token%s",
			r.Addr, m.Effective.Reason, launchContext(pass.Graph, r))
		f := Finding{Resource: r, Range: m.Effective.Range, Message: msg}
		// An SCP that denies launching instances without IMDSv2 in the
		// resource's account stops the launch (or the instance launched
		// from this template); the setting is still wrong, and the finding
		// stays, at low severity.
		if r.Account.State == graph.Set {
			if scp := pass.Graph.IMDSv2SCP(r.Account.V); scp != nil {
				f.Severity = Low
				f.Message += fmt.Sprintf("; in account %s, %s denies ec2:RunInstances unless ec2:MetadataHttpTokens is \"required\", so launches with these options fail there", r.Account.V, scp.Addr)
				f.Related = append(f.Related, Related{Range: scp.Range, Message: "SCP that enforces IMDSv2", Address: scp.Addr.String()})
			}
		}
		pass.Report(f)
	}
	return nil
}
