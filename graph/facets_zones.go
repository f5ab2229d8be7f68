package graph

import "strings"

// Facets read by the boundary passes (zones.go, identity.go, flows.go):
// where a resource sits on the network, which role it runs as, what it
// exposes and what it stores. Parsers fill them in both vocabularies.

// Placement is where a resource that is not an instance sits on the
// network: a VPC, subnets, security groups; a load balancer's scheme.
type Placement struct {
	// VPC is the reference to its VPC, when written.
	VPC *Ref
	// Subnets and SecurityGroups are the references to its subnets and
	// groups.
	Subnets        []Ref
	SecurityGroups []Ref
	// InternetFacing is true for a load balancer whose scheme is
	// internet-facing, false for an internal one; absent elsewhere.
	InternetFacing Value[bool]
	// SubnetGroup is the reference to a DB or cache subnet group, whose
	// subnets are the resource's.
	SubnetGroup *Ref

	// Filled by Build: the VPC, subnets and groups found in the graph.
	VPCResolved     *Resource
	SubnetsResolved []*Resource
	Groups          []*Resource
}

// Route is one route of a route table.
type Route struct {
	// Destination is the IPv4 or IPv6 destination range.
	Destination Value[string]
	// Gateway is the reference to the internet gateway (or other target)
	// the route sends traffic to; GatewayID is a literal target ID.
	Gateway   *Ref
	GatewayID Value[string]
	Range     Range
}

// RouteTable is a route table, with its inline routes and the separate
// route resources the zones pass merges in.
type RouteTable struct {
	VPC    *Ref
	Routes []Route
	// Main is true for a VPC's default (main) route table
	// (aws_default_route_table).
	Main bool
}

// RouteEntry is a separate route resource (aws_route, AWS::EC2::Route).
type RouteEntry struct {
	Table *Ref
	Route Route
}

// RouteAssociation associates a route table with a subnet
// (aws_route_table_association, AWS::EC2::SubnetRouteTableAssociation) or
// makes it a VPC's main table (aws_main_route_table_association).
type RouteAssociation struct {
	Table  *Ref
	Subnet *Ref
	// MainOf is the VPC whose main table this makes Table.
	MainOf *Ref
}

// InternetGateway is an internet gateway and the VPC it is attached to:
// its own vpc_id (Terraform) or a separate attachment
// (AWS::EC2::VPCGatewayAttachment carries both references).
type InternetGateway struct {
	VPC *Ref
	// Gateway is set on an attachment resource: the gateway it attaches.
	Gateway *Ref
}

// RoleUse is the IAM role (or instance profile) a compute resource runs
// as: an instance's profile, a Lambda function's execution role, an ECS
// task's role, an EKS node group's role, a service's role.
type RoleUse struct {
	// Kind says how the role is used, for labels: "instance profile",
	// "execution role", "task role", "node role", "service role".
	Kind string
	// Refs are the references to roles or instance profiles, or to
	// something that itself uses roles (an ECS service's task
	// definition).
	Refs []Ref
	// Template is true for a launch template: what it launches runs as
	// the role, not the template itself.
	Template bool

	// Roles are the roles found in the graph, filled by Build.
	Roles []*Resource
}

// Endpoint is something callers outside AWS reach over the internet
// without being in a VPC: an API Gateway API, a CloudFront distribution.
type Endpoint struct {
	// Kind names it for labels: "REST API", "HTTP API", "CloudFront".
	Kind string
	// Public is false for a private API (reachable only through VPC
	// endpoints), unknown when its endpoint type cannot be known.
	Public Value[bool]
	// Backends are the references to what it forwards to: a
	// distribution's origins (a bucket, a load balancer).
	Backends []Ref
}

// ReadRoleUse reads the roles compute runs as from the references made at
// the given attributes (an instance profile, an execution role); nil when
// there are none.
func ReadRoleUse(r *Resource, kind string, attrs ...string) *RoleUse {
	u := &RoleUse{Kind: kind}
	for _, a := range attrs {
		u.Refs = append(u.Refs, r.RefsAt(a)...)
	}
	if len(u.Refs) == 0 {
		return nil
	}
	return u
}

// OIDCIssuer is an OIDC provider URL as IAM names the provider: without
// its scheme.
func OIDCIssuer(url Value[string]) Value[string] {
	if url.State == Set {
		url.V = strings.TrimPrefix(url.V, "https://")
	}
	return url
}

// ReadRESTAPIEndpoint reads an API Gateway REST API: public unless its
// endpoint types (the list at typesPath, inside the block at configPath)
// say PRIVATE, unknown when they cannot be known.
func ReadRESTAPIEndpoint(r *Resource, typesPath, configPath string) *Endpoint {
	e := &Endpoint{Kind: "REST API", Public: Known(true, r.Range)}
	types, known := r.StringListAttr(typesPath)
	for _, t := range types {
		switch {
		case t.Is("PRIVATE"):
			e.Public = Known(false, t.Range)
		case t.State == Unknown:
			e.Public = UnknownValue[bool](t.Range)
		}
	}
	if !known {
		e.Public = UnknownValue[bool](r.AttrRange(configPath))
	}
	return e
}

// ReadV2APIEndpoint reads an API Gateway v2 API, HTTP or WebSocket by the
// protocol attribute at protocolPath; both are reached from the internet.
func ReadV2APIEndpoint(r *Resource, protocolPath string) *Endpoint {
	kind := "HTTP API"
	if r.StringAttr(protocolPath).Is("WEBSOCKET") {
		kind = "WebSocket API"
	}
	return &Endpoint{Kind: kind, Public: Known(true, r.Range)}
}

// ListenerTarget is where a load balancer listener sends traffic, and the
// load balancer it belongs to.
type ListenerTarget struct {
	LoadBalancer *Ref
	Port         Value[int]
	// TargetGroups are the references to the target groups of its default
	// actions.
	TargetGroups []Ref
}

// TargetAttachment registers targets with a target group: a separate
// attachment (aws_lb_target_group_attachment), the Targets of an
// AWS::ElasticLoadBalancingV2::TargetGroup, or the target groups of an
// Auto Scaling group or an ECS service.
type TargetAttachment struct {
	// Groups are the target groups; Targets what is registered with them.
	// On a target group itself Groups is empty: it is the group; on an
	// Auto Scaling group or a service Targets is empty: it is the target.
	Groups  []Ref
	Targets []Ref
}

// StackSetTargets are the accounts a CloudFormation StackSet deploys to
// (AWS::CloudFormation::StackSet deployment targets,
// aws_cloudformation_stack_set_instance): accounts of the estate, even
// when nothing else in the code names them.
type StackSetTargets struct {
	Accounts []Value[string]
}

// IdentityProvider is an IAM OIDC or SAML identity provider
// (aws_iam_openid_connect_provider, aws_iam_saml_provider,
// AWS::IAM::OIDCProvider, AWS::IAM::SAMLProvider), which a trust policy
// names by reference when the code creates it.
type IdentityProvider struct {
	// Kind is "oidc" or "saml".
	Kind string
	// Name is the OIDC issuer URL without its scheme
	// ("token.actions.githubusercontent.com") or the SAML provider's
	// name.
	Name Value[string]
}

// SubnetGroup is a DB or cache subnet group (aws_db_subnet_group,
// aws_elasticache_subnet_group, AWS::RDS::DBSubnetGroup,
// AWS::ElastiCache::SubnetGroup): the subnets a database is placed in.
type SubnetGroup struct {
	Subnets []Ref
}
