package graph

import "slices"

// Facets are the typed meanings of a resource. A parser fills those that
// apply to the resource it read; graph passes complete the computed parts.
// A nil facet means the resource has no such aspect.
//
// A resource carries one or two facets of the sixty-odd kinds, so Facets
// holds only those that are set: each kind has a getter that returns nil
// when it is absent and a setter that adds, replaces or (given nil)
// removes it. Both are generated from facetSpec into facets_gen.go. The
// zero value has no facets. A copy of a Facets value is independent of
// the original: setters never change a list in place.
type Facets struct {
	// list holds at most one pointer per facet type, in the order set.
	list []any
}

// put stores v at index i of the list, or adds it when i is negative.
func (f *Facets) put(i int, v any) {
	n := len(f.list)
	if i < 0 {
		i = n
		n++
	}
	list := make([]any, n)
	copy(list, f.list)
	list[i] = v
	f.list = list
}

// remove drops index i of the list; a negative i is a no-op.
func (f *Facets) remove(i int) {
	switch {
	case i < 0:
	case len(f.list) == 1:
		f.list = nil
	default:
		f.list = slices.Concat(f.list[:i:i], f.list[i+1:])
	}
}

// facetSpec lists the facets, with their documentation: `go generate`
// writes a getter and a setter on Facets for each field (facets_gen.go).
// No value of this type is ever made.
//
//go:generate go run ./internal/facetgen
type facetSpec struct {
	// IMDS is set on everything that launches EC2 instances with metadata
	// options: instances, launch templates, launch configurations.
	IMDS *IMDS
	// IMDSDefaults is set on an account-level instance metadata default
	// (aws_ec2_instance_metadata_defaults).
	IMDSDefaults *IMDSDefaults
	// ImageSource is set on a data source that finds a machine image: an
	// AMI lookup, or an SSM parameter that names an image.
	ImageSource *ImageSource

	// IAM and resource policies (facets_iam.go).

	Role             *Role             // IAM roles
	User             *User             // IAM users
	Credential       *Credential       // access keys and console passwords of IAM users
	IdentityPolicy   *IdentityPolicy   // managed policies, inline policies written as their own resource, attachments
	ResourcePolicy   *ResourcePolicy   // bucket, queue, topic, repository, secret, vault and file system policies
	KMSKey           *KMSKey           // KMS keys
	LambdaPermission *LambdaPermission // aws_lambda_permission, AWS::Lambda::Permission
	Group            *Group            // IAM groups
	GroupMembership  *GroupMembership  // group memberships, and the Groups of an AWS::IAM::User
	InstanceProfile  *InstanceProfile  // IAM instance profiles
	DataStore        *DataStore        // buckets, tables, databases, keys, secrets, queues, topics, trails
	// PolicyDocument is a policy rendered by a data source
	// (data.aws_iam_policy_document).
	PolicyDocument *Policy

	SecurityGroup     *SecurityGroup     // aws_security_group, AWS::EC2::SecurityGroup
	SecurityGroupRule *SecurityGroupRule // standalone ingress rules
	EKSEndpoint       *EKSEndpoint       // aws_eks_cluster, AWS::EKS::Cluster
	Listener          *Listener          // aws_lb_listener, AWS::ElasticLoadBalancingV2::Listener
	Distribution      *Distribution      // aws_cloudfront_distribution, AWS::CloudFront::Distribution
	APIMethod         *APIMethod         // API Gateway methods and HTTP API routes
	Database          *Database          // RDS instances and clusters
	BucketACL         *BucketACL         // canned ACLs on S3 buckets
	PublicAccessBlock *PublicAccessBlock // S3 public access blocks, bucket and account
	Table             *Table             // DynamoDB tables
	Trail             *Trail             // CloudTrail trails
	LogGroup          *LogGroup          // CloudWatch Logs log groups
	VPC               *VPC               // VPCs
	FlowLog           *FlowLog           // VPC flow logs
	BackupVault       *BackupVault       // AWS Backup vaults
	VaultLock         *VaultLock         // separate AWS Backup vault locks
	Account           *Account           // organizations and member accounts
	Detector          *Detector          // GuardDuty, Config, Security Hub
	Sharing           *Sharing           // snapshot and image sharing grants
	InstanceNetwork   *InstanceNetwork   // aws_instance, AWS::EC2::Instance
	Subnet            *Subnet            // aws_subnet, AWS::EC2::Subnet
	NetworkACL        *NetworkACL        // network ACLs and their entry resources
	KeyDeletion       *KeyDeletion       // aws_kms_key, AWS::KMS::Key
	TrailBucket       *TrailBucket       // the bucket a trail delivers to
	BucketProtection  *BucketProtection  // S3 versioning and Object Lock
	LambdaFunction    *LambdaFunction    // aws_lambda_function, AWS::Lambda::Function
	LambdaFront       *LambdaFront       // function URLs and API Gateway integrations
	LaunchGroup       *LaunchGroup       // Auto Scaling groups, EKS node groups, Batch compute environments
	APIStage          *APIStage          // API Gateway stages
	APIMethodSettings *APIMethodSettings // aws_api_gateway_method_settings
	PlainConfig       *PlainConfig       // user data, Lambda and container environment
	OrgNode           *OrgNode           // organization root, OUs, member accounts
	SCP               *SCP               // service control policies
	SCPAttachment     *SCPAttachment     // aws_organizations_policy_attachment

	// Boundary facets (facets_zones.go).

	Placement        *Placement        // load balancers, databases, functions in a VPC
	RouteTable       *RouteTable       // route tables
	RouteEntry       *RouteEntry       // separate routes
	RouteAssociation *RouteAssociation // route table associations
	InternetGateway  *InternetGateway  // internet gateways and their attachments
	RoleUse          *RoleUse          // compute and the role it runs as
	Endpoint         *Endpoint         // APIs and distributions reached from the internet
	ListenerTarget   *ListenerTarget   // load balancer listeners
	TargetAttachment *TargetAttachment // target groups and their registrations
	StackSetTargets  *StackSetTargets  // StackSets and their instances
	IdentityProvider *IdentityProvider // IAM OIDC and SAML providers
	SubnetGroup      *SubnetGroup      // DB and cache subnet groups
}

