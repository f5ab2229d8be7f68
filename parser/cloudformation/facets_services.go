package cloudformation

import (
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
)

// fillServices sets the facets of the network, data, logging and compute
// resources that the rule library reads, in the same vocabulary as
// package tfschema.
func fillServices(r *graph.Resource, st *resState) {
	switch r.Addr.Type {
	case "AWS::EC2::SecurityGroup":
		sg := &graph.SecurityGroup{IngressKnown: true}
		n, known := r.ListLen("SecurityGroupIngress")
		sg.IngressKnown = known
		for i := range n {
			sg.Ingress = append(sg.Ingress, cfnIngress(r, "SecurityGroupIngress."+strconv.Itoa(i)+"."))
		}
		r.Facets.SetSecurityGroup(sg)
	case "AWS::EC2::SecurityGroupIngress":
		sr := &graph.SecurityGroupRule{Rule: cfnIngress(r, "")}
		if ref, ok := st.direct["GroupId"]; ok {
			sr.Group = &ref
		}
		r.Facets.SetSecurityGroupRule(sr)
	case "AWS::EC2::NetworkAclEntry":
		e := graph.NetworkACLEntry{
			Egress:     r.BoolAttr("Egress"),
			Action:     r.StringAttr("RuleAction"),
			Protocol:   r.StringAttr("Protocol"),
			CIDR:       r.StringAttr("CidrBlock"),
			RuleNumber: r.IntAttr("RuleNumber"),
			FromPort:   r.IntAttr("PortRange.From"),
			ToPort:     r.IntAttr("PortRange.To"),
			Range:      r.Range,
		}
		if e.Egress.State == graph.Absent {
			e.Egress = graph.Known(false, r.Range)
		}
		if v := r.StringAttr("Ipv6CidrBlock"); v.State != graph.Absent {
			e.CIDR = v
		}
		r.Facets.SetNetworkACL(&graph.NetworkACL{Entries: []graph.NetworkACLEntry{e}})
	case "AWS::EKS::Cluster":
		const block = "ResourcesVpcConfig"
		cidrs, known := r.StringListAttr(block + ".PublicAccessCidrs")
		r.Facets.SetEKSEndpoint(&graph.EKSEndpoint{
			Public:           r.BoolAttr(block + ".EndpointPublicAccess"),
			PublicCIDRs:      cidrs,
			PublicCIDRsKnown: known,
			Block:            r.AttrRange(block),
		})
	case "AWS::ElasticLoadBalancingV2::Listener":
		r.Facets.SetListener(graph.ReadListener(r, graph.ListenerPaths{Protocol: "Protocol", SSLPolicy: "SslPolicy", Actions: "DefaultActions", Type: "Type", RedirectProtocol: "RedirectConfig.Protocol"}))
	case "AWS::CloudFront::Distribution":
		const cfg = "DistributionConfig"
		d := &graph.Distribution{MinimumProtocol: r.StringAttr(cfg + ".ViewerCertificate.MinimumProtocolVersion")}
		d.Behaviors = append(d.Behaviors, graph.ViewerPolicy{Behavior: "default cache behavior",
			Policy: r.StringAttr(cfg + ".DefaultCacheBehavior.ViewerProtocolPolicy")})
		n, _ := r.ListLen(cfg + ".CacheBehaviors")
		for i := range n {
			p := cfg + ".CacheBehaviors." + strconv.Itoa(i)
			name := "an ordered cache behavior"
			if pat := r.StringAttr(p + ".PathPattern"); pat.State == graph.Set {
				name = "cache behavior " + strconv.Quote(pat.V)
			}
			d.Behaviors = append(d.Behaviors, graph.ViewerPolicy{Behavior: name, Policy: r.StringAttr(p + ".ViewerProtocolPolicy")})
		}
		r.Facets.SetDistribution(d)
	case "AWS::ApiGateway::Method":
		// A method carries its integration: the function it invokes is
		// usually named inside an Fn::Sub of Integration.Uri.
		if ref := cfnRefUnder(r, "Integration.Uri"); ref != nil {
			r.Facets.SetLambdaFront(&graph.LambdaFront{Kind: "API Gateway method", Function: ref})
		}
		r.Facets.SetAPIMethod(&graph.APIMethod{
			HTTPMethod:     r.StringAttr("HttpMethod"),
			Authorization:  r.StringAttr("AuthorizationType"),
			APIKeyRequired: r.BoolAttr("ApiKeyRequired"),
		})
	case "AWS::ApiGateway::Stage":
		st := &graph.APIStage{}
		n, _ := r.ListLen("MethodSettings")
		for i := range n {
			if v := r.StringAttr("MethodSettings." + strconv.Itoa(i) + ".ThrottlingRateLimit"); v.State != graph.Absent {
				st.RateLimit = v
				break
			}
		}
		r.Facets.SetAPIStage(st)
	case "AWS::ApiGatewayV2::Stage":
		r.Facets.SetAPIStage(&graph.APIStage{RateLimit: r.StringAttr("DefaultRouteSettings.ThrottlingRateLimit")})
	case "AWS::ApiGatewayV2::Route":
		r.Facets.SetAPIMethod(&graph.APIMethod{
			HTTPMethod:    r.StringAttr("RouteKey"),
			Authorization: r.StringAttr("AuthorizationType"),
		})
	case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster":
		cluster := r.Addr.Type == "AWS::RDS::DBCluster"
		d := &graph.Database{
			Cluster:            cluster,
			InCluster:          !cluster && r.HasAttr("DBClusterIdentifier"),
			Engine:             r.StringAttr("Engine"),
			EngineMode:         r.StringAttr("EngineMode"),
			PubliclyAccessible: r.BoolAttr("PubliclyAccessible"),
			StorageEncrypted:   r.BoolAttr("StorageEncrypted"),
			KMSKey:             r.StringAttr("KmsKeyId"),
			DeletionProtection: r.BoolAttr("DeletionProtection"),
			BackupRetention:    r.IntAttr("BackupRetentionPeriod"),
			MultiAZ:            r.BoolAttr("MultiAZ"),
		}
		for _, a := range []string{"DBSnapshotIdentifier", "SnapshotIdentifier", "DBClusterSnapshotIdentifier",
			"SourceDBInstanceIdentifier", "SourceDBClusterIdentifier", "SourceDBInstanceAutomatedBackupsArn", "RestoreType"} {
			if r.HasAttr(a) {
				d.FromSource = graph.Known(a, r.AttrRange(a))
				break
			}
		}
		r.Facets.SetDatabase(d)
	case "AWS::S3::Bucket":
		r.Facets.SetBucketProtection(&graph.BucketProtection{
			Versioning: r.StringAttr("VersioningConfiguration.Status"),
			ObjectLock: r.BoolAttr("ObjectLockEnabled"),
		})
		if r.HasAttr("AccessControl") {
			r.Facets.SetBucketACL(&graph.BucketACL{ACL: r.StringAttr("AccessControl")})
		}
		const block = "PublicAccessBlockConfiguration"
		if r.HasAttr(block) {
			names := [4]string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}
			var flags [4]graph.Value[bool]
			for i, n := range names {
				flags[i] = r.BoolAttr(block + "." + n)
				if flags[i].State == graph.Absent {
					// A configuration that omits a flag sets it to false.
					flags[i] = graph.Known(false, r.AttrRange(block))
				}
			}
			r.Facets.SetPublicAccessBlock(&graph.PublicAccessBlock{
				BlockPublicACLs: flags[0], BlockPublicPolicy: flags[1], IgnorePublicACLs: flags[2], RestrictPublicBuckets: flags[3],
				Names: names, Block: r.AttrRange(block),
			})
		}
	case "AWS::DynamoDB::Table":
		const block = "PointInTimeRecoverySpecification"
		r.Facets.SetTable(&graph.Table{PITR: r.BoolAttr(block + ".PointInTimeRecoveryEnabled"), Block: r.AttrRange(block)})
	case "AWS::CloudTrail::Trail":
		tb := &graph.TrailBucket{}
		if ref, ok := st.direct["S3BucketName"]; ok {
			tb.Bucket = &ref
		}
		r.Facets.SetTrailBucket(tb)
		r.Facets.SetTrail(&graph.Trail{
			MultiRegion:   r.BoolAttr("IsMultiRegionTrail"),
			LogValidation: r.BoolAttr("EnableLogFileValidation"),
			KMSKey:        r.StringAttr("KMSKeyId"),
			Logging:       r.BoolAttr("IsLogging"),
			Organization:  r.BoolAttr("IsOrganizationTrail"),
		})
	case "AWS::KMS::Key":
		r.Facets.SetKeyDeletion(&graph.KeyDeletion{WindowDays: r.IntAttr("PendingWindowInDays")})
	case "AWS::Logs::LogGroup":
		r.Facets.SetLogGroup(&graph.LogGroup{Retention: r.IntAttr("RetentionInDays"), KMSKey: r.StringAttr("KmsKeyId")})
	case "AWS::EC2::VPC":
		r.Facets.SetVPC(&graph.VPC{})
	case "AWS::EC2::FlowLog":
		fl := &graph.FlowLog{}
		if ref, ok := st.direct["ResourceId"]; ok {
			fl.Targets = append(fl.Targets, ref)
		}
		r.Facets.SetFlowLog(fl)
	case "AWS::Backup::BackupVault":
		v := &graph.BackupVault{Name: r.StringAttr("BackupVaultName")}
		if r.HasAttr("LockConfiguration") {
			v.Lock = &graph.VaultLock{
				MinRetentionDays:  r.IntAttr("LockConfiguration.MinRetentionDays"),
				ChangeableForDays: r.IntAttr("LockConfiguration.ChangeableForDays"),
			}
		}
		r.Facets.SetBackupVault(v)
	case "AWS::Organizations::Organization":
		r.Facets.SetAccount(&graph.Account{Kind: "organization"})
	case "AWS::Organizations::Account":
		r.Facets.SetAccount(&graph.Account{Kind: "account"})
		// ParentIds holds one parent; several cannot be created.
		r.Facets.SetOrgNode(cfnOrgNode(r, st, graph.OrgAccount, "ParentIds.0"))
		r.Facets.OrgNode().Name = r.StringAttr("AccountName")
	case "AWS::Organizations::OrganizationalUnit":
		r.Facets.SetOrgNode(cfnOrgNode(r, st, graph.OrgUnit, "ParentId"))
		r.Facets.OrgNode().Name = r.StringAttr("Name")
	case "AWS::Organizations::Policy":
		if r.StringAttr("Type").Is("SERVICE_CONTROL_POLICY") {
			scp := &graph.SCP{Policy: graph.ReadPolicy(r, "Content", "Content")}
			if n, known := r.ListLen("TargetIds"); known {
				for i := range n {
					scp.Targets = append(scp.Targets, cfnOrgLink(r, st, "TargetIds."+strconv.Itoa(i)))
				}
			}
			r.Facets.SetSCP(scp)
		}
	case "AWS::GuardDuty::Detector":
		r.Facets.SetDetector(&graph.Detector{Service: "GuardDuty", Enabled: r.BoolAttr("Enable")})
	case "AWS::Config::ConfigurationRecorder":
		r.Facets.SetDetector(&graph.Detector{Service: "AWS Config"})
	case "AWS::SecurityHub::Hub":
		r.Facets.SetDetector(&graph.Detector{Service: "Security Hub"})
	case "AWS::EC2::Instance", "AWS::AutoScaling::LaunchConfiguration":
		cfnUserData(r, "UserData")
		if r.Addr.Type == "AWS::EC2::Instance" {
			r.Facets.SetInstanceNetwork(cfnInstanceNetwork(r, st))
			if r.HasAttr("IamInstanceProfile") {
				l := cfnLink(r, st, "IamInstanceProfile")
				r.Facets.InstanceNetwork().Profile = &l
			}
		}
	case "AWS::AutoScaling::AutoScalingGroup":
		r.Facets.SetLaunchGroup(&graph.LaunchGroup{Kind: "Auto Scaling group",
			Template: cfnLaunchGroupTemplate(r, st, "LaunchTemplate", "LaunchTemplateId", "LaunchTemplateName")})
	case "AWS::EKS::Nodegroup":
		r.Facets.SetLaunchGroup(&graph.LaunchGroup{Kind: "EKS node group",
			Template: cfnLaunchGroupTemplate(r, st, "LaunchTemplate", "Id", "Name")})
	case "AWS::Batch::ComputeEnvironment":
		r.Facets.SetLaunchGroup(&graph.LaunchGroup{Kind: "Batch compute environment",
			Template: cfnLaunchGroupTemplate(r, st, "ComputeResources.LaunchTemplate", "LaunchTemplateId", "LaunchTemplateName")})
	case "AWS::EC2::Subnet":
		r.Facets.SetSubnet(&graph.Subnet{MapPublicIP: r.BoolAttr("MapPublicIpOnLaunch")})
	case "AWS::EC2::LaunchTemplate":
		cfnUserData(r, "LaunchTemplateData.UserData")
	case "AWS::Lambda::Url":
		r.Facets.SetLambdaFront(&graph.LambdaFront{Kind: "function URL", Function: cfnRefUnder(r, "TargetFunctionArn"),
			Auth: r.StringAttr("AuthType")})
	case "AWS::ApiGatewayV2::Integration":
		r.Facets.SetLambdaFront(&graph.LambdaFront{Kind: "API Gateway integration", Function: cfnRefUnder(r, "IntegrationUri")})
	case "AWS::Lambda::Function":
		r.Facets.SetLambdaFunction(&graph.LambdaFunction{ReservedConcurrency: r.IntAttr("ReservedConcurrentExecutions"),
			Name: r.StringAttr("FunctionName"), Role: cfnPolicyLink(r, st, "Role")})
		keys, vals, _ := r.MapAttr("Environment.Variables")
		if len(keys) > 0 {
			pc := &graph.PlainConfig{}
			for i, k := range keys {
				pc.Entries = append(pc.Entries, graph.ConfigEntry{Where: "environment variable " + k, Name: k, Value: vals[i]})
			}
			r.Facets.SetPlainConfig(pc)
		}
	case "AWS::ECS::TaskDefinition":
		pc := &graph.PlainConfig{}
		n, _ := r.ListLen("ContainerDefinitions")
		for i := range n {
			c := "ContainerDefinitions." + strconv.Itoa(i)
			name := r.StringAttr(c + ".Name").V
			m, _ := r.ListLen(c + ".Environment")
			for j := range m {
				e := c + ".Environment." + strconv.Itoa(j)
				k := r.StringAttr(e + ".Name").V
				pc.Entries = append(pc.Entries, graph.ConfigEntry{
					Where: "container " + name + " environment variable " + k, Name: k, Value: r.StringAttr(e + ".Value"),
				})
			}
		}
		if len(pc.Entries) > 0 {
			r.Facets.SetPlainConfig(pc)
		}
	}
}

