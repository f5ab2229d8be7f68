package tfschema

import (
	"strconv"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/zclconf/go-cty/cty"
)

// resourcePolicies maps the Terraform types that carry a resource policy
// to the attribute holding it and the service name used in messages.
var resourcePolicies = map[string]struct{ attr, service string }{
	"aws_s3_bucket_policy":             {"policy", "S3 bucket"},
	"aws_s3_bucket":                    {"policy", "S3 bucket"},
	"aws_sqs_queue_policy":             {"policy", "SQS queue"},
	"aws_sqs_queue":                    {"policy", "SQS queue"},
	"aws_sns_topic_policy":             {"policy", "SNS topic"},
	"aws_sns_topic":                    {"policy", "SNS topic"},
	"aws_ecr_repository_policy":        {"policy", "ECR repository"},
	"aws_secretsmanager_secret_policy": {"policy", "Secrets Manager secret"},
	"aws_secretsmanager_secret":        {"policy", "Secrets Manager secret"},
	"aws_glacier_vault":                {"access_policy", "Glacier vault"},
	"aws_efs_file_system_policy":       {"policy", "EFS file system"},
	"aws_elasticsearch_domain":         {"access_policies", "OpenSearch domain"},
	"aws_elasticsearch_domain_policy":  {"access_policies", "OpenSearch domain"},
	"aws_opensearch_domain":            {"access_policies", "OpenSearch domain"},
	"aws_opensearch_domain_policy":     {"access_policies", "OpenSearch domain"},
	"aws_backup_vault_policy":          {"policy", "Backup vault"},
}

// fillIAM sets the IAM, KMS, Lambda permission and resource policy facets.
func fillIAM(r *graph.Resource) {
	if rp, ok := resourcePolicies[r.Addr.Type]; ok {
		if p := graph.ReadPolicy(r, rp.attr, rp.attr); p != nil {
			r.Facets.SetResourcePolicy(&graph.ResourcePolicy{Service: rp.service, Policy: p})
		}
	}
	switch r.Addr.Type {
	case "aws_iam_role":
		role := &graph.Role{
			Name:        r.StringAttr("name"),
			ARN:         r.StringAttr("arn"),
			Trust:       graph.ReadPolicy(r, "assume_role_policy", "assume_role_policy"),
			ManagedARNs: stringList(r, "managed_policy_arns"),
			Path:        r.StringAttr("path"),
			Boundary:    policyLink(r, "permissions_boundary"),
		}
		for i, n := 0, listLen(r, "inline_policy"); i < n; i++ {
			if p := graph.ReadPolicy(r, "inline_policy."+strconv.Itoa(i)+".policy", "inline_policy.policy"); p != nil {
				role.Inline = append(role.Inline, p)
			}
		}
		r.Facets.SetRole(role)
	case "aws_iam_user":
		r.Facets.SetUser(&graph.User{Name: r.StringAttr("name"), Path: r.StringAttr("path"), Boundary: policyLink(r, "permissions_boundary")})
	case "aws_iam_group":
		r.Facets.SetGroup(&graph.Group{Name: r.StringAttr("name"), Path: r.StringAttr("path")})
	case "aws_iam_instance_profile":
		ip := &graph.InstanceProfile{Name: r.StringAttr("name")}
		if r.HasAttr("role") {
			ip.Roles = []graph.PrincipalLink{link(r, "role")}
		}
		r.Facets.SetInstanceProfile(ip)
	case "aws_iam_group_membership":
		r.Facets.SetGroupMembership(&graph.GroupMembership{Users: links(r, "users"), Groups: []graph.PrincipalLink{link(r, "group")}})
	case "aws_iam_user_group_membership":
		r.Facets.SetGroupMembership(&graph.GroupMembership{Users: []graph.PrincipalLink{link(r, "user")}, Groups: links(r, "groups")})
	case "aws_iam_access_key":
		r.Facets.SetCredential(&graph.Credential{Kind: graph.CredentialAccessKey, User: link(r, "user"), Status: r.StringAttr("status")})
	case "aws_iam_user_login_profile":
		r.Facets.SetCredential(&graph.Credential{Kind: graph.CredentialPassword, User: link(r, "user")})
	case "aws_iam_policy":
		r.Facets.SetIdentityPolicy(&graph.IdentityPolicy{Policy: graph.ReadPolicy(r, "policy", "policy"),
			Name: r.StringAttr("name"), Path: r.StringAttr("path"), Managed: true})
	case "aws_iam_user_policy":
		r.Facets.SetIdentityPolicy(&graph.IdentityPolicy{Policy: graph.ReadPolicy(r, "policy", "policy"), Users: []graph.PrincipalLink{link(r, "user")}})
	case "aws_iam_role_policy":
		r.Facets.SetIdentityPolicy(&graph.IdentityPolicy{Policy: graph.ReadPolicy(r, "policy", "policy"), Roles: []graph.PrincipalLink{link(r, "role")}})
	case "aws_iam_group_policy":
		r.Facets.SetIdentityPolicy(&graph.IdentityPolicy{Policy: graph.ReadPolicy(r, "policy", "policy"), Groups: []graph.PrincipalLink{link(r, "group")}})
	case "aws_iam_user_policy_attachment":
		r.Facets.SetIdentityPolicy(attachment(r, []graph.PrincipalLink{link(r, "user")}, nil, nil))
	case "aws_iam_role_policy_attachment":
		r.Facets.SetIdentityPolicy(attachment(r, nil, []graph.PrincipalLink{link(r, "role")}, nil))
	case "aws_iam_group_policy_attachment":
		r.Facets.SetIdentityPolicy(attachment(r, nil, nil, []graph.PrincipalLink{link(r, "group")}))
	case "aws_iam_policy_attachment":
		r.Facets.SetIdentityPolicy(attachment(r, links(r, "users"), links(r, "roles"), links(r, "groups")))
	case "aws_kms_key", "aws_kms_key_policy":
		r.Facets.SetKMSKey(&graph.KMSKey{Policy: graph.ReadPolicy(r, "policy", "policy")})
	case "aws_lambda_permission":
		r.Facets.SetLambdaPermission(&graph.LambdaPermission{
			Principal:           r.StringAttr("principal"),
			Action:              r.StringAttr("action"),
			SourceArn:           r.StringAttr("source_arn"),
			SourceAccount:       r.StringAttr("source_account"),
			PrincipalOrgID:      r.StringAttr("principal_org_id"),
			FunctionURLAuthType: r.StringAttr("function_url_auth_type"),
			Function:            r.StringAttr("function_name"),
		})
	}
}

