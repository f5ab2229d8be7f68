package rules

import (
	"github.com/strider-sec/strider/mappings"
)

// EC2DefaultSGHasRules flags a VPC's default security group when the code
// gives it rules.
var EC2DefaultSGHasRules = Rule{
	ID:        "SDR-EC2-013",
	Slug:      "default-security-group-has-rules",
	Title:     "Default security group allows traffic",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1021", "T1046"},
	Rationale: `Every instance, endpoint or function launched in the VPC without an explicit security group joins the ` +
		`default group, so its rules apply to resources nobody chose to expose. Managing the default group with rules ` +
		`makes that silent membership grant access — between unrelated workloads (its stock rule lets members reach ` +
		`each other on every port) and, with rules like those here, from outside. CIS AWS Foundations asks for the ` +
		`default group to have no rules at all; resources should use purpose-made groups.`,
	Remediation: `Manage the default group with ` + "`aws_default_security_group`" + ` and no ` + "`ingress`" + ` or ` +
		"`egress`" + ` blocks: Terraform then removes all its rules. Give each resource its own group.`,
	FixTerraform: `resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  # no ingress or egress blocks: every rule is removed
}`,
	FixCloudFormation: `# CloudFormation cannot manage the default group's rules; give every
# resource an explicit group instead, for example:
AppSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: app
    VpcId: !Ref Vpc`,
	References: []string{
		"https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2",
	},
	Check: checkEC2DefaultSGHasRules,
}

func checkEC2DefaultSGHasRules(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		sg := r.Facets.SecurityGroup()
		if sg == nil || !sg.Default {
			continue
		}
		if in := len(sg.Ingress); in > 0 || sg.EgressRules > 0 {
			pass.Reportf(r, r.Range, "%s gives the VPC's default security group %d ingress and %d egress rules: every resource launched without a group gets them", r.Addr, in, sg.EgressRules)
		}
	}
	return nil
}