// Values of the IMDS fields, in the EC2 API's spelling.
const (
	TokensRequired   = "required"
	TokensOptional   = "optional"
	EndpointEnabled  = "enabled"
	EndpointDisabled = "disabled"
	// NoPreference is what an account default says when it leaves the
	// choice to the AMI and launch parameters.
	NoPreference = "no-preference"
)

// IMDS is the instance metadata service configuration of an instance or of
// a template that launches instances.
type IMDS struct {
	// Tokens is http_tokens / HttpTokens.
	Tokens Value[string]
	// TokensName is how the source spells the tokens attribute, for
	// messages: "http_tokens" or "HttpTokens".
	TokensName string
	// Endpoint is http_endpoint / HttpEndpoint.
	Endpoint Value[string]
	// HopLimit is http_put_response_hop_limit / HttpPutResponseHopLimit.
	HopLimit Value[int]
	// Block is the metadata options block when written, else the resource.
	Block Range
	// BlockSet says whether a metadata options block is written.
	BlockSet bool
	// LaunchTemplate, when the resource launches from a template whose
	// metadata options apply unless the resource overrides them.
	LaunchTemplate *TemplateLink
	// TemplateName is the name of a launch template, so that instances
	// naming it can be linked.
	TemplateName Value[string]
	// Image is the machine image when the resource names it by
	// reference to a data source (ami = data.aws_ami.x.id): some images
	// require IMDSv2 unless told otherwise.
	Image *ImageLink

	// Effective is computed by Build.
	Effective IMDSEffective
}

// TemplateLink is how a resource names its launch template: by reference
// to a resource in the same scope, or by name.
type TemplateLink struct {
	Ref   *Ref
	Name  Value[string]
	Range Range
	// Resolved is the template in the graph, filled by Build.
	Resolved *Resource
}

// ImageLink names a machine image: by reference to a data source, or by
// the SSM parameter the input reads the image ID from in place (a
// CloudFormation parameter of an SSM type, a {{resolve:ssm:…}} reference).
type ImageLink struct {
	Ref   *Ref
	Range Range
	// Source is what the input says in place of a data source.
	Source *ImageSource
	// Resolved is the data source in the graph, filled by Build.
	Resolved *Resource
}

// ImageSource returns what is known of the image, nil when nothing is.
func (l *ImageLink) ImageSource() *ImageSource {
	switch {
	case l.Source != nil:
		return l.Source
	case l.Resolved != nil:
		return l.Resolved.Facets.ImageSource()
	}
	return nil
}

// ImageSource is what a data source tells of the image it finds.
type ImageSource struct {
	// Names are the image name patterns of an AMI lookup (name filters,
	// name_regex) or the name of the SSM parameter holding the image ID.
	Names []Value[string]
	// SSM says Names is an SSM parameter name.
	SSM bool
	// Owners are the AMI lookup's owners (account IDs or aliases).
	Owners []Value[string]
	// IMDSSupport is the image's own imds_support when the input knows it
	// (a plan reads the data source): "v2.0" requires IMDSv2.
	IMDSSupport Value[string]
}

// IMDSDefaults is an account-and-region default for new instances.
type IMDSDefaults struct {
	Tokens   Value[string]
	Endpoint Value[string]
}

// IMDSStatus is the computed answer to "can code on this instance reach
// IMDSv1?".
type IMDSStatus uint8

const (
	// IMDSUndetermined: a value that decides it is unknown, or the launch
	// template lies outside the scanned tree.
	IMDSUndetermined IMDSStatus = iota
	// IMDSv2Only: session tokens are required.
	IMDSv2Only
	// IMDSv1Reachable: tokens are optional; a request without a token
	// (an SSRF, a proxied GET) gets credentials.
	IMDSv1Reachable
	// IMDSOff: the metadata endpoint is disabled.
	IMDSOff
	// IMDSInherited: the resource takes its options from a launch template
	// in the graph, which carries the verdict.
	IMDSInherited
)

func (s IMDSStatus) String() string {
	switch s {
	case IMDSv2Only:
		return "v2-only"
	case IMDSv1Reachable:
		return "v1-reachable"
	case IMDSOff:
		return "off"
	case IMDSInherited:
		return "inherited"
	}
	return "undetermined"
}

// IMDSEffective is the outcome of the IMDS pass.
type IMDSEffective struct {
	Status IMDSStatus
	// Range is where to point: the tokens attribute when written, else the
	// metadata options block, else the resource.
	Range Range
	// Reason says in words why, for messages.
	Reason string
	// Via is the launch template or account default that decided it.
	Via *Resource
}
