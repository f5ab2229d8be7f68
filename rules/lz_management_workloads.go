package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// workloadTypes are resources that run or store a workload: compute,
// databases, queues behind applications, load balancers and APIs. An
// organization's management account should hold none of them.
var workloadTypes = map[string]string{
	"aws_instance": "EC2 instance", "AWS::EC2::Instance": "EC2 instance",
	"aws_autoscaling_group": "Auto Scaling group", "AWS::AutoScaling::AutoScalingGroup": "Auto Scaling group",
	"aws_ecs_service": "ECS service", "AWS::ECS::Service": "ECS service",
	"aws_eks_cluster": "EKS cluster", "AWS::EKS::Cluster": "EKS cluster",
	"aws_lambda_function": "Lambda function", "AWS::Lambda::Function": "Lambda function",
	"aws_db_instance": "RDS instance", "AWS::RDS::DBInstance": "RDS instance",
	"aws_rds_cluster": "RDS cluster", "AWS::RDS::DBCluster": "RDS cluster",
	"aws_dynamodb_table": "DynamoDB table", "AWS::DynamoDB::Table": "DynamoDB table",
	"aws_elasticache_cluster": "ElastiCache cluster", "AWS::ElastiCache::CacheCluster": "ElastiCache cluster",
	"aws_elasticache_replication_group": "ElastiCache replication group", "AWS::ElastiCache::ReplicationGroup": "ElastiCache replication group",
	"aws_lb": "load balancer", "aws_alb": "load balancer", "AWS::ElasticLoadBalancingV2::LoadBalancer": "load balancer",
	"aws_elb": "classic load balancer", "AWS::ElasticLoadBalancing::LoadBalancer": "classic load balancer",
	"aws_api_gateway_rest_api": "API Gateway API", "AWS::ApiGateway::RestApi": "API Gateway API",
	"aws_apigatewayv2_api": "API Gateway API", "AWS::ApiGatewayV2::Api": "API Gateway API",
	"aws_sagemaker_notebook_instance": "SageMaker notebook", "AWS::SageMaker::NotebookInstance": "SageMaker notebook",
	"aws_emr_cluster": "EMR cluster", "AWS::EMR::Cluster": "EMR cluster",
	"aws_redshift_cluster": "Redshift cluster", "AWS::Redshift::Cluster": "Redshift cluster",
	"aws_opensearch_domain": "OpenSearch domain", "AWS::OpenSearchService::Domain": "OpenSearch domain",
	"aws_batch_compute_environment": "Batch compute environment", "AWS::Batch::ComputeEnvironment": "Batch compute environment",
	"aws_lightsail_instance": "Lightsail instance",
}

// WorkloadKind names a resource type that runs or stores a workload
// ("EC2 instance"); ok is false for other types.
func WorkloadKind(typ string) (kind string, ok bool) {
	kind, ok = workloadTypes[typ]
	return kind, ok
}

// LZManagementWorkloads flags workloads in the account that creates the
// organization.
var LZManagementWorkloads = Rule{
	ID:        "SDR-LZ-001",
	Slug:      "lz-management-account-hosts-workloads",
	Title:     "Workload in the organization's management account",
	Severity:  High,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege, mappings.Tampering},
	ATTACK:    []string{"T1078.004", "T1484.002"},
	Rationale: `The management account is the one account service control policies never restrict, and its ` +
		`administrators can move accounts between OUs, detach SCPs, and assume OrganizationAccountAccessRole in every ` +
		`account the organization created. Its blast radius is the whole organization. Every workload it hosts — an ` +
		`instance with a role, a function, a database with credentials — is one more way in: a vulnerable build server ` +
		`or an over-permissive function there is a path to every account. The management account should hold the ` +
		`organization, billing and little else. A resource is counted in the management account when its provider ` +
		`names the same account, or when it is created by the same root module with the same provider configuration ` +
		`as the organization.`,
	Remediation: `Move the workload to a member account under an OU with guardrails. Keep in the management account ` +
		`only what AWS requires there (the organization, its policies, billing, the IAM Identity Center instance if ` +
		`not delegated), and delegate the administration of security services to a security account.`,
	FixTerraform: `# management/main.tf: the organization only
resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

# workloads/ci/main.tf: the build server in its own account
provider "aws" {
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/deploy"
  }
}

resource "aws_instance" "jenkins" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.large"
}`,
	FixCloudFormation: `# management.yaml: the organization only
Resources:
  Organization:
    Type: AWS::Organizations::Organization
    Properties:
      FeatureSet: ALL`,
	References: []string{
		"https://docs.aws.amazon.com/organizations/latest/userguide/orgs_best-practices_mgmt-acct.html",
		"https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/management-account.html",
	},
	Check: func(pass *Pass) error {
		m, ok := pass.Graph.Management()
		if !ok {
			return nil
		}
		for _, r := range pass.Graph.Resources {
			kind, isWorkload := workloadTypes[r.Addr.Type]
			if !isWorkload || r.Addr.Mode != graph.Managed || !m.Holds(r) {
				continue
			}
			pass.Report(Finding{Resource: r, Range: r.Range,
				Message: r.Addr.String() + " (" + kind + ") is in the management account, which creates " + m.Org.Addr.String() +
					": whoever compromises it is one step from every account of the organization",
				Related: []Related{{Range: m.Org.Range, Message: "the organization", Address: m.Org.Addr.String()}}})
		}
		return nil
	},
}
