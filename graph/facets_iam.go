package graph

import (
	"github.com/strider-sec/strider/graph/iam"
	"github.com/zclconf/go-cty/cty"
)

// Policy is one policy document a resource carries, with where it is
// written.
type Policy struct {
	// Doc is the normalized document; nil when State is not Set or the
	// text is not a valid policy (Err says why).
	Doc *iam.Document
	// State is Set when the document could be read, Unknown when it is
	// computed (a reference, a variable, a value known after apply).
	State State
	// Err is why a written document could not be read.
	Err string
	// Attr is the attribute as the source spells it, for messages
	// ("assume_role_policy", "AssumeRolePolicyDocument").
	Attr  string
	Range Range
	// DocRef is the reference an unknown document makes, so that the IAM
	// pass can take the document from a data source in the graph
	// (data.aws_iam_policy_document.x.json).
	DocRef *Ref
	// Path is the attribute path the document is read from
	// ("inline_policy.0.policy"), for the references made inside it.
	Path string
	// Via is the resource the document was taken from, filled by Build.
	Via *Resource
	// Merge is set on a rendered document that combines others with its
	// own statements; Build computes Doc from it when every part can be
	// read.
	Merge *PolicyMerge
}

// PolicyMerge is how a rendered policy document combines others
// (source_policy_documents, override_policy_documents) with its own
// statements.
type PolicyMerge struct {
	Own       *iam.Document
	Sources   []MergePart
	Overrides []MergePart
}

// MergePart is one document of a merge: read already, or a reference to
// another rendered document in the graph.
type MergePart struct {
	Doc *iam.Document
	Ref *Ref
}

// Known reports whether the document could be read.
func (p *Policy) Known() bool { return p != nil && p.Doc != nil }

// ReadPolicy reads the policy document at path of r: a JSON string, an
// object (CloudFormation), or a Terraform jsonencode of a partly known
// value. It returns nil when nothing is written at path. name is how the
// source spells the attribute.
func ReadPolicy(r *Resource, path, name string) *Policy {
	v := r.Attr(path)
	if v == cty.NilVal {
		return nil
	}
	p := &Policy{Attr: name, Range: r.AttrRange(path), Path: path}
	if pv, ok := PartialJSON(v); ok {
		v = pv
	} else if !v.IsKnown() {
		p.State = Unknown
		for i := range r.Refs {
			if r.Refs[i].Attr == path {
				p.DocRef = &r.Refs[i]
				break
			}
		}
		return p
	}
	p.fill(v)
	return p
}

func (p *Policy) fill(v cty.Value) {
	doc, err := iam.FromValue(v)
	p.State = Set
	if err != nil {
		p.Err = err.Error()
		return
	}
	p.Doc = doc
}

// Role is an IAM role.
type Role struct {
	Name Value[string]
	// ARN is known for a role that already exists (a plan's prior state),
	// and tells the role's own account.
	ARN Value[string]
	// Trust is the assume-role policy.
	Trust *Policy
	// Inline are the policies written in the role itself.
	Inline []*Policy
	// ManagedARNs are the managed policies the role itself lists.
	ManagedARNs []Value[string]
	// Path is the role's path ("/" when absent).
	Path Value[string]
	// Boundary is the permissions boundary; nil when none is set.
	Boundary *PolicyLink
}

// PolicyLink names a managed policy by ARN, or by reference to a policy
// resource in the same scope.
type PolicyLink struct {
	ARN   Value[string]
	Ref   *Ref
	Range Range
}

// InstanceProfile is an IAM instance profile: the role an EC2 instance
// runs as.
type InstanceProfile struct {
	Name Value[string]
	// Roles are the roles in the profile (one at most, in practice).
	Roles []PrincipalLink
	// Resolved are the roles in the graph, filled by Build.
	Resolved []*Resource
}

// User is an IAM user.
type User struct {
	Name Value[string]
	// Inline are the policies written in the user itself (CloudFormation
	// Policies).
	Inline []*Policy
	// ManagedARNs are the managed policies the user itself lists.
	ManagedARNs []Value[string]
	// LoginProfile is the console password written in the user itself
	// (CloudFormation LoginProfile); nil when absent.
	LoginProfile *Range
	// Path is the user's path ("/" when absent).
	Path Value[string]
	// Boundary is the permissions boundary; nil when none is set.
	Boundary *PolicyLink
}

// PrincipalLink names an IAM user, role or group a resource applies to:
// by reference to a resource in the same scope, or by name.
type PrincipalLink struct {
	Ref   *Ref
	Name  Value[string]
	Range Range
}

// Credential is a long-lived credential of an IAM user: an access key or
// a console password.
type Credential struct {
	// Kind is CredentialAccessKey or CredentialPassword.
	Kind string
	User PrincipalLink
	// Status is the access key status ("Active", "Inactive"); absent
	// means active.
	Status Value[string]
}

// Credential kinds.
const (
	CredentialAccessKey = "access key"
	CredentialPassword  = "console password"
)

// IdentityPolicy is a policy that grants permissions to IAM principals:
// a managed policy, or an inline policy of a user, group or role written
// as its own resource, and a managed policy attachment.
type IdentityPolicy struct {
	// Policy is the document; nil for an attachment of a managed policy
	// by ARN.
	Policy *Policy
	// PolicyARN is the managed policy an attachment attaches.
	PolicyARN Value[string]
	// PolicyRef is the policy resource an attachment attaches, when
	// it names one in the same scope.
	PolicyRef *Ref
	// Name and Path are a managed policy's own (aws_iam_policy,
	// AWS::IAM::ManagedPolicy), from which its ARN is built.
	Name, Path Value[string]
	// Managed is true for a customer managed policy: a policy that can be
	// attached and versioned, not an inline one.
	Managed bool
	// Users, Roles and Groups are what it is attached to.
	Users, Roles, Groups []PrincipalLink
}

// ResourcePolicy is a policy on a resource that says who, in any account,
// may use it: S3 bucket policies, SQS queue policies, SNS topic policies,
// ECR repository policies, Secrets Manager and Glacier vault policies,
// EFS file system policies.
type ResourcePolicy struct {
	// Service names the service for messages ("S3 bucket").
	Service string
	Policy  *Policy
}

// KMSKey is a KMS key.
type KMSKey struct {
	// Policy is the key policy; nil when absent (the default key policy
	// gives the key's own account full access through IAM).
	Policy *Policy
}

// LambdaPermission is a statement added to a Lambda function's resource
// policy (aws_lambda_permission, AWS::Lambda::Permission).
type LambdaPermission struct {
	Principal      Value[string]
	Action         Value[string]
	SourceArn      Value[string]
	SourceAccount  Value[string]
	PrincipalOrgID Value[string]
	// FunctionURLAuthType is set for lambda:InvokeFunctionUrl grants.
	FunctionURLAuthType Value[string]
	Function            Value[string]
}

// Group is an IAM group.
type Group struct {
	Name Value[string]
	// Inline and ManagedARNs are the policies written in the group itself
	// (CloudFormation).
	Inline      []*Policy
	ManagedARNs []Value[string]
	// Path is the group's path ("/" when absent).
	Path Value[string]
}

// GroupMembership puts users in groups: aws_iam_group_membership,
// aws_iam_user_group_membership, AWS::IAM::UserToGroupAddition, and the
// Groups of an AWS::IAM::User.
type GroupMembership struct {
	Users  []PrincipalLink
	Groups []PrincipalLink
}