func attachment(r *graph.Resource, users, roles, groups []graph.PrincipalLink) *graph.IdentityPolicy {
	return &graph.IdentityPolicy{
		PolicyARN: r.StringAttr("policy_arn"),
		PolicyRef: RefAt(r, "policy_arn"),
		Users:     users, Roles: roles, Groups: groups,
	}
}

// policyLink reads an attribute naming a managed policy or a role by ARN;
// nil when it is not written.
func policyLink(r *graph.Resource, attr string) *graph.PolicyLink {
	if !r.HasAttr(attr) {
		return nil
	}
	v := r.StringAttr(attr)
	if v.State == graph.Set && v.V == "" {
		return nil
	}
	return &graph.PolicyLink{ARN: v, Ref: RefAt(r, attr), Range: r.AttrRange(attr)}
}

// link reads an attribute naming one user, role or group.
func link(r *graph.Resource, attr string) graph.PrincipalLink {
	return graph.PrincipalLink{Ref: RefAt(r, attr), Name: r.StringAttr(attr), Range: r.AttrRange(attr)}
}

// links reads a list attribute naming users, roles or groups: one link
// per reference it makes, and one per element known by name.
func links(r *graph.Resource, attr string) []graph.PrincipalLink {
	var out []graph.PrincipalLink
	for i := range r.Refs {
		if r.Refs[i].Attr == attr {
			out = append(out, graph.PrincipalLink{Ref: &r.Refs[i], Range: r.Refs[i].Range})
		}
	}
	for _, v := range stringList(r, attr) {
		if v.State == graph.Set {
			out = append(out, graph.PrincipalLink{Name: v, Range: v.Range})
		}
	}
	return out
}

