package graph

// Organization nodes and service control policies. Parsers fill what the
// code says (parents, policy documents, attachments); the org pass links
// them into paths from the root and computes each node's guardrail view.

// Kinds of organization node.
const (
	OrgRoot    = "root"
	OrgUnit    = "ou"
	OrgAccount = "account"
)

// OrgNode is a place in an AWS Organization that service control policies
// attach to: the organization's root, an organizational unit or a member
// account.
type OrgNode struct {
	// Kind is OrgRoot, OrgUnit or OrgAccount.
	Kind string
	// Parent is the parent by reference (parent_id =
	// aws_organizations_organizational_unit.x.id, ParentId: !Ref OU);
	// ParentID is a literal parent ID (r-…, ou-…). Neither is set for the
	// root, and an account without a parent sits under the root.
	Parent   *Ref
	ParentID Value[string]
	// ParentRange is where the parent is written, else the resource.
	ParentRange Range
	// ID is the node's own ID when the input states it: a plan knows the
	// IDs of existing OUs and accounts, and an account the configuration
	// declares by name gets its ID from there.
	ID Value[string]
	// Name is the OU's or account's name; absent for the root.
	Name Value[string]

	// Levels is the path from the root down to this node, each level with
	// the SCPs attached there; filled by Build.
	Levels []OrgLevel
	// PathComplete is false when a parent could not be resolved: a
	// reference to something outside the scanned tree, an unknown value,
	// an ID no resource declares. Levels then starts below the gap.
	PathComplete bool
	// Gap says in words why the path is incomplete.
	Gap string
	// Floating are the SCPs in the graph attached to a target that
	// cannot be known; any node may be it. Filled by Build.
	Floating []*Resource
}

// OrgLevel is one step of an organization path.
type OrgLevel struct {
	// Node is the OU, account or organization in the graph; nil for a
	// root known only by its literal ID.
	Node *Resource
	// ID is the literal ID of a level the graph knows only by ID.
	ID string
	// SCPs are the service control policies attached at this level, in
	// address order.
	SCPs []*Resource
	// Unresolved counts attachments at this level whose policy is not in
	// the scanned tree and is not FullAWSAccess.
	Unresolved int
	// FullAWSAccess is true when the AWS-managed FullAWSAccess policy
	// allows everything at this level: attached explicitly, or assumed
	// because no attached SCP here is an allow list.
	FullAWSAccess bool
}

// Name is how messages name the level: the resource address or the ID.
func (l OrgLevel) Name() string {
	if l.Node != nil {
		return l.Node.Addr.String()
	}
	return l.ID
}

// SCP is a service control policy (aws_organizations_policy of type
// SERVICE_CONTROL_POLICY, AWS::Organizations::Policy).
type SCP struct {
	// Policy is the policy content.
	Policy *Policy
	// Targets are where CloudFormation attaches it (TargetIds); Terraform
	// attaches with separate resources (SCPAttachment).
	Targets []OrgLink
}

// SCPAttachment attaches a policy to a root, OU or account
// (aws_organizations_policy_attachment).
type SCPAttachment struct {
	Policy OrgLink
	Target OrgLink
}

// OrgLink names an organization object by reference or by literal ID.
type OrgLink struct {
	Ref   *Ref
	ID    Value[string]
	Range Range
}

// FullAWSAccessID is the ID of the AWS-managed policy that allows every
// action, attached to every root, OU and account when it is created.
const FullAWSAccessID = "p-FullAWSAccess"
