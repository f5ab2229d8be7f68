package tfschema

import (
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
)

// fillServices sets the facets of the network, data, logging and compute
// resources that the rule library reads.
func fillServices(r *graph.Resource) {
	switch r.Addr.Type {
	case "aws_security_group":
		r.Facets.SetSecurityGroup(securityGroup(r))
	case "aws_default_security_group":
		sg := securityGroup(r)
		sg.Default = true
		sg.EgressRules, _ = r.ListLen("egress")
		r.Facets.SetSecurityGroup(sg)
	case "aws_network_acl", "aws_default_network_acl":
		acl := &graph.NetworkACL{}
		for _, dir := range []string{"ingress", "egress"} {
			n, _ := r.ListLen(dir)
			for i := range n {
				p := dir + "." + strconv.Itoa(i) + "."
				e := graph.NetworkACLEntry{
					Egress:     graph.Known(dir == "egress", r.AttrRange(p[:len(p)-1])),
					Action:     r.StringAttr(p + "action"),
					Protocol:   r.StringAttr(p + "protocol"),
					CIDR:       r.StringAttr(p + "cidr_block"),
					RuleNumber: r.IntAttr(p + "rule_no"),
					FromPort:   r.IntAttr(p + "from_port"),
					ToPort:     r.IntAttr(p + "to_port"),
					Range:      r.AttrRange(p[:len(p)-1]),
				}
				if v := r.StringAttr(p + "ipv6_cidr_block"); written(v) {
					e.CIDR = v
				}
				acl.Entries = append(acl.Entries, e)
			}
		}
		r.Facets.SetNetworkACL(acl)
	case "aws_network_acl_rule":
		e := graph.NetworkACLEntry{
			Egress:     r.BoolAttr("egress"),
			Action:     r.StringAttr("rule_action"),
			Protocol:   r.StringAttr("protocol"),
			CIDR:       r.StringAttr("cidr_block"),
			RuleNumber: r.IntAttr("rule_number"),
			FromPort:   r.IntAttr("from_port"),
			ToPort:     r.IntAttr("to_port"),
			Range:      r.Range,
		}
		if e.Egress.State == graph.Absent {
			e.Egress = graph.Known(false, r.Range)
		}
		if v := r.StringAttr("ipv6_cidr_block"); written(v) {
			e.CIDR = v
		}
		r.Facets.SetNetworkACL(&graph.NetworkACL{Entries: []graph.NetworkACLEntry{e}})
	case "aws_security_group_rule":
		// Egress rules do not admit anyone; an unknown type cannot be
		// judged either way.
		if r.StringAttr("type").Is("ingress") {
			in := ingressRule(r, "", "protocol", "cidr_blocks", "ipv6_cidr_blocks")
			r.Facets.SetSecurityGroupRule(&graph.SecurityGroupRule{Rule: in, Group: RefAt(r, "security_group_id")})
		}
	case "aws_vpc_security_group_ingress_rule":
		in := graph.IngressRule{
			Protocol:   r.StringAttr("ip_protocol"),
			FromPort:   r.IntAttr("from_port"),
			ToPort:     r.IntAttr("to_port"),
			CIDRsKnown: true,
			Range:      r.Range,
			Declared:   r,
		}
		for _, a := range []string{"cidr_ipv4", "cidr_ipv6"} {
			if v := r.StringAttr(a); written(v) {
				in.CIDRs = append(in.CIDRs, v)
			}
		}
		r.Facets.SetSecurityGroupRule(&graph.SecurityGroupRule{Rule: in, Group: RefAt(r, "security_group_id")})
	case "aws_eks_cluster":
		const block = "vpc_config.0"
		cidrs, known := r.StringListAttr(block + ".public_access_cidrs")
		r.Facets.SetEKSEndpoint(&graph.EKSEndpoint{
			Public:           r.BoolAttr(block + ".endpoint_public_access"),
			PublicCIDRs:      cidrs,
			PublicCIDRsKnown: known,
			Block:            r.AttrRange(block),
		})
	case "aws_lb_listener", "aws_alb_listener":
		r.Facets.SetListener(graph.ReadListener(r, graph.ListenerPaths{Protocol: "protocol", SSLPolicy: "ssl_policy", Actions: "default_action", Type: "type", RedirectProtocol: "redirect.0.protocol"}))
	case "aws_cloudfront_distribution":
		d := &graph.Distribution{MinimumProtocol: r.StringAttr("viewer_certificate.0.minimum_protocol_version")}
		d.Behaviors = append(d.Behaviors, graph.ViewerPolicy{Behavior: "default cache behavior",
			Policy: r.StringAttr("default_cache_behavior.0.viewer_protocol_policy")})
		n, _ := r.ListLen("ordered_cache_behavior")
		for i := range n {
			p := "ordered_cache_behavior." + strconv.Itoa(i)
			d.Behaviors = append(d.Behaviors, graph.ViewerPolicy{Behavior: behaviorName(r.StringAttr(p + ".path_pattern")),
				Policy: r.StringAttr(p + ".viewer_protocol_policy")})
		}
		r.Facets.SetDistribution(d)
	case "aws_api_gateway_method":
		r.Facets.SetAPIMethod(&graph.APIMethod{
			HTTPMethod:     r.StringAttr("http_method"),
			Authorization:  r.StringAttr("authorization"),
			APIKeyRequired: r.BoolAttr("api_key_required"),
		})
	case "aws_apigatewayv2_route":
		r.Facets.SetAPIMethod(&graph.APIMethod{
			HTTPMethod:    r.StringAttr("route_key"),
			Authorization: r.StringAttr("authorization_type"),
		})
	case "aws_api_gateway_stage":
		r.Facets.SetAPIStage(&graph.APIStage{})
	case "aws_apigatewayv2_stage":
		r.Facets.SetAPIStage(&graph.APIStage{RateLimit: r.StringAttr("default_route_settings.0.throttling_rate_limit")})
	case "aws_api_gateway_method_settings":
		r.Facets.SetAPIMethodSettings(&graph.APIMethodSettings{Stage: RefAt(r, "stage_name"),
			RateLimit: r.StringAttr("settings.0.throttling_rate_limit")})
	case "aws_db_instance":
		r.Facets.SetDatabase(database(r, false))
	case "aws_rds_cluster_instance":
		r.Facets.SetDatabase(&graph.Database{
			InCluster:          true,
			Engine:             r.StringAttr("engine"),
			PubliclyAccessible: r.BoolAttr("publicly_accessible"),
		})
	case "aws_rds_cluster":
		r.Facets.SetDatabase(database(r, true))
	case "aws_s3_bucket":
		if r.HasAttr("acl") {
			r.Facets.SetBucketACL(&graph.BucketACL{ACL: r.StringAttr("acl")})
		}
		// The inline forms are deprecated but still accepted.
		bp := &graph.BucketProtection{ObjectLock: r.BoolAttr("object_lock_enabled")}
		switch v := r.BoolAttr("versioning.0.enabled"); {
		case v.Is(true):
			bp.Versioning = graph.Known("Enabled", v.Range)
		case v.Is(false):
			bp.Versioning = graph.Known("Suspended", v.Range)
		case v.State == graph.Unknown:
			bp.Versioning = graph.UnknownValue[string](v.Range)
		}
		r.Facets.SetBucketProtection(bp)
	case "aws_s3_bucket_acl":
		if r.HasAttr("acl") {
			r.Facets.SetBucketACL(&graph.BucketACL{ACL: r.StringAttr("acl"), Bucket: RefAt(r, "bucket")})
		}
	case "aws_s3_bucket_public_access_block":
		p := publicAccessBlock(r, "")
		p.Bucket = RefAt(r, "bucket")
		r.Facets.SetPublicAccessBlock(p)
	case "aws_s3_account_public_access_block":
		p := publicAccessBlock(r, "")
		p.Account = true
		r.Facets.SetPublicAccessBlock(p)
	case "aws_dynamodb_table":
		const block = "point_in_time_recovery.0"
		r.Facets.SetTable(&graph.Table{PITR: r.BoolAttr(block + ".enabled"), Block: r.AttrRange(block)})
	case "aws_s3_bucket_versioning":
		r.Facets.SetBucketProtection(&graph.BucketProtection{
			Versioning: r.StringAttr("versioning_configuration.0.status"), Bucket: RefAt(r, "bucket")})
	case "aws_s3_bucket_object_lock_configuration":
		r.Facets.SetBucketProtection(&graph.BucketProtection{
			ObjectLock: graph.Known(true, r.Range), Bucket: RefAt(r, "bucket")})
	case "aws_cloudtrail":
		r.Facets.SetTrailBucket(&graph.TrailBucket{Bucket: RefAt(r, "s3_bucket_name")})
		r.Facets.SetTrail(&graph.Trail{
			MultiRegion:   r.BoolAttr("is_multi_region_trail"),
			LogValidation: r.BoolAttr("enable_log_file_validation"),
			KMSKey:        r.StringAttr("kms_key_id"),
			Logging:       r.BoolAttr("enable_logging"),
			Organization:  r.BoolAttr("is_organization_trail"),
		})
	case "aws_kms_key":
		r.Facets.SetKeyDeletion(&graph.KeyDeletion{WindowDays: r.IntAttr("deletion_window_in_days")})
	case "aws_cloudwatch_log_group":
		r.Facets.SetLogGroup(&graph.LogGroup{Retention: r.IntAttr("retention_in_days"), KMSKey: r.StringAttr("kms_key_id")})
	case "aws_vpc":
		r.Facets.SetVPC(&graph.VPC{})
	case "aws_flow_log":
		fl := &graph.FlowLog{}
		for _, a := range []string{"vpc_id", "subnet_id", "eni_id", "transit_gateway_id"} {
			if ref := RefAt(r, a); ref != nil {
				fl.Targets = append(fl.Targets, *ref)
			}
		}
		r.Facets.SetFlowLog(fl)
	case "aws_backup_vault":
		r.Facets.SetBackupVault(&graph.BackupVault{Name: r.StringAttr("name")})
	case "aws_backup_vault_lock_configuration":
		r.Facets.SetVaultLock(&graph.VaultLock{
			Vault:             RefAt(r, "backup_vault_name"),
			VaultName:         r.StringAttr("backup_vault_name"),
			MinRetentionDays:  r.IntAttr("min_retention_days"),
			ChangeableForDays: r.IntAttr("changeable_for_days"),
		})
	case "aws_organizations_organization":
		r.Facets.SetAccount(&graph.Account{Kind: "organization"})
		r.Facets.SetOrgNode(&graph.OrgNode{Kind: graph.OrgRoot, ID: r.StringAttr("roots.0.id")})
	case "aws_organizations_account":
		r.Facets.SetAccount(&graph.Account{Kind: "account"})
		r.Facets.SetOrgNode(orgNode(r, graph.OrgAccount))
	case "aws_organizations_organizational_unit":
		r.Facets.SetOrgNode(orgNode(r, graph.OrgUnit))
	case "aws_organizations_policy":
		// The provider's default type is SERVICE_CONTROL_POLICY.
		if t := r.StringAttr("type"); t.State == graph.Absent || t.Is("SERVICE_CONTROL_POLICY") {
			r.Facets.SetSCP(&graph.SCP{Policy: graph.ReadPolicy(r, "content", "content")})
		}
	case "aws_organizations_policy_attachment":
		r.Facets.SetSCPAttachment(&graph.SCPAttachment{Policy: orgLink(r, "policy_id"), Target: orgLink(r, "target_id")})
	case "aws_guardduty_detector":
		r.Facets.SetDetector(&graph.Detector{Service: "GuardDuty", Enabled: r.BoolAttr("enable")})
	case "aws_guardduty_organization_configuration":
		// Auto-enabling GuardDuty for the organization's members enables
		// it where the code defines accounts.
		r.Facets.SetDetector(&graph.Detector{Service: "GuardDuty"})
	case "aws_config_configuration_recorder":
		r.Facets.SetDetector(&graph.Detector{Service: "AWS Config"})
	case "aws_securityhub_account":
		r.Facets.SetDetector(&graph.Detector{Service: "Security Hub"})
	case "aws_snapshot_create_volume_permission":
		r.Facets.SetSharing(sharing(r, "snapshot_id", []string{"account_id"}, ""))
	case "aws_ami_launch_permission":
		r.Facets.SetSharing(sharing(r, "image_id", []string{"account_id"}, "group"))
	case "aws_db_snapshot", "aws_db_cluster_snapshot":
		r.Facets.SetSharing(sharing(r, "", []string{"shared_accounts"}, "shared_accounts"))
	case "aws_instance", "aws_launch_template", "aws_launch_configuration", "aws_spot_instance_request":
		plainUserData(r)
		if r.Addr.Type == "aws_instance" {
			r.Facets.SetInstanceNetwork(&graph.InstanceNetwork{
				PublicIP:       r.BoolAttr("associate_public_ip_address"),
				Subnet:         RefAt(r, "subnet_id"),
				SecurityGroups: append(r.RefsAt("vpc_security_group_ids"), r.RefsAt("security_groups")...),
			})
			if r.HasAttr("iam_instance_profile") {
				if l := link(r, "iam_instance_profile"); l.Ref != nil || l.Name.State != graph.Set || l.Name.V != "" {
					r.Facets.InstanceNetwork().Profile = &l
				}
			}
		}
	case "aws_autoscaling_group":
		lg := &graph.LaunchGroup{Kind: "Auto Scaling group", Template: launchGroupTemplate(r, "launch_template.0", "id", "name")}
		if lg.Template == nil {
			lg.Template = launchGroupTemplate(r, "mixed_instances_policy.0.launch_template.0.launch_template_specification.0", "launch_template_id", "launch_template_name")
		}
		r.Facets.SetLaunchGroup(lg)
	case "aws_eks_node_group":
		r.Facets.SetLaunchGroup(&graph.LaunchGroup{Kind: "EKS node group", Template: launchGroupTemplate(r, "launch_template.0", "id", "name")})
	case "aws_batch_compute_environment":
		r.Facets.SetLaunchGroup(&graph.LaunchGroup{Kind: "Batch compute environment",
			Template: launchGroupTemplate(r, "compute_resources.0.launch_template.0", "launch_template_id", "launch_template_name")})
	case "aws_subnet":
		r.Facets.SetSubnet(&graph.Subnet{MapPublicIP: r.BoolAttr("map_public_ip_on_launch")})
	case "aws_lambda_function":
		plainEnvironment(r)
		r.Facets.SetLambdaFunction(&graph.LambdaFunction{ReservedConcurrency: r.IntAttr("reserved_concurrent_executions"),
			Name: r.StringAttr("function_name"), Role: policyLink(r, "role")})
	case "aws_lambda_function_url":
		r.Facets.SetLambdaFront(&graph.LambdaFront{Kind: "function URL", Function: RefAt(r, "function_name"),
			Auth: r.StringAttr("authorization_type")})
	case "aws_api_gateway_integration":
		r.Facets.SetLambdaFront(&graph.LambdaFront{Kind: "API Gateway integration", Function: RefAt(r, "uri")})
	case "aws_apigatewayv2_integration":
		r.Facets.SetLambdaFront(&graph.LambdaFront{Kind: "API Gateway integration", Function: RefAt(r, "integration_uri")})
	case "aws_ecs_task_definition":
		plainContainers(r, r.StringAttr("container_definitions"))
	}
}

