package cloudformation

import (
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
)

// fillZones sets the facets the boundary passes read, in the same
// vocabulary as package tfschema: network placement, routes, the role
// compute runs as, what the internet reaches and what stores data. It
// completes the security group and subnet facets of fillServices.
func fillZones(r *graph.Resource, st *resState) {
	direct := func(path string) *graph.Ref {
		if ref, ok := st.direct[path]; ok {
			return &ref
		}
		return nil
	}
	if sg := r.Facets.SecurityGroup; sg != nil {
		sg.VPC = direct("VpcId")
		for i := range sg.Ingress {
			cfnIngressSources(r, &sg.Ingress[i], "SecurityGroupIngress."+strconv.Itoa(i)+".")
		}
	}
	if sr := r.Facets.SecurityGroupRule; sr != nil {
		cfnIngressSources(r, &sr.Rule, "")
	}
	if sn := r.Facets.Subnet; sn != nil {
		sn.VPC = direct("VpcId")
	}
	switch r.Addr.Type {
	case "AWS::EC2::RouteTable":
		r.Facets.RouteTable = &graph.RouteTable{VPC: direct("VpcId")}
	case "AWS::EC2::Route":
		rt := graph.Route{Destination: r.StringAttr("DestinationCidrBlock"), Gateway: direct("GatewayId"),
			GatewayID: r.StringAttr("GatewayId"), Range: r.Range}
		if rt.Destination.State == graph.Absent {
			rt.Destination = r.StringAttr("DestinationIpv6CidrBlock")
		}
		r.Facets.RouteEntry = &graph.RouteEntry{Table: direct("RouteTableId"), Route: rt}
	case "AWS::EC2::SubnetRouteTableAssociation":
		r.Facets.RouteAssociation = &graph.RouteAssociation{Table: direct("RouteTableId"), Subnet: direct("SubnetId")}
	case "AWS::EC2::InternetGateway":
		r.Facets.InternetGateway = &graph.InternetGateway{}
	case "AWS::EC2::VPCGatewayAttachment":
		if gw := direct("InternetGatewayId"); gw != nil {
			r.Facets.InternetGateway = &graph.InternetGateway{VPC: direct("VpcId"), Gateway: gw}
		}
	case "AWS::EC2::Instance":
		cfnRoleUse(r, "instance profile", "IamInstanceProfile")
	case "AWS::EC2::LaunchTemplate":
		cfnRoleUse(r, "instance profile", "LaunchTemplateData.IamInstanceProfile")
		if u := r.Facets.RoleUse; u != nil {
			u.Template = true
		}
	case "AWS::Lambda::Function":
		cfnRoleUse(r, "execution role", "Role")
		r.Facets.Placement = &graph.Placement{Subnets: cfnRefs(r, "VpcConfig.SubnetIds"), SecurityGroups: cfnRefs(r, "VpcConfig.SecurityGroupIds")}
	case "AWS::ECS::TaskDefinition":
		cfnRoleUse(r, "task role", "TaskRoleArn", "ExecutionRoleArn")
	case "AWS::ECS::Service":
		const vpc = "NetworkConfiguration.AwsvpcConfiguration."
		r.Facets.Placement = &graph.Placement{Subnets: cfnRefs(r, vpc+"Subnets"), SecurityGroups: cfnRefs(r, vpc+"SecurityGroups")}
		if gs := cfnRefs(r, "LoadBalancers"); len(gs) > 0 {
			r.Facets.TargetAttachment = &graph.TargetAttachment{Groups: gs}
		}
		// The service runs its task definition's roles.
		cfnRoleUse(r, "task role", "TaskDefinition")
	case "AWS::EKS::Nodegroup":
		cfnRoleUse(r, "node role", "NodeRole")
		r.Facets.Placement = &graph.Placement{Subnets: cfnRefs(r, "Subnets")}
	case "AWS::EKS::Cluster":
		cfnRoleUse(r, "service role", "RoleArn")
		r.Facets.Placement = &graph.Placement{Subnets: cfnRefs(r, "ResourcesVpcConfig.SubnetIds"), SecurityGroups: cfnRefs(r, "ResourcesVpcConfig.SecurityGroupIds")}
	case "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer":
		p := &graph.Placement{Subnets: cfnRefs(r, "Subnets"), SecurityGroups: cfnRefs(r, "SecurityGroups")}
		switch s := r.StringAttr("Scheme"); s.State {
		case graph.Absent:
			// CloudFormation's default scheme is internet-facing.
			p.InternetFacing = graph.Known(true, r.Range)
		case graph.Set:
			p.InternetFacing = graph.Known(s.V != "internal", s.Range)
		default:
			p.InternetFacing = graph.UnknownValue[bool](s.Range)
		}
		r.Facets.Placement = p
	case "AWS::ElasticLoadBalancingV2::Listener":
		lt := &graph.ListenerTarget{LoadBalancer: direct("LoadBalancerArn"), Port: r.IntAttr("Port")}
		n, _ := r.ListLen("DefaultActions")
		for i := range n {
			lt.TargetGroups = append(lt.TargetGroups, cfnRefs(r, "DefaultActions."+strconv.Itoa(i)+".TargetGroupArn")...)
			lt.TargetGroups = append(lt.TargetGroups, cfnRefs(r, "DefaultActions."+strconv.Itoa(i)+".ForwardConfig")...)
		}
		r.Facets.ListenerTarget = lt
	case "AWS::ElasticLoadBalancingV2::TargetGroup":
		if ts := cfnRefs(r, "Targets"); len(ts) > 0 {
			r.Facets.TargetAttachment = &graph.TargetAttachment{Targets: ts}
		}
	case "AWS::AutoScaling::AutoScalingGroup":
		if gs := cfnRefs(r, "TargetGroupARNs"); len(gs) > 0 {
			r.Facets.TargetAttachment = &graph.TargetAttachment{Groups: gs}
		}
		r.Facets.Placement = &graph.Placement{Subnets: cfnRefs(r, "VPCZoneIdentifier")}
	case "AWS::RDS::DBInstance":
		r.Facets.Placement = &graph.Placement{SecurityGroups: cfnRefs(r, "VPCSecurityGroups"), SubnetGroup: direct("DBSubnetGroupName")}
		cfnStore(r, "rds", graph.StoreDatabase, "DBInstanceIdentifier")
	case "AWS::RDS::DBCluster":
		r.Facets.Placement = &graph.Placement{SecurityGroups: cfnRefs(r, "VpcSecurityGroupIds"), SubnetGroup: direct("DBSubnetGroupName")}
		cfnStore(r, "rds", graph.StoreDBCluster, "DBClusterIdentifier")
	case "AWS::ApiGateway::RestApi":
		r.Facets.Endpoint = graph.ReadRESTAPIEndpoint(r, "EndpointConfiguration.Types", "EndpointConfiguration")
	case "AWS::ApiGatewayV2::Api":
		r.Facets.Endpoint = graph.ReadV2APIEndpoint(r, "ProtocolType")
	case "AWS::CloudFront::Distribution":
		r.Facets.Endpoint = &graph.Endpoint{Kind: "CloudFront distribution", Public: graph.Known(true, r.Range),
			Backends: cfnRefs(r, "DistributionConfig.Origins")}
	case "AWS::RDS::DBSubnetGroup", "AWS::ElastiCache::SubnetGroup":
		r.Facets.SubnetGroup = &graph.SubnetGroup{Subnets: cfnRefs(r, "SubnetIds")}
	case "AWS::CloudFormation::StackSet":
		t := &graph.StackSetTargets{}
		n, _ := r.ListLen("StackInstancesGroup")
		for i := range n {
			accounts, _ := r.StringListAttr("StackInstancesGroup." + strconv.Itoa(i) + ".DeploymentTargets.Accounts")
			t.Accounts = append(t.Accounts, accounts...)
		}
		r.Facets.StackSetTargets = t
	case "AWS::IAM::OIDCProvider":
		name := r.StringAttr("Url")
		if name.State == graph.Set {
			name.V = strings.TrimPrefix(name.V, "https://")
		}
		r.Facets.IdentityProvider = &graph.IdentityProvider{Kind: "oidc", Name: name}
	case "AWS::IAM::SAMLProvider":
		r.Facets.IdentityProvider = &graph.IdentityProvider{Kind: "saml", Name: r.StringAttr("Name")}
	case "AWS::S3::Bucket":
		cfnStore(r, "s3", graph.StoreBucket, "BucketName")
	case "AWS::DynamoDB::Table":
		cfnStore(r, "dynamodb", graph.StoreTable, "TableName")
	case "AWS::KMS::Key":
		cfnStore(r, "kms", graph.StoreKey, "")
	case "AWS::SecretsManager::Secret":
		cfnStore(r, "secretsmanager", graph.StoreSecret, "Name")
	case "AWS::SQS::Queue":
		cfnStore(r, "sqs", graph.StoreQueue, "QueueName")
	case "AWS::SNS::Topic":
		cfnStore(r, "sns", graph.StoreTopic, "TopicName")
	case "AWS::CloudTrail::Trail":
		cfnStore(r, "cloudtrail", graph.StoreTrail, "TrailName")
	}
}

