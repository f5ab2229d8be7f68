package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// IAMUserAdmin flags full administrator rights given directly to IAM
// users, inline or by attachment.
var IAMUserAdmin = Rule{
	ID:        "SDR-IAM-007",
	Slug:      "iam-user-admin-policy",
	Title:     "IAM user is given full administrator rights (*:* on *)",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1078.004", "T1098.003"},
	Rationale: `A user with ` + "`Action \"*\"`" + ` on ` + "`Resource \"*\"`" + ` (or the AdministratorAccess managed policy) ` +
		`can do anything in the account, including creating more users, keys and roles to persist. Users carry ` +
		`long-lived credentials, so whoever steals the user's password or access key owns the account. ` +
		`Administrative access belongs to roles assumed for a session, with MFA, through federation.`,
	Remediation: `Remove the administrator policy from the user. Grant administration through a role (or an IAM ` +
		`Identity Center permission set) that requires MFA, and give the user only what its job needs.`,
	FixTerraform: `resource "aws_iam_role" "admin" {
  name                = "admin"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}`,
	FixCloudFormation: `AdminRole:
  Type: AWS::IAM::Role
  Properties:
    ManagedPolicyArns:
      - arn:aws:iam::aws:policy/AdministratorAccess
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Principal:
            AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
          Condition:
            Bool:
              aws:MultiFactorAuthPresent: "true"`,
	References: []string{
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
		"https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
	},
	Check: checkIAMUserAdmin,
}

// adminPolicyARNs are AWS managed policies that grant everything.
var adminPolicyARNs = []string{"AdministratorAccess"}

func isAdminARN(arn string) bool {
	for _, n := range adminPolicyARNs {
		if strings.HasPrefix(arn, "arn:") && strings.HasSuffix(arn, ":policy/"+n) && strings.Contains(arn, ":iam::aws:") {
			return true
		}
	}
	return false
}

// adminStatement returns the first statement of p that allows every
// action on every resource with no condition.
func adminStatement(p *graph.Policy) *iam.Statement {
	if !p.Known() {
		return nil
	}
	for i := range p.Doc.Statements {
		s := &p.Doc.Statements[i]
		if s.Allows() && s.AllActions() == iam.Yes && s.AllResources() == iam.Yes && len(s.Conditions) == 0 && !s.ConditionUnknown {
			return s
		}
	}
	return nil
}

