package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const landingZone = "testdata/landing-zone"

// The landing-zone fixture in every audit format.
func TestAuditGolden(t *testing.T) {
	for _, format := range []string{"json", "markdown", "html"} {
		t.Run(format, func(t *testing.T) {
			out, stderr, code := strider(t, "audit", "--format", format, landingZone)
			if code != exitClean {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitClean, stderr)
			}
			if stderr != "" {
				t.Errorf("stderr is not empty when it is not a terminal:\n%s", stderr)
			}
			if format == "json" {
				validateAudit(t, []byte(out))
			}
			out = strings.ReplaceAll(normalize(t, out), "strider "+toolVersion()+".", "strider VERSION.")
			golden(t, "landing-zone.audit."+format+".golden", out)
		})
	}
}

// The HTML report loads nothing: no script, no stylesheet, font or image
// from elsewhere, so it opens offline and leaks nothing when opened.
func TestAuditHTMLSelfContained(t *testing.T) {
	out, _, code := strider(t, "audit", "--format", "html", landingZone)
	if code != exitClean {
		t.Fatalf("exit code %d", code)
	}
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script`),
		regexp.MustCompile(`(?i)\b(src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(https?:)?//`),
		regexp.MustCompile(`(?i)url\(\s*["']?\s*(https?:)?//`),
		regexp.MustCompile(`(?i)@import`),
		regexp.MustCompile(`(?i)<link\b`),
		regexp.MustCompile(`(?i)<(iframe|object|embed|img)\b`),
	} {
		if m := bad.FindString(out); m != "" {
			t.Errorf("HTML loads something from elsewhere: %q", m)
		}
	}
	for _, want := range []string{"<svg", `class="st missing"`, `class="st enforced"`, "Workloads", "OrganizationAccountAccessRole", "sts:ExternalId=acme-7f3a"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

// The guardrail matrix shows, per OU and account, the controls the SCPs
// of the fixture enforce and those they leave out.
func TestAuditGuardrails(t *testing.T) {
	out, stderr, code := strider(t, "audit", "--format", "json", landingZone)
	if code != exitClean {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	var doc struct {
		Guardrails []struct {
			Target     string   `json:"target"`
			TargetType string   `json:"target_type"`
			Control    string   `json:"control"`
			Actions    []string `json:"actions"`
			Status     string   `json:"status"`
			Via        []string `json:"via"`
		} `json:"guardrails"`
		Trust []struct {
			From       string   `json:"from"`
			To         string   `json:"to"`
			Role       string   `json:"role"`
			Conditions []string `json:"conditions"`
			Guarded    bool     `json:"guarded"`
			Implicit   bool     `json:"implicit"`
		} `json:"trust"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		target, typ, control, status, via string
	}{
		{"Sandbox", "ou", "leave-org", "enforced", "aws_organizations_policy.baseline"},
		{"sandbox", "account", "cloudtrail-tamper", "enforced", "aws_organizations_policy.baseline"},
		{"Sandbox", "ou", "guardduty-disable", "missing", ""},
		{"Security", "ou", "region-restrict", "missing", ""},
		{"Workloads", "ou", "region-restrict", "enforced", "aws_organizations_policy.workloads"},
		{"Workloads", "ou", "config-disable", "enforced", "aws_organizations_policy.workloads"},
		{"Workloads", "ou", "iam-user-keys", "missing", ""},
		{"Prod", "ou", "iam-user-keys", "enforced", "aws_organizations_policy.prod"},
		{"prod", "account", "root-user", "enforced", "aws_organizations_policy.prod"},
		{"prod", "account", "snapshot-ami-share", "enforced", "aws_organizations_policy.prod"},
		// Dev denies iam:CreateUser but not iam:CreateAccessKey.
		{"Dev", "ou", "iam-user-keys", "partial", "aws_organizations_policy.dev"},
		{"dev", "account", "iam-user-keys", "partial", "aws_organizations_policy.dev"},
		// Requested from Account Factory into Workloads: its SCPs apply.
		{"analytics", "account", "region-restrict", "enforced", "aws_organizations_policy.workloads"},
		{"analytics", "account", "iam-user-keys", "missing", ""},
		// The region deny covers sharing, but only outside two regions.
		{"dev", "account", "snapshot-ami-share", "partial", "aws_organizations_policy.workloads"},
	} {
		found := false
		for _, g := range doc.Guardrails {
			if g.Target != tc.target || g.TargetType != tc.typ || g.Control != tc.control {
				continue
			}
			found = true
			if g.Status != tc.status {
				t.Errorf("%s %s %s: status %s, want %s", tc.typ, tc.target, tc.control, g.Status, tc.status)
			}
			if tc.via != "" && !strings.Contains(strings.Join(g.Via, " "), tc.via) {
				t.Errorf("%s %s %s: via %v, want %s", tc.typ, tc.target, tc.control, g.Via, tc.via)
			}
			if tc.via == "" && len(g.Via) > 0 {
				t.Errorf("%s %s %s: via %v, want none", tc.typ, tc.target, tc.control, g.Via)
			}
			if len(g.Actions) == 0 {
				t.Errorf("%s %s %s: no actions", tc.typ, tc.target, tc.control)
			}
		}
		if !found {
			t.Errorf("no guardrail for %s %s %s", tc.typ, tc.target, tc.control)
		}
	}
	for _, tc := range []struct {
		from, to, role, cond string
		guarded, implicit    bool
	}{
		{"555555555555", "444444444444", "aws_iam_role.deploy", "", false, false},
		{"999999999999", "444444444444", "aws_iam_role.vendor", "StringEquals sts:ExternalId=acme-7f3a", true, false},
		{"111111111111", "333333333333", "aws_iam_role.security_audit", "StringEquals aws:PrincipalOrgID=o-abc123def4", true, false},
		{"111111111111", "666666666666", "BreakGlass", "Bool aws:MultiFactorAuthPresent=true", true, false},
		{"111111111111", "444444444444", "aws_organizations_account.prod", "", false, true},
	} {
		found := false
		for _, e := range doc.Trust {
			if e.From != tc.from || e.To != tc.to || e.Role != tc.role {
				continue
			}
			found = true
			if got := strings.Join(e.Conditions, "; "); got != tc.cond {
				t.Errorf("%s → %s %s: conditions %q, want %q", tc.from, tc.to, tc.role, got, tc.cond)
			}
			if e.Guarded != tc.guarded || e.Implicit != tc.implicit {
				t.Errorf("%s → %s %s: guarded %v implicit %v, want %v %v", tc.from, tc.to, tc.role, e.Guarded, e.Implicit, tc.guarded, tc.implicit)
			}
		}
		if !found {
			t.Errorf("no trust %s → %s through %s", tc.from, tc.to, tc.role)
		}
	}
}

func TestAuditUsage(t *testing.T) {
	for _, args := range [][]string{
		{"audit", "--format", "sarif", landingZone},
		{"audit", landingZone + "/management/main.tf"},
		{"audit", "testdata/does-not-exist"},
	} {
		_, stderr, code := strider(t, args...)
		if code != exitError || stderr == "" {
			t.Errorf("%v: exit code %d, stderr %q; want %d and a message", args, code, stderr, exitError)
		}
	}
}

// Account conventions are relative to the configuration's directory: the
// repository root, or the audited directory when it holds one.
func TestAuditConfigAccounts(t *testing.T) {
	topic := `resource "aws_sns_topic" "t" {}` + "\n"
	accountOf := func(t *testing.T, out, stack string) string {
		t.Helper()
		var doc struct {
			Accounts []struct {
				ID     string   `json:"id"`
				Roles  []string `json:"roles"`
				Stacks []string `json:"stacks"`
			} `json:"accounts"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		for _, a := range doc.Accounts {
			for _, s := range a.Stacks {
				if s == stack {
					return a.ID + " " + strings.Join(a.Roles, ",")
				}
			}
		}
		return ""
	}
	t.Run("repository root", func(t *testing.T) {
		dir := repo(t, map[string]string{
			"lz/prod/main.tf": topic,
			".strider.yaml":   "accounts:\n  - path: lz/prod/**\n    account: \"444455556666\"\n    role: workload\n",
		})
		out, stderr, code := runIn(t, dir, "audit", "-f", "json", "lz")
		if code != exitClean {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if got := accountOf(t, out, "lz/prod"); got != "444455556666 workload" {
			t.Errorf("lz/prod is in %q", got)
		}
	})
	t.Run("audited directory", func(t *testing.T) {
		dir := repo(t, map[string]string{
			"lz/prod/main.tf":  topic,
			"lz/.strider.yaml": "accounts:\n  - path: prod\n    account: \"444455556666\"\n",
		})
		out, stderr, code := runIn(t, dir, "audit", "-f", "json", "lz")
		if code != exitClean {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if got := accountOf(t, out, "lz/prod"); got != "444455556666 " {
			t.Errorf("lz/prod is in %q", got)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		for _, cfg := range []string{
			"accounts:\n  - path: prod\n    account: \"4444\"\n",
			"accounts:\n  - path: prod\n",
			"accounts:\n  - account: \"444455556666\"\n    role: boss\n",
			"accounts:\n  - role: security\n",
		} {
			dir := repo(t, map[string]string{"lz/prod/main.tf": topic, ".strider.yaml": cfg})
			if _, stderr, code := runIn(t, dir, "audit", "lz"); code != exitError || stderr == "" {
				t.Errorf("%q: exit %d, stderr %q", cfg, code, stderr)
			}
			if _, _, code := runIn(t, dir, "scan", "lz"); code != exitError {
				t.Errorf("scan with %q: exit %d", cfg, code)
			}
		}
	})
}

// validateAudit checks the audit JSON against report/audit-schema.json,
// which forbids what it does not list.
func validateAudit(t *testing.T, doc []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join(repoRoot, "report", "audit-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("audit JSON does not validate: %v", err)
	}
}

// The same tree gives the same report, byte for byte.
func TestAuditDeterministic(t *testing.T) {
	for _, format := range []string{"json", "html"} {
		first, _, _ := strider(t, "audit", "--format", format, landingZone)
		for range 3 {
			if again, _, _ := strider(t, "audit", "--format", format, landingZone); again != first {
				t.Fatalf("%s: two runs differ", format)
			}
		}
	}
}