// stringList reads a list of strings; an unknown list yields one unknown
// element, so that callers cannot mistake it for an empty one.
func stringList(r *graph.Resource, attr string) []graph.Value[string] {
	v := r.Attr(attr)
	if v == cty.NilVal {
		return nil
	}
	rg := r.AttrRange(attr)
	if !v.IsKnown() {
		return []graph.Value[string]{graph.UnknownValue[string](rg)}
	}
	ty := v.Type()
	if !ty.IsListType() && !ty.IsTupleType() && !ty.IsSetType() {
		return nil
	}
	var out []graph.Value[string]
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if s, ok := graph.AsString(e); ok {
			out = append(out, graph.Known(s, rg))
		} else {
			out = append(out, graph.UnknownValue[string](rg))
		}
	}
	return out
}

// fillPolicyDocument renders data.aws_iam_policy_document into the
// document the provider would produce, for the IAM pass to hand to the
// resources that use its json attribute. A plan that read the data source
// already holds the rendering.
func fillPolicyDocument(r *graph.Resource) {
	if r.Addr.Type != "aws_iam_policy_document" {
		return
	}
	if v := r.Attr("json"); v != cty.NilVal && v.IsKnown() {
		r.Facets.SetPolicyDocument(graph.ReadPolicy(r, "json", "json"))
		return
	}
	p := &graph.Policy{Attr: "json", Range: r.Range}
	r.Facets.SetPolicyDocument(p)
	own := renderOwn(r)
	if own.Err != "" {
		p.State, p.Err = graph.Set, own.Err
		return
	}
	if !r.HasAttr("source_policy_documents") && !r.HasAttr("override_policy_documents") &&
		!r.HasAttr("source_json") && !r.HasAttr("override_json") {
		p.State, p.Doc = graph.Set, own.Doc
		return
	}
	// The documents merged in are other data sources' json, known only
	// to the IAM pass: it computes the result from the parts.
	p.State = graph.Unknown
	if r.HasAttr("source_json") || r.HasAttr("override_json") {
		return // the deprecated forms are not merged
	}
	sources, ok1 := mergeParts(r, "source_policy_documents")
	overrides, ok2 := mergeParts(r, "override_policy_documents")
	if ok1 && ok2 {
		p.Merge = &graph.PolicyMerge{Own: own.Doc, Sources: sources, Overrides: overrides}
	}
}

// mergeParts reads a list of documents to merge: known JSON text, or
// unknown elements that are, in order, the references the attribute
// makes. Anything else cannot be told apart and fails.
func mergeParts(r *graph.Resource, attr string) ([]graph.MergePart, bool) {
	v := r.Attr(attr)
	if v == cty.NilVal {
		return nil, true
	}
	if !v.IsKnown() || !(v.Type().IsListType() || v.Type().IsTupleType()) {
		return nil, false
	}
	var refs []*graph.Ref
	for i := range r.Refs {
		if r.Refs[i].Attr == attr {
			refs = append(refs, &r.Refs[i])
		}
	}
	// Unknown elements are matched to the attribute's references in
	// order, which is only sound when every element is a reference: once
	// some are known (a rendered document), which reference an unknown
	// element came from cannot be told, and guessing would merge the
	// wrong document.
	if len(refs) != v.LengthInt() {
		for it := v.ElementIterator(); it.Next(); {
			if _, e := it.Element(); !e.IsKnown() {
				return nil, false
			}
		}
		refs = nil
	}
	var out []graph.MergePart
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if s, ok := graph.AsString(e); ok {
			d, err := iam.Parse(s)
			if err != nil {
				return nil, false
			}
			out = append(out, graph.MergePart{Doc: d})
			continue
		}
		if e.IsKnown() || len(refs) == 0 {
			return nil, false
		}
		out = append(out, graph.MergePart{Ref: refs[0]})
		refs = refs[1:]
	}
	return out, len(refs) == 0
}

