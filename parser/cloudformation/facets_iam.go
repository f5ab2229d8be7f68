package cloudformation

import (
	"strconv"

	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

// cfnResourcePolicies maps the CloudFormation types that carry a resource
// policy to the property holding it and the service name used in messages.
var cfnResourcePolicies = map[string]struct{ prop, service string }{
	"AWS::S3::BucketPolicy":               {"PolicyDocument", "S3 bucket"},
	"AWS::SQS::QueuePolicy":               {"PolicyDocument", "SQS queue"},
	"AWS::SNS::TopicPolicy":               {"PolicyDocument", "SNS topic"},
	"AWS::ECR::Repository":                {"RepositoryPolicyText", "ECR repository"},
	"AWS::SecretsManager::ResourcePolicy": {"ResourcePolicy", "Secrets Manager secret"},
	"AWS::EFS::FileSystem":                {"FileSystemPolicy", "EFS file system"},
	"AWS::OpenSearchService::Domain":      {"AccessPolicies", "OpenSearch domain"},
	"AWS::Elasticsearch::Domain":          {"AccessPolicies", "OpenSearch domain"},
	"AWS::Backup::BackupVault":            {"AccessPolicy", "Backup vault"},
}

// fillIAMFacets sets the IAM, KMS, Lambda permission and resource policy
// facets.
func fillIAMFacets(r *graph.Resource, st *resState) {
	if rp, ok := cfnResourcePolicies[r.Addr.Type]; ok {
		if p := graph.ReadPolicy(r, rp.prop, rp.prop); p != nil {
			r.Facets.SetResourcePolicy(&graph.ResourcePolicy{Service: rp.service, Policy: p})
		}
	}
	switch r.Addr.Type {
	case "AWS::IAM::Role":
		r.Facets.SetRole(&graph.Role{
			Name:        r.StringAttr("RoleName"),
			Trust:       graph.ReadPolicy(r, "AssumeRolePolicyDocument", "AssumeRolePolicyDocument"),
			Inline:      inlinePolicies(r),
			ManagedARNs: cfnStrings(r, "ManagedPolicyArns"),
			Path:        r.StringAttr("Path"),
			Boundary:    cfnPolicyLink(r, st, "PermissionsBoundary"),
		})
	case "AWS::IAM::User":
		u := &graph.User{Name: r.StringAttr("UserName"), Inline: inlinePolicies(r), ManagedARNs: cfnStrings(r, "ManagedPolicyArns"),
			Path: r.StringAttr("Path"), Boundary: cfnPolicyLink(r, st, "PermissionsBoundary")}
		if r.HasAttr("LoginProfile") {
			rg := r.AttrRange("LoginProfile")
			u.LoginProfile = &rg
		}
		r.Facets.SetUser(u)
		if gs := cfnLinks(r, st, "Groups"); len(gs) > 0 {
			self := graph.PrincipalLink{Ref: &graph.Ref{Target: r.Addr.Name}, Name: u.Name, Range: r.Range}
			r.Facets.SetGroupMembership(&graph.GroupMembership{Users: []graph.PrincipalLink{self}, Groups: gs})
		}
	case "AWS::IAM::Group":
		r.Facets.SetGroup(&graph.Group{Name: r.StringAttr("GroupName"), Inline: inlinePolicies(r), ManagedARNs: cfnStrings(r, "ManagedPolicyArns"), Path: r.StringAttr("Path")})
	case "AWS::IAM::InstanceProfile":
		r.Facets.SetInstanceProfile(&graph.InstanceProfile{Name: r.StringAttr("InstanceProfileName"), Roles: cfnLinks(r, st, "Roles")})
	case "AWS::IAM::UserToGroupAddition":
		r.Facets.SetGroupMembership(&graph.GroupMembership{Users: cfnLinks(r, st, "Users"), Groups: []graph.PrincipalLink{cfnLink(r, st, "GroupName")}})
	case "AWS::IAM::AccessKey":
		r.Facets.SetCredential(&graph.Credential{Kind: graph.CredentialAccessKey, User: cfnLink(r, st, "UserName"), Status: r.StringAttr("Status")})
	case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		r.Facets.SetIdentityPolicy(&graph.IdentityPolicy{
			Policy: graph.ReadPolicy(r, "PolicyDocument", "PolicyDocument"),
			Users:  cfnLinks(r, st, "Users"), Roles: cfnLinks(r, st, "Roles"), Groups: cfnLinks(r, st, "Groups"),
		})
		if r.Addr.Type == "AWS::IAM::ManagedPolicy" {
			ip := r.Facets.IdentityPolicy()
			ip.Name, ip.Path, ip.Managed = r.StringAttr("ManagedPolicyName"), r.StringAttr("Path"), true
		}
	case "AWS::IAM::UserPolicy":
		r.Facets.SetIdentityPolicy(&graph.IdentityPolicy{Policy: graph.ReadPolicy(r, "PolicyDocument", "PolicyDocument"), Users: []graph.PrincipalLink{cfnLink(r, st, "UserName")}})
	case "AWS::IAM::RolePolicy":
		r.Facets.SetIdentityPolicy(&graph.IdentityPolicy{Policy: graph.ReadPolicy(r, "PolicyDocument", "PolicyDocument"), Roles: []graph.PrincipalLink{cfnLink(r, st, "RoleName")}})
	case "AWS::IAM::GroupPolicy":
		r.Facets.SetIdentityPolicy(&graph.IdentityPolicy{Policy: graph.ReadPolicy(r, "PolicyDocument", "PolicyDocument"), Groups: []graph.PrincipalLink{cfnLink(r, st, "GroupName")}})
	case "AWS::KMS::Key":
		r.Facets.SetKMSKey(&graph.KMSKey{Policy: graph.ReadPolicy(r, "KeyPolicy", "KeyPolicy")})
	case "AWS::Lambda::Permission":
		r.Facets.SetLambdaPermission(&graph.LambdaPermission{
			Principal:           r.StringAttr("Principal"),
			Action:              r.StringAttr("Action"),
			SourceArn:           r.StringAttr("SourceArn"),
			SourceAccount:       r.StringAttr("SourceAccount"),
			PrincipalOrgID:      r.StringAttr("PrincipalOrgID"),
			FunctionURLAuthType: r.StringAttr("FunctionUrlAuthType"),
			Function:            r.StringAttr("FunctionName"),
		})
	}
}

// inlinePolicies reads the Policies property of a role, user or group.
func inlinePolicies(r *graph.Resource) []*graph.Policy {
	var out []*graph.Policy
	for i, n := 0, listLen(r, "Policies"); i < n; i++ {
		if p := graph.ReadPolicy(r, "Policies."+strconv.Itoa(i)+".PolicyDocument", "Policies.PolicyDocument"); p != nil {
			out = append(out, p)
		}
	}
	if v := r.Attr("Policies"); v != cty.NilVal && !v.IsKnown() {
		out = append(out, &graph.Policy{State: graph.Unknown, Attr: "Policies", Range: r.AttrRange("Policies")})
	}
	return out
}

// cfnPolicyLink reads a property naming a managed policy or a role by
// ARN: a literal, or a reference to a resource of the template.
func cfnPolicyLink(r *graph.Resource, st *resState, prop string) *graph.PolicyLink {
	if !r.HasAttr(prop) {
		return nil
	}
	l := &graph.PolicyLink{ARN: r.StringAttr(prop), Range: r.AttrRange(prop)}
	if ref, ok := st.direct[prop]; ok {
		l.Ref = &ref
	}
	return l
}

// cfnLink reads a property naming one user, role or group: a Ref to a
// resource of the template, or a name.
func cfnLink(r *graph.Resource, st *resState, prop string) graph.PrincipalLink {
	l := graph.PrincipalLink{Name: r.StringAttr(prop), Range: r.AttrRange(prop)}
	if ref, ok := st.direct[prop]; ok {
		l.Ref = &ref
	}
	return l
}

func cfnLinks(r *graph.Resource, st *resState, prop string) []graph.PrincipalLink {
	var out []graph.PrincipalLink
	for i, n := 0, listLen(r, prop); i < n; i++ {
		out = append(out, cfnLink(r, st, prop+"."+strconv.Itoa(i)))
	}
	return out
}

func cfnStrings(r *graph.Resource, prop string) []graph.Value[string] {
	var out []graph.Value[string]
	for i, n := 0, listLen(r, prop); i < n; i++ {
		out = append(out, r.StringAttr(prop+"."+strconv.Itoa(i)))
	}
	if v := r.Attr(prop); v != cty.NilVal && !v.IsKnown() {
		out = append(out, graph.UnknownValue[string](r.AttrRange(prop)))
	}
	return out
}

// listLen is the number of elements written at path; an unknown list has
// none that can be read (callers report it as unknown separately).
func listLen(r *graph.Resource, path string) int {
	n, _ := r.ListLen(path)
	return n
}
