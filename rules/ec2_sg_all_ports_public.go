package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// EC2SGAllPortsPublic flags security group ingress that opens every port
// (or every protocol) to the whole internet.
var EC2SGAllPortsPublic = Rule{
	ID:        "SDR-EC2-011",
	Slug:      "sg-all-ports-open-to-internet",
	Title:     "Security group opens every port to the internet",
	Severity:  High,
	Precision: PrecisionVeryHigh,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.InformationDisclosure, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1133", "T1190", "T1046"},
	Rationale: `An ingress rule that allows all traffic, or TCP/UDP ports 0-65535, from 0.0.0.0/0 or ::/0 removes the ` +
		`network boundary of everything in the group: every listening service — administration, databases, debug ` +
		`endpoints, metrics, services bound to all interfaces by accident — is reachable from the internet. It is ` +
		`usually a leftover from troubleshooting and turns any vulnerable or unauthenticated service into an entry point.`,
	Remediation: `Replace the rule with rules for the ports the workload serves (443 on a load balancer, for example), ` +
		`from the sources that need them; keep everything else reachable only from other security groups.`,
	FixTerraform: `resource "aws_security_group" "lb" {
  vpc_id = aws_vpc.main.id

  ingress {
    description = "HTTPS from the internet"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
	FixCloudFormation: `LbSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: HTTPS from the internet
    VpcId: !Ref Vpc
    SecurityGroupIngress:
      - IpProtocol: tcp
        FromPort: 443
        ToPort: 443
        CidrIp: 0.0.0.0/0`,
	References: []string{
		"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18",
	},
	Check: checkEC2SGAllPortsPublic,
}

func checkEC2SGAllPortsPublic(pass *Pass) error {
	eachIngress(pass.Graph, func(group *graph.Resource, in graph.IngressRule) {
		world := worldSources(in)
		if s := ingressSpan(in); len(world) > 0 && s.all {
			pass.Reportf(in.Declared, in.Range, "%s admits %s on %s: every service in the group faces the internet",
				ingressSubject(group, in), strings.Join(world, " and "), s)
		}
	})
	return nil
}