// renderOwn renders the statements written in the data source itself.
func renderOwn(r *graph.Resource) *graph.Policy {
	p := &graph.Policy{}
	doc := map[string]any{}
	if v, ok := known(r.Attr("version")); ok {
		doc["Version"] = v
	} else {
		doc["Version"] = "2012-10-17"
	}
	st := r.Attr("statement")
	if st == cty.NilVal {
		doc["Statement"] = []any{}
	} else {
		doc["Statement"] = renderStatements(st)
	}
	d, err := iam.FromAny(doc)
	if err != nil {
		p.Err = err.Error()
		return p
	}
	p.Doc = d
	return p
}

func known(v cty.Value) (string, bool) { return graph.AsString(v) }

func renderStatements(st cty.Value) any {
	if !st.IsKnown() {
		return iam.Unknown{}
	}
	var out []any
	for it := st.ElementIterator(); it.Next(); {
		_, b := it.Element()
		if !b.IsKnown() || b.IsNull() || !b.Type().IsObjectType() {
			out = append(out, iam.Unknown{})
			continue
		}
		s := map[string]any{"Effect": "Allow"}
		get := func(n string) cty.Value {
			if b.Type().HasAttribute(n) {
				return b.GetAttr(n)
			}
			return cty.NilVal
		}
		if v := get("sid"); v != cty.NilVal {
			s["Sid"] = iam.ToAny(v)
		}
		if v := get("effect"); v != cty.NilVal && !v.IsNull() {
			s["Effect"] = iam.ToAny(v)
		}
		for tf, js := range map[string]string{"actions": "Action", "not_actions": "NotAction", "resources": "Resource", "not_resources": "NotResource"} {
			if v := get(tf); v != cty.NilVal && !v.IsNull() {
				s[js] = iam.ToAny(v)
			}
		}
		for tf, js := range map[string]string{"principals": "Principal", "not_principals": "NotPrincipal"} {
			if v := get(tf); v != cty.NilVal && !v.IsNull() {
				s[js] = renderPrincipals(v)
			}
		}
		if v := get("condition"); v != cty.NilVal && !v.IsNull() {
			s["Condition"] = renderConditions(v)
		}
		out = append(out, s)
	}
	if out == nil {
		out = []any{}
	}
	return out
}

// renderPrincipals turns principals blocks into a Principal element, as
// the provider does: type "*" becomes the bare "*".
func renderPrincipals(v cty.Value) any {
	if !v.IsKnown() {
		return iam.Unknown{}
	}
	m := map[string]any{}
	for it := v.ElementIterator(); it.Next(); {
		_, b := it.Element()
		if !b.IsKnown() || !b.Type().IsObjectType() || !b.Type().HasAttribute("type") || !b.Type().HasAttribute("identifiers") {
			return iam.Unknown{}
		}
		typ, ok := graph.AsString(b.GetAttr("type"))
		if !ok {
			return iam.Unknown{}
		}
		if typ == "*" {
			return "*"
		}
		ids := iam.ToAny(b.GetAttr("identifiers"))
		if prev, ok := m[typ].([]any); ok {
			if l, ok := ids.([]any); ok {
				m[typ] = append(prev, l...)
				continue
			}
		}
		m[typ] = ids
	}
	return m
}

func renderConditions(v cty.Value) any {
	if !v.IsKnown() {
		return iam.Unknown{}
	}
	m := map[string]any{}
	for it := v.ElementIterator(); it.Next(); {
		_, b := it.Element()
		if !b.IsKnown() || !b.Type().IsObjectType() || !b.Type().HasAttribute("test") || !b.Type().HasAttribute("variable") {
			return iam.Unknown{}
		}
		test, ok1 := graph.AsString(b.GetAttr("test"))
		variable, ok2 := graph.AsString(b.GetAttr("variable"))
		if !ok1 || !ok2 {
			return iam.Unknown{}
		}
		keys, _ := m[test].(map[string]any)
		if keys == nil {
			keys = map[string]any{}
			m[test] = keys
		}
		var values cty.Value = cty.NilVal
		if b.Type().HasAttribute("values") {
			values = b.GetAttr("values")
		}
		keys[variable] = iam.ToAny(values)
	}
	return m
}

// listLen is the number of elements written at path; an unknown list has
// none that can be read.
func listLen(r *graph.Resource, path string) int {
	n, _ := r.ListLen(path)
	return n
}
