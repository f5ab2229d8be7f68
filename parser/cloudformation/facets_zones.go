package cloudformation

import (
	"strconv"

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
	if sg := r.Facets.SecurityGroup(); sg != nil {
		sg.VPC = direct("VpcId")
		for i := range sg.Ingress {
			cfnIngressSources(r, &sg.Ingress[i], "SecurityGroupIngress."+strconv.Itoa(i)+".")
		}
	}
	if sr := r.Facets.SecurityGroupRule(); sr != nil {
		cfnIngressSources(r, &sr.Rule, "")
	}
	if sn := r.Facets.Subnet(); sn != nil {
		sn.VPC = direct("VpcId")
	}
	switch r.Addr.Type {
	case "AWS::EC2::RouteTable":
		r.Facets.SetRouteTable(&graph.RouteTable{VPC: direct("VpcId")})
	case "AWS::EC2::Route":
		rt := graph.Route{Destination: r.StringAttr("DestinationCidrBlock"), Gateway: direct("GatewayId"),
			GatewayID: r.StringAttr("GatewayId"), Range: r.Range}
		if rt.Destination.State == graph.Absent {
			rt.Destination = r.StringAttr("DestinationIpv6CidrBlock")
		}
		r.Facets.SetRouteEntry(&graph.RouteEntry{Table: direct("RouteTableId"), Route: rt})
	case "AWS::EC2::SubnetRouteTableAssociation":
		r.Facets.SetRouteAssociation(&graph.RouteAssociation{Table: direct("RouteTableId"), Subnet: direct("SubnetId")})
	case "AWS::EC2::InternetGateway":
		r.Facets.SetInternetGateway(&graph.InternetGateway{})
	case "AWS::EC2::VPCGatewayAttachment":
		if gw := direct("InternetGatewayId"); gw != nil {
			r.Facets.SetInternetGateway(&graph.InternetGateway{VPC: direct("VpcId"), Gateway: gw})
		}
	case "AWS::EC2::Instance":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "instance profile", "IamInstanceProfile"))
	case "AWS::EC2::LaunchTemplate":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "instance profile", "LaunchTemplateData.IamInstanceProfile"))
		if u := r.Facets.RoleUse(); u != nil {
			u.Template = true
		}
	case "AWS::Lambda::Function":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "execution role", "Role"))
		r.Facets.SetPlacement(&graph.Placement{Subnets: r.RefsAt("VpcConfig.SubnetIds"), SecurityGroups: r.RefsAt("VpcConfig.SecurityGroupIds")})
	case "AWS::ECS::TaskDefinition":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "task role", "TaskRoleArn", "ExecutionRoleArn"))
	case "AWS::ECS::Service":
		const vpc = "NetworkConfiguration.AwsvpcConfiguration."
		r.Facets.SetPlacement(&graph.Placement{Subnets: r.RefsAt(vpc + "Subnets"), SecurityGroups: r.RefsAt(vpc + "SecurityGroups")})
		if gs := r.RefsAt("LoadBalancers"); len(gs) > 0 {
			r.Facets.SetTargetAttachment(&graph.TargetAttachment{Groups: gs})
		}
		// The service runs its task definition's roles.
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "task role", "TaskDefinition"))
	case "AWS::EKS::Nodegroup":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "node role", "NodeRole"))
		r.Facets.SetPlacement(&graph.Placement{Subnets: r.RefsAt("Subnets")})
	case "AWS::EKS::Cluster":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "service role", "RoleArn"))
		r.Facets.SetPlacement(&graph.Placement{Subnets: r.RefsAt("ResourcesVpcConfig.SubnetIds"), SecurityGroups: r.RefsAt("ResourcesVpcConfig.SecurityGroupIds")})
	case "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer":
		p := &graph.Placement{Subnets: r.RefsAt("Subnets"), SecurityGroups: r.RefsAt("SecurityGroups")}
		switch s := r.StringAttr("Scheme"); s.State {
		case graph.Absent:
			// CloudFormation's default scheme is internet-facing.
			p.InternetFacing = graph.Known(true, r.Range)
		case graph.Set:
			p.InternetFacing = graph.Known(s.V != "internal", s.Range)
		default:
			p.InternetFacing = graph.UnknownValue[bool](s.Range)
		}
		r.Facets.SetPlacement(p)
	case "AWS::ElasticLoadBalancingV2::Listener":
		lt := &graph.ListenerTarget{LoadBalancer: direct("LoadBalancerArn"), Port: r.IntAttr("Port")}
		n, _ := r.ListLen("DefaultActions")
		for i := range n {
			lt.TargetGroups = append(lt.TargetGroups, r.RefsAt("DefaultActions."+strconv.Itoa(i)+".TargetGroupArn")...)
			lt.TargetGroups = append(lt.TargetGroups, r.RefsAt("DefaultActions."+strconv.Itoa(i)+".ForwardConfig")...)
		}
		r.Facets.SetListenerTarget(lt)
	case "AWS::ElasticLoadBalancingV2::TargetGroup":
		if ts := r.RefsAt("Targets"); len(ts) > 0 {
			r.Facets.SetTargetAttachment(&graph.TargetAttachment{Targets: ts})
		}
	case "AWS::AutoScaling::AutoScalingGroup":
		if gs := r.RefsAt("TargetGroupARNs"); len(gs) > 0 {
			r.Facets.SetTargetAttachment(&graph.TargetAttachment{Groups: gs})
		}
		r.Facets.SetPlacement(&graph.Placement{Subnets: r.RefsAt("VPCZoneIdentifier")})
	case "AWS::RDS::DBInstance":
		r.Facets.SetPlacement(&graph.Placement{SecurityGroups: r.RefsAt("VPCSecurityGroups"), SubnetGroup: direct("DBSubnetGroupName")})
		r.Facets.SetDataStore(graph.ReadDataStore(r, "rds", graph.StoreDatabase, "DBInstanceIdentifier"))
	case "AWS::RDS::DBCluster":
		r.Facets.SetPlacement(&graph.Placement{SecurityGroups: r.RefsAt("VpcSecurityGroupIds"), SubnetGroup: direct("DBSubnetGroupName")})
		r.Facets.SetDataStore(graph.ReadDataStore(r, "rds", graph.StoreDBCluster, "DBClusterIdentifier"))
	case "AWS::ApiGateway::RestApi":
		r.Facets.SetEndpoint(graph.ReadRESTAPIEndpoint(r, "EndpointConfiguration.Types", "EndpointConfiguration"))
	case "AWS::ApiGatewayV2::Api":
		r.Facets.SetEndpoint(graph.ReadV2APIEndpoint(r, "ProtocolType"))
	case "AWS::CloudFront::Distribution":
		r.Facets.SetEndpoint(&graph.Endpoint{Kind: "CloudFront distribution", Public: graph.Known(true, r.Range),
			Backends: r.RefsAt("DistributionConfig.Origins")})
	case "AWS::RDS::DBSubnetGroup", "AWS::ElastiCache::SubnetGroup":
		r.Facets.SetSubnetGroup(&graph.SubnetGroup{Subnets: r.RefsAt("SubnetIds")})
	case "AWS::CloudFormation::StackSet":
		t := &graph.StackSetTargets{}
		n, _ := r.ListLen("StackInstancesGroup")
		for i := range n {
			accounts, _ := r.StringListAttr("StackInstancesGroup." + strconv.Itoa(i) + ".DeploymentTargets.Accounts")
			t.Accounts = append(t.Accounts, accounts...)
		}
		r.Facets.SetStackSetTargets(t)
	case "AWS::IAM::OIDCProvider":
		r.Facets.SetIdentityProvider(&graph.IdentityProvider{Kind: "oidc", Name: graph.OIDCIssuer(r.StringAttr("Url"))})
	case "AWS::IAM::SAMLProvider":
		r.Facets.SetIdentityProvider(&graph.IdentityProvider{Kind: "saml", Name: r.StringAttr("Name")})
	case "AWS::S3::Bucket":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "s3", graph.StoreBucket, "BucketName"))
	case "AWS::DynamoDB::Table":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "dynamodb", graph.StoreTable, "TableName"))
	case "AWS::KMS::Key":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "kms", graph.StoreKey, ""))
	case "AWS::SecretsManager::Secret":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "secretsmanager", graph.StoreSecret, "Name"))
	case "AWS::SQS::Queue":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "sqs", graph.StoreQueue, "QueueName"))
	case "AWS::SNS::Topic":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "sns", graph.StoreTopic, "TopicName"))
	case "AWS::CloudTrail::Trail":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "cloudtrail", graph.StoreTrail, "TrailName"))
	}
}

// cfnIngressSources reads the groups and prefix lists an ingress rule
// admits.
func cfnIngressSources(r *graph.Resource, in *graph.IngressRule, prefix string) {
	in.SourceGroups = r.RefsAt(prefix + "SourceSecurityGroupId")
	if v := r.StringAttr(prefix + "SourcePrefixListId"); v.State != graph.Absent {
		in.PrefixLists = []graph.Value[string]{v}
	}
}