func checkIAMUserAdmin(pass *Pass) error {
	members := groupMembers(pass)
	for _, r := range pass.Graph.Resources {
		if g := r.Facets.Group(); g != nil {
			who := members.of(pass, r, graph.PrincipalLink{Ref: &graph.Ref{Target: r.Addr.ConfigAddr()}, Name: g.Name})
			if who != "" {
				for _, p := range g.Inline {
					if s := adminStatement(p); s != nil {
						pass.Reportf(r, p.Range, "%s has an inline policy whose %s allows Action %s on Resource %s: full administrator rights for its members, %s",
							r.Addr, stmtName(s), quoteList(s.Action.Values), quoteList(s.Resource.Values), who)
					}
				}
				for _, a := range g.ManagedARNs {
					if a.State == graph.Set && isAdminARN(a.V) {
						pass.Reportf(r, a.Range, "%s has the managed policy %s: full administrator rights for its members, %s", r.Addr, a.V, who)
					}
				}
			}
		}
		if u := r.Facets.User(); u != nil {
			for _, p := range u.Inline {
				if s := adminStatement(p); s != nil {
					pass.Reportf(r, p.Range, "%s has an inline policy whose %s allows Action %s on Resource %s: full administrator rights on a user with long-lived credentials",
						r.Addr, stmtName(s), quoteList(s.Action.Values), quoteList(s.Resource.Values))
				}
			}
			for _, a := range u.ManagedARNs {
				if a.State == graph.Set && isAdminARN(a.V) {
					pass.Reportf(r, a.Range, "%s has the managed policy %s: full administrator rights on a user with long-lived credentials", r.Addr, a.V)
				}
			}
		}
		ip := r.Facets.IdentityPolicy()
		if ip == nil {
			continue
		}
		var parts []string
		if len(ip.Users) > 0 {
			users := make([]string, len(ip.Users))
			for i, l := range ip.Users {
				users[i] = userName(pass, r, l)
			}
			parts = append(parts, "IAM user "+strings.Join(users, ", "))
		}
		for _, l := range ip.Groups {
			if m := members.of(pass, r, l); m != "" {
				parts = append(parts, "group "+groupName(l)+" (members "+m+")")
			}
		}
		if len(parts) == 0 {
			continue
		}
		who := strings.Join(parts, " and ")
		if ip.Policy != nil {
			if s := adminStatement(ip.Policy); s != nil {
				pass.Reportf(r, ip.Policy.Range, "%s gives %s full administrator rights: %s allows Action %s on Resource %s",
					r.Addr, who, stmtName(s), quoteList(s.Action.Values), quoteList(s.Resource.Values))
			}
			continue
		}
		if ip.PolicyARN.State == graph.Set && isAdminARN(ip.PolicyARN.V) {
			pass.Reportf(r, ip.PolicyARN.Range, "%s attaches %s to %s: full administrator rights on a user with long-lived credentials", r.Addr, ip.PolicyARN.V, who)
			continue
		}
		if ip.PolicyRef != nil {
			for _, t := range pass.Graph.Resolve(r, ip.PolicyRef.Target) {
				if t.Facets.IdentityPolicy() == nil || t.Facets.IdentityPolicy().Policy == nil {
					continue
				}
				if s := adminStatement(t.Facets.IdentityPolicy().Policy); s != nil {
					pass.Report(Finding{Resource: r, Range: ip.PolicyRef.Range, Message: fmt.Sprintf(
						"%s attaches %s to %s: its %s allows Action %s on Resource %s, full administrator rights on a user with long-lived credentials",
						r.Addr, t.Addr, who, stmtName(s), quoteList(s.Action.Values), quoteList(s.Resource.Values)),
						Related: []Related{{Range: t.Facets.IdentityPolicy().Policy.Range, Address: t.Addr.String(), Message: "the administrator policy"}}})
				}
			}
		}
	}
	return nil
}

// memberships indexes the users the tree puts in each group, by group
// resource key and by group name.
type memberships map[string][]string

func groupKeys(pass *Pass, from *graph.Resource, l graph.PrincipalLink) []string {
	var keys []string
	if l.Ref != nil {
		for _, t := range pass.Graph.Resolve(from, l.Ref.Target) {
			keys = append(keys, t.Key())
			if t.Facets.Group() != nil && t.Facets.Group().Name.State == graph.Set {
				keys = append(keys, "name:"+t.Facets.Group().Name.V)
			}
		}
	}
	if l.Name.State == graph.Set {
		keys = append(keys, "name:"+l.Name.V)
	}
	return keys
}

func groupMembers(pass *Pass) memberships {
	m := memberships{}
	for _, r := range pass.Graph.Resources {
		gm := r.Facets.GroupMembership()
		if gm == nil {
			continue
		}
		var users []string
		for _, u := range gm.Users {
			users = append(users, userName(pass, r, u))
		}
		for _, g := range gm.Groups {
			for _, k := range groupKeys(pass, r, g) {
				m[k] = append(m[k], users...)
			}
		}
	}
	return m
}

// of names the users in the group l points at, or "" when the tree puts
// nobody in it.
func (m memberships) of(pass *Pass, from *graph.Resource, l graph.PrincipalLink) string {
	seen := map[string]bool{}
	var out []string
	for _, k := range groupKeys(pass, from, l) {
		for _, u := range m[k] {
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return strings.Join(out, ", ")
}

func groupName(l graph.PrincipalLink) string {
	if l.Name.State == graph.Set {
		return fmt.Sprintf("%q", l.Name.V)
	}
	if l.Ref != nil {
		return l.Ref.Target
	}
	return "(not known)"
}
