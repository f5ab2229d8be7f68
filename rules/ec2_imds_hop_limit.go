package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// EC2IMDSHopLimit flags instances and templates whose metadata responses
// travel more than one network hop, so that containers on the host reach
// the instance role's credentials.
var EC2IMDSHopLimit = Rule{
	ID:        "SDR-EC2-002",
	Slug:      "ec2-imds-hop-limit-above-one",
	Title:     "Instance metadata responses reach containers on the host (hop limit above 1)",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1552.005"},
	Rationale: `The metadata service's PUT response hop limit is the IP TTL of its answers. At 1 the answer dies at ` +
		`the instance's own network interface; at 2 or more it crosses the bridge into containers (Docker, ECS bridge ` +
		`mode, Kubernetes pods without host networking). Every container on the host can then obtain an IMDSv2 token ` +
		`and read the node's role credentials — on an EKS or ECS node that role usually holds far more than any single ` +
		`workload should, and one compromised pod becomes the node. Workloads that need AWS credentials should use IAM ` +
		`Roles for Service Accounts, EKS Pod Identity or ECS task roles, which do not depend on the node's metadata.`,
	Remediation: `Set ` + "`http_put_response_hop_limit = 1`" + ` (` + "`HttpPutResponseHopLimit: 1`" + `) and give ` +
		`containers their own credentials through IRSA, Pod Identity or task roles. Keep 2 only where a container must ` +
		`reach the metadata service and the node role is scoped for it.`,
	FixTerraform: `resource "aws_launch_template" "nodes" {
  name = "eks-nodes"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}`,
	FixCloudFormation: `NodeLaunchTemplate:
  Type: AWS::EC2::LaunchTemplate
  Properties:
    LaunchTemplateData:
      MetadataOptions:
        HttpEndpoint: enabled
        HttpTokens: required
        HttpPutResponseHopLimit: 1`,
	References: []string{
		"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html#imds-considerations",
		"https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node",
	},
	Check: checkEC2IMDSHopLimit,
}

func checkEC2IMDSHopLimit(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		m := r.Facets.IMDS()
		if m == nil || m.HopLimit.State != graph.Set || m.HopLimit.V <= 1 || m.Effective.Status == graph.IMDSOff {
			continue
		}
		also := ""
		if m.Effective.Status == graph.IMDSv1Reachable {
			also = "; IMDSv1 is reachable too, so not even a token is needed"
		}
		pass.Reportf(r, m.HopLimit.Range,
			"%s sets the metadata hop limit to %d: containers on the host can fetch a token and read the instance role's credentials%s%s",
			r.Addr, m.HopLimit.V, also, launchContext(pass.Graph, r))
	}
	return nil
}
