package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// EKSPublicEndpoint flags EKS clusters whose Kubernetes API endpoint is
// reachable from the whole internet.
var EKSPublicEndpoint = Rule{
	ID:        "SDR-EKS-001",
	Slug:      "eks-public-endpoint-open",
	Title:     "EKS cluster API endpoint is open to the internet",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1133", "T1190", "T1078.004"},
	Rationale: `An EKS cluster's API server endpoint is public by default and admits 0.0.0.0/0. Every request still ` +
		`needs valid credentials, but the endpoint is then exposed to credential stuffing with leaked kubeconfigs or ` +
		`CI tokens, to anonymous-access misconfigurations and to Kubernetes API vulnerabilities from anywhere. The ` +
		`control plane is the crown jewel of the cluster: whoever controls it runs code on every node and reads every ` +
		`secret.`,
	Remediation: `Disable the public endpoint (` + "`endpoint_public_access = false`" + `, ` +
		"`EndpointPublicAccess: false`" + `) and reach the API through the private endpoint from a VPN or bastion, or ` +
		`restrict ` + "`public_access_cidrs`" + ` (` + "`PublicAccessCidrs`" + `) to the CI and office ranges that need it.`,
	FixTerraform: `resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}`,
	FixCloudFormation: `Cluster:
  Type: AWS::EKS::Cluster
  Properties:
    RoleArn: !GetAtt ClusterRole.Arn
    ResourcesVpcConfig:
      SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
      EndpointPrivateAccess: true
      EndpointPublicAccess: false`,
	References: []string{
		"https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html#eks-1",
	},
	Check: checkEKSPublicEndpoint,
}

func checkEKSPublicEndpoint(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		e := r.Facets.EKSEndpoint()
		if e == nil || e.Public.Is(false) {
			continue
		}
		if e.Public.State == graph.Unknown || !e.PublicCIDRsKnown {
			pass.Notef(r, e.Block, "cannot tell whether the API endpoint of %s is open to the internet: its public access settings are not known before apply", r.Addr)
			continue
		}
		public := "is public by default"
		if e.Public.State == graph.Set {
			public = "is public"
		}
		if len(e.PublicCIDRs) == 0 {
			pass.Reportf(r, e.Block, "%s: the API endpoint %s and public access CIDRs default to 0.0.0.0/0", r.Addr, public)
			continue
		}
		var world []string
		at := e.Block
		for _, c := range e.PublicCIDRs {
			if c.State == graph.Set && worldCIDRs[strings.TrimSpace(c.V)] {
				world = append(world, c.V)
				at = c.Range
			}
		}
		if len(world) > 0 {
			pass.Reportf(r, at, "%s: the API endpoint %s and admits %s", r.Addr, public, strings.Join(world, " and "))
		}
	}
	return nil
}
