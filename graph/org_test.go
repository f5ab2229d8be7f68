package graph_test

import (
	"testing"
	"testing/fstest"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/parser/terraform"
	"golang.org/x/tools/txtar"
)

// The effective SCP answer along each path of the org fixture.
func TestOrgEvaluate(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/org.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	root := terraform.NewLoader(fsys, terraform.Options{}).LoadRoot(".")
	g, _ := graph.Build(root.Resources)
	node := func(addr string) *graph.OrgNode {
		t.Helper()
		for _, r := range g.Resources {
			if r.Addr.String() == addr {
				return r.Facets.OrgNode()
			}
		}
		t.Fatalf("no %s", addr)
		return nil
	}
	for _, tc := range []struct {
		node, action string
		want         graph.GuardStatus
	}{
		// Denied at the OU, inherited by its account.
		{"aws_organizations_organizational_unit.prod", "organizations:LeaveOrganization", graph.GuardDenied},
		{"aws_organizations_account.app", "cloudtrail:StopLogging", graph.GuardDenied},
		// Not inherited upwards or sideways.
		{"aws_organizations_organization.org", "organizations:LeaveOrganization", graph.GuardOpen},
		{"aws_organizations_account.loose", "cloudtrail:StopLogging", graph.GuardOpen},
		// A Deny with a condition is partial.
		{"aws_organizations_account.app", "ec2:RunInstances", graph.GuardPartial},
		// The allow list at sandbox replaces FullAWSAccess: what it does
		// not allow is denied.
		{"aws_organizations_organizational_unit.sandbox", "iam:CreateUser", graph.GuardDenied},
		// What it allows depends on dev, where a policy outside the code
		// is attached: it may deny.
		{"aws_organizations_organizational_unit.sandbox", "s3:PutAccountPublicAccessBlock", graph.GuardUndetermined},
		// Parents that cannot be known.
		{"aws_organizations_organizational_unit.lost", "organizations:LeaveOrganization", graph.GuardUndetermined},
		{"aws_organizations_organizational_unit.elsewhere", "organizations:LeaveOrganization", graph.GuardUndetermined},
	} {
		got := node(tc.node).Evaluate(tc.action)
		if got.Status != tc.want {
			t.Errorf("%s %s: %s (%+v), want %s", tc.node, tc.action, got.Status, got, tc.want)
		}
	}
	if node("aws_organizations_account.app").IMDSv2Enforced() == nil {
		t.Error("app: IMDSv2 SCP not seen")
	}
	if node("aws_organizations_account.loose").IMDSv2Enforced() != nil {
		t.Error("loose: IMDSv2 SCP seen where it is not attached")
	}
}
