package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
	"golang.org/x/tools/txtar"
)

// severities scans a fixture with one rule and returns the effective
// severity of the finding on each address.
func severities(t *testing.T, fixture string, r *rules.Rule) map[string]rules.Severity {
	t.Helper()
	ar, err := txtar.ParseFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir, Rules: []*rules.Rule{r}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]rules.Severity{}
	for _, f := range res.Findings {
		out[f.Resource.Addr.String()] = f.EffectiveSeverity()
	}
	return out
}

// An SCP that enforces IMDSv2 in the instance's account lowers the IMDSv1
// finding to low; elsewhere it keeps the rule's severity.
func TestIMDSv1LoweredBySCP(t *testing.T) {
	got := severities(t, "testdata/ec2-imdsv1-reachable/bad_terraform_scp.txtar", &rules.EC2IMDSv1Reachable)
	if got["aws_instance.covered"] != rules.Low {
		t.Errorf("covered: %s, want low", got["aws_instance.covered"])
	}
	if got["aws_instance.elsewhere"] != rules.EC2IMDSv1Reachable.Severity {
		t.Errorf("elsewhere: %s, want %s", got["aws_instance.elsewhere"], rules.EC2IMDSv1Reachable.Severity)
	}
}

// A deny with a condition is partial: low. No deny at all: the rule's.
func TestOrgPartialIsLow(t *testing.T) {
	got := severities(t, "testdata/org-scp-leave-organization-not-denied/bad_terraform.txtar", &rules.OrgLeaveOrganization)
	want := map[string]rules.Severity{
		"aws_organizations_organization.org":              rules.High,
		"aws_organizations_organizational_unit.workloads": rules.Low,
		"aws_organizations_account.app":                   rules.Low,
	}
	for a, w := range want {
		if got[a] != w {
			t.Errorf("%s: %s, want %s", a, got[a], w)
		}
	}
}
