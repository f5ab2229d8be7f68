package graph

import "strconv"

// SecurityGroup is a security group's ingress. Rules written inside the
// group come first; the graph's network pass appends the standalone rule
// resources that name the group (aws_security_group_rule,
// aws_vpc_security_group_ingress_rule, AWS::EC2::SecurityGroupIngress).
type SecurityGroup struct {
	Ingress []IngressRule
	// IngressKnown is false when the group's list of inline rules cannot
	// be known (a dynamic block over an unknown collection).
	IngressKnown bool
	// Default is true for a VPC's default group
	// (aws_default_security_group), which resources launched without a
	// group join.
	Default bool
	// EgressRules counts the egress rules written in the group.
	EgressRules int
	// VPC is the reference to the group's VPC, when written.
	VPC *Ref
}

// NetworkACLEntry is one rule of a network ACL.
type NetworkACLEntry struct {
	Egress     Value[bool]
	Action     Value[string] // allow, deny
	Protocol   Value[string] // "-1", "6", "tcp", …
	CIDR       Value[string] // IPv4 or IPv6 range
	RuleNumber Value[int]
	FromPort   Value[int]
	ToPort     Value[int]
	Range      Range
}

// NetworkACL is a network ACL's entries, inline or as entry resources.
type NetworkACL struct {
	Entries []NetworkACLEntry
}

// IngressRule is one ingress permission.
type IngressRule struct {
	// Protocol as written: "tcp", "6", "-1", "all", …
	Protocol Value[string]
	// FromPort and ToPort bound the port range; absent for all-traffic
	// rules that do not name ports.
	FromPort, ToPort Value[int]
	// CIDRs are the IPv4 and IPv6 ranges admitted. Other sources (groups,
	// prefix lists) are not listed: they are not the internet.
	CIDRs []Value[string]
	// CIDRsKnown is false when a list of ranges is unknown as a whole.
	CIDRsKnown bool
	// Range is the rule's block, item or resource.
	Range Range
	// Declared is the resource that declares the rule: the group itself
	// or a standalone rule resource.
	Declared *Resource
	// SourceGroups are the references to the security groups whose
	// members the rule admits; Self says it admits the group's own
	// members. PrefixLists are managed prefix list IDs as written.
	SourceGroups []Ref
	Self         bool
	PrefixLists  []Value[string]
}

// SecurityGroupRule is a standalone ingress rule resource. The network
// pass resolves Group and appends Rule to the group's ingress.
type SecurityGroupRule struct {
	Rule IngressRule
	// Group is the reference to the group the rule belongs to, when the
	// group is named by reference.
	Group *Ref
	// Resolved is the group in the graph, filled by Build.
	Resolved *Resource
}

// EKSEndpoint is the Kubernetes API endpoint of an EKS cluster.
type EKSEndpoint struct {
	// Public is endpoint_public_access / EndpointPublicAccess; AWS
	// enables it when absent.
	Public Value[bool]
	// PublicCIDRs is public_access_cidrs / PublicAccessCidrs; AWS uses
	// 0.0.0.0/0 when absent.
	PublicCIDRs []Value[string]
	// PublicCIDRsKnown is false when the list is unknown as a whole.
	PublicCIDRsKnown bool
	// Block is the VPC configuration block, else the resource.
	Block Range
}

// Listener is a load balancer listener.
type Listener struct {
	// Protocol is HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE.
	Protocol Value[string]
	// SSLPolicy is the TLS security policy of HTTPS and TLS listeners.
	SSLPolicy Value[string]
	// RedirectsToHTTPS says whether the default action redirects to
	// HTTPS: Set(true) when it does, Set(false) when the default actions
	// are known and none does, Unknown when they cannot be read.
	RedirectsToHTTPS Value[bool]
}

// ListenerPaths are the attribute paths a format writes a load balancer
// listener under; ReadListener is the one reading of them.
type ListenerPaths struct {
	Protocol, SSLPolicy string
	// Actions is the list of default actions; Type and RedirectProtocol
	// are paths inside one action.
	Actions, Type, RedirectProtocol string
}

// ReadListener reads a listener's protocol, TLS policy and whether its
// default action redirects to HTTPS. An action whose type, or whose
// redirect protocol, cannot be known makes the redirect unknown.
func ReadListener(r *Resource, p ListenerPaths) *Listener {
	l := &Listener{Protocol: r.StringAttr(p.Protocol), SSLPolicy: r.StringAttr(p.SSLPolicy)}
	n, known := r.ListLen(p.Actions)
	if !known {
		l.RedirectsToHTTPS = UnknownValue[bool](r.AttrRange(p.Actions))
		return l
	}
	l.RedirectsToHTTPS = Known(false, r.Range)
	for i := range n {
		a := p.Actions + "." + strconv.Itoa(i)
		typ, proto := r.StringAttr(a+"."+p.Type), r.StringAttr(a+"."+p.RedirectProtocol)
		switch {
		case typ.State == Unknown || (typ.Is("redirect") && proto.State == Unknown):
			l.RedirectsToHTTPS = UnknownValue[bool](r.AttrRange(a))
			return l
		case typ.Is("redirect") && proto.Is("HTTPS"):
			l.RedirectsToHTTPS = Known(true, r.AttrRange(a))
			return l
		}
	}
	return l
}

// ViewerPolicy is the viewer protocol policy of one CloudFront cache
// behavior.
type ViewerPolicy struct {
	// Behavior names the behavior for messages: "default cache behavior"
	// or the path pattern.
	Behavior string
	Policy   Value[string]
}

// Distribution is a CloudFront distribution's viewer-facing settings.
type Distribution struct {
	Behaviors []ViewerPolicy
	// MinimumProtocol is the viewer certificate's minimum TLS version.
	MinimumProtocol Value[string]
}

// APIMethod is an API Gateway method or route and how callers are
// authorised.
type APIMethod struct {
	// HTTPMethod is the method ("GET", "ANY") or, for HTTP APIs, the route
	// key ("GET /items").
	HTTPMethod Value[string]
	// Authorization is NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS or JWT;
	// absent means NONE in both formats.
	Authorization Value[string]
	// APIKeyRequired applies to REST API methods only.
	APIKeyRequired Value[bool]
}

// APIStage is a deployed API Gateway stage and its request throttling.
type APIStage struct {
	// RateLimit is the stage-wide (or default route) steady-state rate
	// limit written on the stage itself.
	RateLimit Value[string]
	// Settings are separate method-settings resources that name this
	// stage (aws_api_gateway_method_settings), filled by Build.
	Settings []*Resource
}

// APIMethodSettings is a separate method-settings resource.
type APIMethodSettings struct {
	// Stage is the reference to the stage.
	Stage *Ref
	// RateLimit is settings.throttling_rate_limit.
	RateLimit Value[string]
}
