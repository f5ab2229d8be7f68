package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// EC2SGAdminPortPublic flags security group ingress that opens a remote
// administration or database port to the whole internet.
var EC2SGAdminPortPublic = Rule{
	ID:        "SDR-EC2-010",
	Slug:      "sg-admin-port-open-to-internet",
	Title:     "Security group opens an administration or database port to the internet",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.InformationDisclosure, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1133", "T1190", "T1110"},
	Rationale: `An ingress rule from 0.0.0.0/0 or ::/0 on SSH, RDP, WinRM, VNC or a database port lets anyone on the internet ` +
		`reach the service directly. Internet-wide scanners find such ports within minutes and try stolen or default ` +
		`credentials, brute force and known exploits; a database listener facing the internet is one weak password away ` +
		`from a full data dump. Administration belongs behind AWS Systems Manager Session Manager, a VPN or a bastion ` +
		`with narrow source ranges, and databases behind the application tier's security group.`,
	Remediation: `Remove the rule, or restrict its source to the ranges that need it (a VPN or office CIDR) or to another ` +
		`security group. For shell access use Session Manager, which needs no inbound port at all.`,
	FixTerraform: `resource "aws_security_group" "db" {
  vpc_id = aws_vpc.main.id

  ingress {
    description     = "PostgreSQL from the application tier only"
    protocol        = "tcp"
    from_port       = 5432
    to_port         = 5432
    security_groups = [aws_security_group.app.id]
  }
}`,
	FixCloudFormation: `DbSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: PostgreSQL from the application tier only
    VpcId: !Ref Vpc
    SecurityGroupIngress:
      - IpProtocol: tcp
        FromPort: 5432
        ToPort: 5432
        SourceSecurityGroupId: !Ref AppSecurityGroup`,
	References: []string{
		"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13",
		"https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
	},
	Check: checkEC2SGAdminPortPublic,
}

func checkEC2SGAdminPortPublic(pass *Pass) error {
	eachIngress(pass.Graph, func(group *graph.Resource, in graph.IngressRule) {
		world := worldSources(in)
		s := ingressSpan(in)
		if !s.ok || s.all {
			// every-port rules are SDR-EC2-011's
			return
		}
		ports := sensitiveIn(s)
		if len(ports) == 0 {
			return
		}
		if len(world) == 0 {
			if hasUnknownSource(in) {
				pass.Notef(in.Declared, in.Range, "cannot tell whether %s exposes %s to the internet: its source ranges are not known before apply",
					ingressSubject(group, in), strings.Join(ports, ", "))
			}
			return
		}
		pass.Reportf(in.Declared, in.Range, "%s admits %s on %s, exposing %s to the whole internet",
			ingressSubject(group, in), strings.Join(world, " and "), s, strings.Join(ports, ", "))
	})
	return nil
}
