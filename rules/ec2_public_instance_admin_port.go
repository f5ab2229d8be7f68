package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// EC2PublicInstanceAdminPort flags instances that have a public IP
// address and a security group admitting the internet on an
// administration or database port: the port is not just open on paper,
// something listens behind it at an address anyone can reach.
var EC2PublicInstanceAdminPort = Rule{
	ID:        "SDR-EC2-012",
	Slug:      "public-instance-admin-port-open",
	Title:     "Instance with a public IP address has an administration port open to the internet",
	Severity:  Critical,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege, mappings.InformationDisclosure},
	ATTACK:    []string{"T1133", "T1110", "T1021.004"},
	Rationale: `This is the combination internet scanners look for: an instance with a public IP address (its own ` +
		`setting, or its subnet's ` + "`map_public_ip_on_launch`" + `) in a security group that admits 0.0.0.0/0 or ` +
		`::/0 on SSH, RDP, WinRM, VNC or a database port. Brute force and credential stuffing start within minutes of ` +
		`launch; one weak or reused password, one unpatched daemon, and the attacker holds the instance — and through ` +
		`its metadata service, its role. SDR-EC2-010 reports the group; this rule reports each reachable instance, at ` +
		`critical severity.`,
	Remediation: `Remove the public address (private subnet, ` + "`associate_public_ip_address = false`" + `) and reach the ` +
		`instance through Session Manager, or restrict the group's rule to a VPN or office range.`,
	FixTerraform: `resource "aws_instance" "bastion" {
  ami                         = var.ami_id
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.private[0].id
  associate_public_ip_address = false
  iam_instance_profile        = aws_iam_instance_profile.ssm.name # Session Manager instead of SSH
  vpc_security_group_ids      = [aws_security_group.no_ingress.id]
}`,
	FixCloudFormation: `Bastion:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: !Ref AmiId
    InstanceType: t3.micro
    IamInstanceProfile: !Ref SsmInstanceProfile
    NetworkInterfaces:
      - DeviceIndex: "0"
        SubnetId: !Ref PrivateSubnetA
        AssociatePublicIpAddress: false
        GroupSet: [!Ref NoIngressSecurityGroup]`,
	References: []string{
		"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses",
		"https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
	},
	Check: checkEC2PublicInstanceAdminPort,
}

func checkEC2PublicInstanceAdminPort(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		n := r.Facets.InstanceNetwork()
		if n == nil || !n.Public().Is(true) {
			continue
		}
		var exposed []string
		var related []Related
		for _, g := range n.Groups {
			for _, in := range g.Facets.SecurityGroup().Ingress {
				world, s := worldSources(in), ingressSpan(in)
				if len(world) == 0 || !s.ok && !s.all {
					continue
				}
				ports := sensitiveIn(s)
				if s.all {
					ports = []string{"every port"}
				}
				if len(ports) == 0 {
					continue
				}
				exposed = append(exposed, strings.Join(ports, ", ")+" via "+in.Declared.Addr.String())
				related = append(related, Related{Range: in.Range, Message: "ingress from " + strings.Join(world, " and "), Address: in.Declared.Addr.String()})
			}
		}
		if len(exposed) == 0 {
			continue
		}
		why := "its own setting"
		if n.PublicIP.State == graph.Absent && n.SubnetResolved != nil {
			why = "subnet " + n.SubnetResolved.Addr.String()
		}
		pass.Report(Finding{Resource: r, Range: r.Range, Related: related,
			Message: r.Addr.String() + " has a public IP address (from " + why + ") and is open to the internet on " + strings.Join(exposed, "; ")})
	}
	return nil
}