func securityGroup(r *graph.Resource) *graph.SecurityGroup {
	sg := &graph.SecurityGroup{IngressKnown: true}
	n, known := r.ListLen("ingress")
	if !known {
		sg.IngressKnown = false
	}
	for i := range n {
		sg.Ingress = append(sg.Ingress, ingressRule(r, "ingress."+strconv.Itoa(i)+".", "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
	}
	return sg
}

// ingressRule reads one rule whose attributes sit under prefix ("" for a
// standalone rule resource, "ingress.0." for an inline block).
func ingressRule(r *graph.Resource, prefix, protocol string, cidrLists ...string) graph.IngressRule {
	in := graph.IngressRule{
		Protocol:   r.StringAttr(prefix + protocol),
		FromPort:   r.IntAttr(prefix + "from_port"),
		ToPort:     r.IntAttr(prefix + "to_port"),
		CIDRsKnown: true,
		Range:      r.Range,
		Declared:   r,
	}
	if prefix != "" {
		in.Range = r.AttrRange(prefix[:len(prefix)-1])
	}
	for _, l := range cidrLists {
		vs, known := r.StringListAttr(prefix + l)
		if !known {
			in.CIDRsKnown = false
		}
		in.CIDRs = append(in.CIDRs, vs...)
	}
	return in
}

func behaviorName(pattern graph.Value[string]) string {
	if pattern.State == graph.Set {
		return "cache behavior " + strconv.Quote(pattern.V)
	}
	return "an ordered cache behavior"
}

func database(r *graph.Resource, cluster bool) *graph.Database {
	d := &graph.Database{
		Cluster:            cluster,
		InCluster:          !cluster && r.HasAttr("cluster_identifier"),
		Engine:             r.StringAttr("engine"),
		EngineMode:         r.StringAttr("engine_mode"),
		PubliclyAccessible: r.BoolAttr("publicly_accessible"),
		StorageEncrypted:   r.BoolAttr("storage_encrypted"),
		KMSKey:             r.StringAttr("kms_key_id"),
		DeletionProtection: r.BoolAttr("deletion_protection"),
		BackupRetention:    r.IntAttr("backup_retention_period"),
		MultiAZ:            r.BoolAttr("multi_az"),
	}
	for _, a := range []string{"snapshot_identifier", "replicate_source_db", "replication_source_identifier", "restore_to_point_in_time", "s3_import"} {
		if r.HasAttr(a) {
			d.FromSource = graph.Known(a, r.AttrRange(a))
			break
		}
	}
	return d
}

func publicAccessBlock(r *graph.Resource, prefix string) *graph.PublicAccessBlock {
	names := [4]string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"}
	flag := func(i int) graph.Value[bool] {
		v := r.BoolAttr(prefix + names[i])
		if v.State == graph.Absent {
			// The provider sends false for a flag that is not written.
			return graph.Known(false, r.Range)
		}
		return v
	}
	return &graph.PublicAccessBlock{
		BlockPublicACLs: flag(0), BlockPublicPolicy: flag(1), IgnorePublicACLs: flag(2), RestrictPublicBuckets: flag(3),
		Names: names, Block: r.Range,
	}
}

// sharing reads a sharing grant: the account IDs under accounts (single
// values or lists), and "all" under public, which may be the same
// attribute (RDS writes "all" among the account IDs).
func sharing(r *graph.Resource, target string, accounts []string, public string) *graph.Sharing {
	s := &graph.Sharing{AccountsKnown: true, Target: r.Addr.String()}
	if target != "" {
		if ref := RefAt(r, target); ref != nil {
			s.Target = ref.Target
		} else if v := r.StringAttr(target); v.State == graph.Set {
			s.Target = v.V
		}
	}
	for _, a := range accounts {
		vs, known := r.StringListAttr(a)
		if !known {
			s.AccountsKnown = false
		}
		for _, v := range vs {
			if v.State == graph.Set && strings.EqualFold(strings.TrimSpace(v.V), "all") {
				s.Public, s.PublicRange = true, v.Range
				continue
			}
			if v.State != graph.Absent {
				s.Accounts = append(s.Accounts, v)
			}
		}
	}
	if public != "" && !s.Public {
		if v := r.StringAttr(public); v.State == graph.Set && strings.EqualFold(strings.TrimSpace(v.V), "all") {
			s.Public, s.PublicRange = true, v.Range
		}
	}
	return s
}

// launchGroupTemplate reads the launch template block at block, whose ID
// and name attributes are spelled id and name; nil when not written.
func launchGroupTemplate(r *graph.Resource, block, id, name string) *graph.TemplateLink {
	if !r.HasAttr(block) {
		return nil
	}
	l := &graph.TemplateLink{Name: r.StringAttr(block + "." + name), Range: r.AttrRange(block)}
	for _, a := range []string{id, name} {
		if ref := RefAt(r, block+"."+a); ref != nil {
			l.Ref = ref
			break
		}
	}
	return l
}

// written says whether an optional string is given: plans write the
// empty string for optional attributes that are not set.
func written(v graph.Value[string]) bool {
	return v.State == graph.Unknown || v.State == graph.Set && v.V != ""
}

// orgNode reads an OU or a member account: its parent by reference or by
// literal ID, and its own ID when the input knows it (a plan of existing
// objects).
func orgNode(r *graph.Resource, kind string) *graph.OrgNode {
	n := &graph.OrgNode{Kind: kind, Parent: RefAt(r, "parent_id"), ID: r.StringAttr("id"), Name: r.StringAttr("name"), ParentRange: r.AttrRange("parent_id")}
	if n.Parent == nil {
		n.ParentID = r.StringAttr("parent_id")
	}
	return n
}

// orgLink reads an attribute that names an organization object or policy.
func orgLink(r *graph.Resource, path string) graph.OrgLink {
	l := graph.OrgLink{Ref: RefAt(r, path), Range: r.AttrRange(path)}
	if l.Ref == nil {
		l.ID = r.StringAttr(path)
	}
	return l
}