// cfnIngress reads one ingress rule under prefix: an item of a group's
// SecurityGroupIngress, or a standalone AWS::EC2::SecurityGroupIngress.
func cfnIngress(r *graph.Resource, prefix string) graph.IngressRule {
	in := graph.IngressRule{
		Protocol:   r.StringAttr(prefix + "IpProtocol"),
		FromPort:   r.IntAttr(prefix + "FromPort"),
		ToPort:     r.IntAttr(prefix + "ToPort"),
		CIDRsKnown: true,
		Range:      r.Range,
		Declared:   r,
	}
	if prefix != "" {
		in.Range = r.AttrRange(prefix[:len(prefix)-1])
	}
	for _, a := range []string{"CidrIp", "CidrIpv6"} {
		if v := r.StringAttr(prefix + a); v.State != graph.Absent {
			in.CIDRs = append(in.CIDRs, v)
		}
	}
	return in
}

// cfnUserData records user data, decoded from the base64 that Fn::Base64
// or a literal produces.
func cfnUserData(r *graph.Resource, path string) {
	v := r.StringAttr(path)
	if v.State == graph.Absent {
		return
	}
	if v.State == graph.Set {
		v.V = graph.DecodeUserData(v.V)
	}
	r.Facets.SetPlainConfig(&graph.PlainConfig{Entries: []graph.ConfigEntry{{Where: "UserData", Value: v}}})
}

