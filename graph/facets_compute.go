package graph

import (
	"encoding/base64"
	"strings"
)

// PlainConfig is configuration a resource hands to running code in plain
// text, where anyone who can read the resource's definition (the
// describe API, the state file, the template) reads it too: user data,
// Lambda environment variables, ECS container environment.
type PlainConfig struct {
	Entries []ConfigEntry
}

// ConfigEntry is one value of plain configuration.
type ConfigEntry struct {
	// Where says what the value is, for messages: "user_data",
	// "environment variable DB_PASSWORD", "container web environment
	// variable TOKEN".
	Where string
	// Name is the variable's name when it has one, else empty.
	Name  string
	Value Value[string]
}

// DecodeUserData returns the decoded text when s is entirely standard
// base64 of text, else s. User data is written one way or the other, and a
// script is never valid base64 of text by accident.
func DecodeUserData(s string) string {
	t := strings.Join(strings.Fields(s), "")
	if len(t) < 8 || len(t)%4 != 0 {
		return s
	}
	b, err := base64.StdEncoding.DecodeString(t)
	if err != nil {
		return s
	}
	for _, c := range string(b) {
		if c == '\uFFFD' || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
			return s
		}
	}
	return string(b)
}

// InstanceNetwork is where an instance sits on the network: whether it
// gets a public IP address and which security groups guard it.
type InstanceNetwork struct {
	// PublicIP is associate_public_ip_address / AssociatePublicIpAddress;
	// absent, the subnet's setting decides.
	PublicIP Value[bool]
	// Subnet is the reference to the instance's subnet.
	Subnet *Ref
	// SecurityGroups are the references to its security groups.
	SecurityGroups []Ref
	// Profile is the instance profile (iam_instance_profile,
	// IamInstanceProfile); nil when the instance has none.
	Profile *PrincipalLink

	// Filled by Build: the subnet and groups found in the graph.
	SubnetResolved *Resource
	Groups         []*Resource
}

// Public says whether the instance gets a public IP address: its own
// setting when written, else its subnet's. Unknown when either deciding
// value is unknown or the subnet lies outside the graph.
func (n *InstanceNetwork) Public() Value[bool] {
	if n.PublicIP.State != Absent {
		return n.PublicIP
	}
	if n.SubnetResolved != nil && n.SubnetResolved.Facets.Subnet() != nil {
		m := n.SubnetResolved.Facets.Subnet().MapPublicIP
		if m.State == Absent {
			return Known(false, m.Range)
		}
		return m
	}
	if n.Subnet == nil {
		// The default subnets of the default VPC assign public addresses.
		return UnknownValue[bool](n.PublicIP.Range)
	}
	return UnknownValue[bool](n.Subnet.Range)
}

// Subnet is a VPC subnet.
type Subnet struct {
	// MapPublicIP is map_public_ip_on_launch / MapPublicIpOnLaunch.
	MapPublicIP Value[bool]
	// VPC is the reference to the subnet's VPC.
	VPC *Ref
}

// LambdaFunction is a Lambda function's exposure and concurrency.
type LambdaFunction struct {
	// ReservedConcurrency is reserved_concurrent_executions /
	// ReservedConcurrentExecutions; absent or -1 means unreserved.
	ReservedConcurrency Value[int]
	// Name is function_name / FunctionName, from which its ARN is built.
	Name Value[string]
	// Role is the execution role (role, Role): a reference or an ARN.
	Role *PolicyLink
	// Fronts are the API Gateway integrations and function URLs in the
	// graph that invoke the function, filled by Build.
	Fronts []*Resource
}

// LambdaFront is something that invokes a Lambda function on behalf of
// callers outside AWS: a function URL or an API Gateway integration.
type LambdaFront struct {
	// Kind is "function URL" or "API Gateway integration", for messages.
	Kind string
	// Function is the reference to the invoked function.
	Function *Ref
	// Auth is a function URL's authorization type (NONE or AWS_IAM);
	// absent on integrations, whose methods carry the authorization.
	Auth Value[string]
}

// LaunchGroup is something that launches instances from a launch
// template without being an instance itself: an Auto Scaling group, an
// EKS managed node group, a Batch compute environment.
type LaunchGroup struct {
	// Kind names it for messages: "Auto Scaling group", "EKS node group",
	// "Batch compute environment".
	Kind string
	// Template is how it names its launch template.
	Template *TemplateLink
}
