package tfschema

import (
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
)

// fillZones sets the facets the boundary passes read: network placement,
// routes, the role compute runs as, what the internet reaches and what
// stores data. It runs after fillServices, whose security group and
// subnet facets it completes.
func fillZones(r *graph.Resource) {
	if sg := r.Facets.SecurityGroup(); sg != nil {
		sg.VPC = RefAt(r, "vpc_id")
		for i := range sg.Ingress {
			p := "ingress." + strconv.Itoa(i) + "."
			sg.Ingress[i].SourceGroups = r.RefsAt(p + "security_groups")
			sg.Ingress[i].Self = r.BoolAttr(p + "self").Is(true)
			sg.Ingress[i].PrefixLists, _ = r.StringListAttr(p + "prefix_list_ids")
		}
	}
	if sn := r.Facets.Subnet(); sn != nil {
		sn.VPC = RefAt(r, "vpc_id")
	}
	if sr := r.Facets.SecurityGroupRule(); sr != nil {
		in := &sr.Rule
		switch r.Addr.Type {
		case "aws_security_group_rule":
			in.SourceGroups = r.RefsAt("source_security_group_id")
			in.Self = r.BoolAttr("self").Is(true)
			in.PrefixLists, _ = r.StringListAttr("prefix_list_ids")
		case "aws_vpc_security_group_ingress_rule":
			in.SourceGroups = r.RefsAt("referenced_security_group_id")
			if v := r.StringAttr("prefix_list_id"); written(v) {
				in.PrefixLists = []graph.Value[string]{v}
			}
		}
	}
	switch r.Addr.Type {
	case "aws_route_table", "aws_default_route_table":
		rt := &graph.RouteTable{VPC: RefAt(r, "vpc_id"), Main: r.Addr.Type == "aws_default_route_table"}
		if rt.Main {
			// default_route_table_id = aws_vpc.x.default_route_table_id
			rt.VPC = RefAt(r, "default_route_table_id")
		}
		n, _ := r.ListLen("route")
		for i := range n {
			p := "route." + strconv.Itoa(i) + "."
			rt.Routes = append(rt.Routes, tfRoute(r, p, "cidr_block", "ipv6_cidr_block"))
		}
		r.Facets.SetRouteTable(rt)
	case "aws_route":
		r.Facets.SetRouteEntry(&graph.RouteEntry{Table: RefAt(r, "route_table_id"),
			Route: tfRoute(r, "", "destination_cidr_block", "destination_ipv6_cidr_block")})
	case "aws_route_table_association":
		r.Facets.SetRouteAssociation(&graph.RouteAssociation{Table: RefAt(r, "route_table_id"), Subnet: RefAt(r, "subnet_id")})
	case "aws_main_route_table_association":
		r.Facets.SetRouteAssociation(&graph.RouteAssociation{Table: RefAt(r, "route_table_id"), MainOf: RefAt(r, "vpc_id")})
	case "aws_internet_gateway":
		r.Facets.SetInternetGateway(&graph.InternetGateway{VPC: RefAt(r, "vpc_id")})
	case "aws_internet_gateway_attachment":
		r.Facets.SetInternetGateway(&graph.InternetGateway{VPC: RefAt(r, "vpc_id"), Gateway: RefAt(r, "internet_gateway_id")})
	case "aws_instance", "aws_spot_instance_request":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "instance profile", "iam_instance_profile"))
	case "aws_launch_template":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "instance profile", "iam_instance_profile"))
		if u := r.Facets.RoleUse(); u != nil {
			u.Template = true
		}
	case "aws_lambda_function":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "execution role", "role"))
		placement(r, "", "vpc_config.0.subnet_ids", "vpc_config.0.security_group_ids")
	case "aws_ecs_task_definition":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "task role", "task_role_arn", "execution_role_arn"))
	case "aws_ecs_service":
		placement(r, "", "network_configuration.0.subnets", "network_configuration.0.security_groups")
		if gs := r.RefsAt("load_balancer"); len(gs) > 0 {
			r.Facets.SetTargetAttachment(&graph.TargetAttachment{Groups: gs})
		}
		// The service runs its task definition's roles.
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "task role", "task_definition"))
	case "aws_eks_node_group":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "node role", "node_role_arn"))
		placement(r, "", "subnet_ids", "")
	case "aws_eks_cluster":
		r.Facets.SetRoleUse(graph.ReadRoleUse(r, "service role", "role_arn"))
		placement(r, "", "vpc_config.0.subnet_ids", "vpc_config.0.security_group_ids")
	case "aws_lb", "aws_alb", "aws_elb":
		placement(r, "", "subnets", "security_groups")
		internal := r.BoolAttr("internal")
		switch internal.State {
		case graph.Absent:
			// The provider's default is an internet-facing scheme.
			r.Facets.Placement().InternetFacing = graph.Known(true, r.Range)
		case graph.Set:
			r.Facets.Placement().InternetFacing = graph.Known(!internal.V, internal.Range)
		default:
			r.Facets.Placement().InternetFacing = internal
		}
	case "aws_lb_listener", "aws_alb_listener":
		lt := &graph.ListenerTarget{LoadBalancer: RefAt(r, "load_balancer_arn"), Port: r.IntAttr("port")}
		n, _ := r.ListLen("default_action")
		for i := range n {
			lt.TargetGroups = append(lt.TargetGroups, r.RefsAt("default_action."+strconv.Itoa(i)+".target_group_arn")...)
			lt.TargetGroups = append(lt.TargetGroups, r.RefsAt("default_action."+strconv.Itoa(i)+".forward")...)
		}
		r.Facets.SetListenerTarget(lt)
	case "aws_lb_target_group_attachment", "aws_alb_target_group_attachment":
		r.Facets.SetTargetAttachment(&graph.TargetAttachment{Groups: r.RefsAt("target_group_arn"), Targets: r.RefsAt("target_id")})
	case "aws_autoscaling_attachment":
		r.Facets.SetTargetAttachment(&graph.TargetAttachment{Groups: r.RefsAt("lb_target_group_arn"), Targets: r.RefsAt("autoscaling_group_name")})
	case "aws_autoscaling_group":
		if gs := r.RefsAt("target_group_arns"); len(gs) > 0 {
			r.Facets.SetTargetAttachment(&graph.TargetAttachment{Groups: gs})
		}
		placement(r, "", "vpc_zone_identifier", "")
	case "aws_db_instance":
		placement(r, "", "", "vpc_security_group_ids")
		r.Facets.Placement().SubnetGroup = RefAt(r, "db_subnet_group_name")
		r.Facets.SetDataStore(graph.ReadDataStore(r, "rds", graph.StoreDatabase, "identifier"))
	case "aws_rds_cluster":
		placement(r, "", "", "vpc_security_group_ids")
		r.Facets.Placement().SubnetGroup = RefAt(r, "db_subnet_group_name")
		r.Facets.SetDataStore(graph.ReadDataStore(r, "rds", graph.StoreDBCluster, "cluster_identifier"))
	case "aws_db_subnet_group", "aws_elasticache_subnet_group":
		r.Facets.SetSubnetGroup(&graph.SubnetGroup{Subnets: r.RefsAt("subnet_ids")})
	case "aws_api_gateway_rest_api":
		r.Facets.SetEndpoint(graph.ReadRESTAPIEndpoint(r, "endpoint_configuration.0.types", "endpoint_configuration"))
	case "aws_apigatewayv2_api":
		r.Facets.SetEndpoint(graph.ReadV2APIEndpoint(r, "protocol_type"))
	case "aws_cloudfront_distribution":
		r.Facets.SetEndpoint(&graph.Endpoint{Kind: "CloudFront distribution", Public: graph.Known(true, r.Range), Backends: r.RefsAt("origin")})
	case "aws_cloudformation_stack_set_instance":
		accounts, _ := r.StringListAttr("deployment_targets.0.accounts")
		if v := r.StringAttr("account_id"); v.State != graph.Absent {
			accounts = append(accounts, v)
		}
		r.Facets.SetStackSetTargets(&graph.StackSetTargets{Accounts: accounts})
	case "aws_iam_openid_connect_provider":
		r.Facets.SetIdentityProvider(&graph.IdentityProvider{Kind: "oidc", Name: graph.OIDCIssuer(r.StringAttr("url"))})
	case "aws_iam_saml_provider":
		r.Facets.SetIdentityProvider(&graph.IdentityProvider{Kind: "saml", Name: r.StringAttr("name")})
	case "aws_s3_bucket":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "s3", graph.StoreBucket, "bucket"))
	case "aws_dynamodb_table":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "dynamodb", graph.StoreTable, "name"))
	case "aws_kms_key":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "kms", graph.StoreKey, ""))
	case "aws_secretsmanager_secret":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "secretsmanager", graph.StoreSecret, "name"))
	case "aws_sqs_queue":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "sqs", graph.StoreQueue, "name"))
	case "aws_sns_topic":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "sns", graph.StoreTopic, "name"))
	case "aws_cloudtrail":
		r.Facets.SetDataStore(graph.ReadDataStore(r, "cloudtrail", graph.StoreTrail, "name"))
	}
}

// tfRoute reads one route: its destination and the gateway it targets.
func tfRoute(r *graph.Resource, prefix, v4, v6 string) graph.Route {
	rt := graph.Route{Destination: r.StringAttr(prefix + v4), Gateway: RefAt(r, prefix+"gateway_id"),
		GatewayID: r.StringAttr(prefix + "gateway_id"), Range: r.Range}
	if prefix != "" {
		rt.Range = r.AttrRange(strings.TrimSuffix(prefix, "."))
	}
	if !written(rt.Destination) {
		rt.Destination = r.StringAttr(prefix + v6)
	}
	return rt
}

func placement(r *graph.Resource, vpc, subnets, groups string) {
	p := &graph.Placement{}
	if vpc != "" {
		p.VPC = RefAt(r, vpc)
	}
	if subnets != "" {
		p.Subnets = r.RefsAt(subnets)
	}
	if groups != "" {
		p.SecurityGroups = r.RefsAt(groups)
	}
	r.Facets.SetPlacement(p)
}