// cfnInstanceNetwork reads an instance's subnet, groups and public
// address, from its own properties or its first network interface.
func cfnInstanceNetwork(r *graph.Resource, st *resState) *graph.InstanceNetwork {
	n := &graph.InstanceNetwork{}
	refs := func(list string) {
		k, _ := r.ListLen(list)
		for i := range k {
			if ref, ok := st.direct[list+"."+strconv.Itoa(i)]; ok {
				n.SecurityGroups = append(n.SecurityGroups, ref)
			}
		}
	}
	refs("SecurityGroupIds")
	refs("SecurityGroups")
	if ref, ok := st.direct["SubnetId"]; ok {
		n.Subnet = &ref
	}
	const eni = "NetworkInterfaces.0"
	if r.HasAttr(eni) {
		n.PublicIP = r.BoolAttr(eni + ".AssociatePublicIpAddress")
		if ref, ok := st.direct[eni+".SubnetId"]; ok {
			n.Subnet = &ref
		}
		refs(eni + ".GroupSet")
	}
	return n
}

// cfnRefUnder returns the first reference made from the property at path
// or inside it (a GetAtt within an Fn::Sub), or nil.
func cfnRefUnder(r *graph.Resource, path string) *graph.Ref {
	for i := range r.Refs {
		if a := r.Refs[i].Attr; a == path || strings.HasPrefix(a, path+".") {
			return &r.Refs[i]
		}
	}
	return nil
}