// cfnIngressSources reads the groups and prefix lists an ingress rule
// admits.
func cfnIngressSources(r *graph.Resource, in *graph.IngressRule, prefix string) {
	in.SourceGroups = cfnRefs(r, prefix+"SourceSecurityGroupId")
	if v := r.StringAttr(prefix + "SourcePrefixListId"); v.State != graph.Absent {
		in.PrefixLists = []graph.Value[string]{v}
	}
}

// cfnRefs returns every reference made from the property at path or from
// inside it, in order.
func cfnRefs(r *graph.Resource, path string) []graph.Ref {
	var out []graph.Ref
	for _, ref := range r.Refs {
		if ref.Attr == path || strings.HasPrefix(ref.Attr, path+".") {
			out = append(out, ref)
		}
	}
	return out
}

func cfnRoleUse(r *graph.Resource, kind string, props ...string) {
	u := &graph.RoleUse{Kind: kind}
	for _, p := range props {
		u.Refs = append(u.Refs, cfnRefs(r, p)...)
	}
	if len(u.Refs) > 0 {
		r.Facets.RoleUse = u
	}
}

func cfnStore(r *graph.Resource, service, kind, name string) {
	s := &graph.DataStore{Service: service, Kind: kind}
	if name != "" {
		s.Name = r.StringAttr(name)
	}
	r.Facets.DataStore = s
}
