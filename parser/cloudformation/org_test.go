package cloudformation

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strider-sec/strider/graph"
)

// Organization resources: parents by Ref, GetAtt and literal ID, SCP
// targets by reference and by ID, a parameter that is known only at
// deploy time, and policies of other types that are not SCPs.
func TestOrgPaths(t *testing.T) {
	const src = `Parameters:
  Parent: {Type: String}
Resources:
  Workloads:
    Type: AWS::Organizations::OrganizationalUnit
    Properties: {Name: workloads, ParentId: r-ab12}
  Prod:
    Type: AWS::Organizations::OrganizationalUnit
    Properties: {Name: prod, ParentId: !GetAtt Workloads.Id}
  App:
    Type: AWS::Organizations::Account
    Properties: {AccountName: app, Email: a@example.com, ParentIds: [!Ref Prod]}
  Floating:
    Type: AWS::Organizations::OrganizationalUnit
    Properties: {Name: floating, ParentId: !Ref Parent}
  Guard:
    Type: AWS::Organizations::Policy
    Properties:
      Name: guard
      Type: SERVICE_CONTROL_POLICY
      TargetIds: [!Ref Prod]
      Content: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "organizations:LeaveOrganization", Resource: "*"}]}
  RootGuard:
    Type: AWS::Organizations::Policy
    Properties:
      Name: root-guard
      Type: SERVICE_CONTROL_POLICY
      TargetIds: [r-ab12]
      Content: '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "cloudtrail:StopLogging", "Resource": "*"}]}'
  Tags:
    Type: AWS::Organizations::Policy
    Properties:
      Name: tags
      Type: TAG_POLICY
      TargetIds: [!Ref Prod]
      Content: {}
`
	rs, diags := Parse([]byte(src), "t.yaml")
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	g, _ := graph.Build(rs)
	got := map[string]string{}
	for _, r := range g.Resources {
		if n := r.Facets.OrgNode(); n != nil {
			got[r.Addr.Name] = n.Path() + " leave=" + n.Evaluate("organizations:LeaveOrganization").Status.String() +
				" stop=" + n.Evaluate("cloudtrail:StopLogging").Status.String()
		}
		if r.Addr.Name == "Tags" && r.Facets.SCP() != nil {
			t.Error("a tag policy read as an SCP")
		}
	}
	want := map[string]string{
		"Workloads": "r-ab12 > Workloads leave=open stop=denied",
		"Prod":      "r-ab12 > Workloads > Prod leave=denied stop=denied",
		"App":       "r-ab12 > Workloads > Prod > App leave=denied stop=denied",
		"Floating":  "… > Floating leave=undetermined stop=undetermined",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("paths (-want +got):\n%s", d)
	}
}