// cfnLaunchGroupTemplate reads a launch template specification at block;
// like an instance's, it names a resource only through a whole-value Ref
// or GetAtt.
func cfnLaunchGroupTemplate(r *graph.Resource, st *resState, block, id, name string) *graph.TemplateLink {
	if !r.HasAttr(block) {
		return nil
	}
	l := &graph.TemplateLink{Name: r.StringAttr(block + "." + name), Range: r.AttrRange(block)}
	for _, a := range []string{id, name} {
		if ref, ok := st.direct[block+"."+a]; ok {
			l.Ref = &ref
			break
		}
	}
	return l
}

// cfnOrgNode reads an OU or a member account and its parent.
func cfnOrgNode(r *graph.Resource, st *resState, kind, parent string) *graph.OrgNode {
	l := cfnOrgLink(r, st, parent)
	return &graph.OrgNode{Kind: kind, Parent: l.Ref, ParentID: l.ID, ParentRange: l.Range}
}

// cfnOrgLink reads a property that names an organization object by
// reference (!Ref OU, !GetAtt OU.Id) or by literal ID.
func cfnOrgLink(r *graph.Resource, st *resState, path string) graph.OrgLink {
	l := graph.OrgLink{Range: r.AttrRange(path)}
	if ref, ok := st.direct[path]; ok {
		l.Ref = &ref
	} else {
		l.ID = r.StringAttr(path)
	}
	return l
}
