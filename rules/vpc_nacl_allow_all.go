package rules

import (
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// VPCNACLAllowAll flags network ACL rules that allow all inbound traffic
// from the whole internet.
var VPCNACLAllowAll = Rule{
	ID:        "SDR-VPC-002",
	Slug:      "nacl-allows-all-ingress",
	Title:     "Network ACL allows all inbound traffic from the internet",
	Severity:  Low,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1190", "T1046"},
	Rationale: `A network ACL rule that allows every protocol and port from 0.0.0.0/0 or ::/0 makes the subnet's ` +
		`ACL no boundary at all: security groups become the only control, and one group rule written too wide exposes ` +
		`the subnet's resources. Subnets that hold data or administration hosts benefit from ACLs that admit only the ` +
		`ports their tier serves (and ephemeral return ports). A public subnet in front of load balancers may reasonably ` +
		`allow everything, which is why the severity is low.`,
	Remediation: `Replace the allow-all rule with rules for the ports the subnet serves, plus ephemeral ports ` +
		`1024-65535 for return traffic, and let the implicit deny catch the rest.`,
	FixTerraform: `resource "aws_network_acl_rule" "https_in" {
  network_acl_id = aws_network_acl.data.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "10.0.0.0/16"
  from_port      = 5432
  to_port        = 5432
}`,
	FixCloudFormation: `PostgresIn:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref DataAcl
    RuleNumber: 100
    Egress: false
    Protocol: 6
    RuleAction: allow
    CidrBlock: 10.0.0.0/16
    PortRange:
      From: 5432
      To: 5432`,
	References: []string{
		"https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21",
	},
	Check: checkVPCNACLAllowAll,
}

func checkVPCNACLAllowAll(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		acl := r.Facets.NetworkACL()
		if acl == nil {
			continue
		}
		for _, e := range acl.Entries {
			if !e.Egress.Is(false) || e.Action.State != graph.Set || !strings.EqualFold(e.Action.V, "allow") ||
				e.CIDR.State != graph.Set || !worldCIDRs[strings.TrimSpace(e.CIDR.V)] || e.Protocol.State != graph.Set {
				continue
			}
			p := strings.ToLower(strings.TrimSpace(e.Protocol.V))
			allPorts := (p == "tcp" || p == "6" || p == "udp" || p == "17") &&
				e.FromPort.State == graph.Set && e.ToPort.State == graph.Set && e.FromPort.V <= 0 && e.ToPort.V >= 65535
			if p != "-1" && p != "all" && !allPorts {
				continue
			}
			rule := "a rule"
			if e.RuleNumber.State == graph.Set {
				rule = "rule " + strconv.Itoa(e.RuleNumber.V)
			}
			pass.Reportf(r, e.Range, "%s: %s allows all inbound traffic from %s", r.Addr, rule, strings.TrimSpace(e.CIDR.V))
		}
	}
	return nil
}
