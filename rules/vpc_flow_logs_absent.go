package rules

import (
	"github.com/strider-sec/strider/mappings"
)

// VPCFlowLogsAbsent flags VPCs that no flow log in the scanned code
// captures.
var VPCFlowLogsAbsent = Rule{
	ID:        "SDR-VPC-001",
	Slug:      "vpc-flow-logs-absent",
	Title:     "VPC has no flow log",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Repudiation},
	ATTACK:    []string{"T1562.008", "T1048"},
	Rationale: `Flow logs are the only record of which addresses talked to which inside and out of a VPC. Without ` +
		`them an investigation cannot answer what a compromised instance connected to, whether data left over an ` +
		`unexpected port, or which hosts an attacker scanned; GuardDuty also reads them for its network findings. ` +
		`The rule looks for a flow log in the scanned code that captures the VPC (by reference); one created ` +
		`elsewhere, by another stack or by an organization-wide automation, is not visible here, hence the medium ` +
		`precision.`,
	Remediation: `Add a flow log with ` + "`traffic_type = \"ALL\"`" + ` for the VPC, delivered to S3 or CloudWatch ` +
		`Logs with a retention that matches your investigation needs.`,
	FixTerraform: `resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.flow_logs.arn
}`,
	FixCloudFormation: `VpcFlowLog:
  Type: AWS::EC2::FlowLog
  Properties:
    ResourceId: !Ref Vpc
    ResourceType: VPC
    TrafficType: ALL
    LogDestinationType: s3
    LogDestination: !GetAtt FlowLogBucket.Arn`,
	References: []string{
		"https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-6",
	},
	Check: checkVPCFlowLogsAbsent,
}

func checkVPCFlowLogsAbsent(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		if v := r.Facets.VPC(); v != nil && len(v.FlowLogs) == 0 {
			pass.Reportf(r, r.Range, "%s is captured by no flow log in the scanned code: its network traffic leaves no record", r.Addr)
		}
	}
	return nil
}
