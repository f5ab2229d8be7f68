package report

import (
	"fmt"
	"io"
	"strings"
)

// statusMark is the matrix cell of a status in Markdown: a word a reader
// can search for, with a sign for the eye.
func statusMark(s string) string {
	switch s {
	case "enforced":
		return "✅ enforced"
	case "missing":
		return "❌ missing"
	case "partial":
		return "⚠️ partial"
	}
	return "❔ " + s
}

// WriteAuditMarkdown writes the audit as Markdown: the organization
// tree, the accounts, the guardrail matrix, the trust map and the
// findings by account.
func WriteAuditMarkdown(w io.Writer, in AuditInput) error {
	d := newAuditDoc(in)
	var b strings.Builder
	fmt.Fprintf(&b, "# Landing-zone audit\n\n")
	fmt.Fprintf(&b, "%s\n\n", d.summary())

	b.WriteString("## Organization\n\n")
	if d.Organization == nil {
		b.WriteString("The scanned code defines no organization.\n\n")
	} else {
		var walk func(n *auditNode, depth int)
		walk = func(n *auditNode, depth int) {
			fmt.Fprintf(&b, "%s- **%s** (%s)", strings.Repeat("  ", depth), mdText(n.Name), n.Kind)
			if n.Kind == "root" && n.Account != "" {
				fmt.Fprintf(&b, " — management account: %s", mdText(d.accountLabel(n.Account)))
			} else if n.Account != "" {
				if roles := d.roles(n.Account); roles != "" {
					fmt.Fprintf(&b, " — %s", roles)
				}
			}
			if len(n.SCPs) > 0 {
				fmt.Fprintf(&b, " — SCPs: %s", mdText(strings.Join(n.SCPs, ", ")))
			}
			b.WriteByte('\n')
			for _, c := range n.Children {
				walk(c, depth+1)
			}
		}
		walk(d.Organization, 0)
		b.WriteByte('\n')
	}

	b.WriteString("## Accounts\n\n")
	if len(d.Accounts) == 0 {
		b.WriteString("No account is named by the code or the configuration.\n\n")
	} else {
		b.WriteString("| Account | Roles | Resources | Roots | Why |\n|---|---|---:|---|---|\n")
		for _, a := range d.Accounts {
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %s |\n", mdCell(a.Label), mdCell(strings.Join(a.Roles, ", ")), a.Resources,
				mdCell(strings.Join(a.Stacks, ", ")), mdCell(a.why()))
		}
		b.WriteByte('\n')
	}

	b.WriteString("## Guardrails\n\n")
	rows := d.matrix()
	if len(rows) == 0 {
		b.WriteString("No OU or account of an organization is in the scanned code.\n\n")
	} else {
		b.WriteString("| Target |")
		for _, c := range d.Controls {
			fmt.Fprintf(&b, " %s |", c.ID)
		}
		b.WriteString("\n|---|")
		for range d.Controls {
			b.WriteString("---|")
		}
		b.WriteByte('\n')
		for _, r := range rows {
			fmt.Fprintf(&b, "| %s%s (%s) |", strings.Repeat("· ", r.Depth), mdCell(r.Target), r.TargetType)
			for _, c := range r.Cells {
				fmt.Fprintf(&b, " %s |", statusMark(c.Status))
			}
			b.WriteByte('\n')
		}
		b.WriteString("\nSCPs never apply to the management account: it has no row, and its principals are bound only by their own policies.\n\nControls:\n\n")
		for _, c := range d.Controls {
			fmt.Fprintf(&b, "- `%s`: %s (%s)\n", c.ID, mdText(c.Title), mdCode(strings.Join(c.Actions, ", ")))
		}
		b.WriteByte('\n')
	}

	b.WriteString("## Cross-account trust\n\n")
	if len(d.Trust) == 0 {
		b.WriteString("No role trusts principals of another account or an identity provider.\n\n")
	} else {
		b.WriteString("| From | To | Role | Conditions | |\n|---|---|---|---|---|\n")
		for _, t := range d.Trust {
			var cond string
			switch {
			case t.Implicit:
				cond = t.Note
			case len(t.Conditions) == 0:
				cond = "none"
			default:
				cond = strings.Join(t.Conditions, "; ")
			}
			mark := trustMark(t)
			role := t.Role
			if t.RoleName != "" {
				role = t.RoleName + " (" + t.Role + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdCell(d.trustSource(t)), mdCell(d.accountLabel(t.To)), mdCell(role), mdCell(cond), mark)
		}
		b.WriteByte('\n')
		if len(d.Reach) > 0 {
			b.WriteString("### Attack paths across accounts\n\nWhere each source can get by assuming roles one after another (an upper bound: each step assumes the role before may assume the next).\n\n")
			for _, r := range d.shownReach() {
				fmt.Fprintf(&b, "- %s reaches:\n", mdText(d.sourceLabel(r.From)))
				for _, s := range r.Accounts {
					fmt.Fprintf(&b, "  - %s via %s\n", mdText(d.accountLabel(s.Account)), mdText(s.Via))
				}
				if r.More > 0 {
					fmt.Fprintf(&b, "  - and %d more accounts (see the JSON report)\n", r.More)
				}
			}
			b.WriteByte('\n')
		}
	}

	if len(d.Delegated) > 0 || len(d.StackSets) > 0 || len(d.Requests) > 0 {
		b.WriteString("## Delegation and deployment\n\n")
		for _, x := range d.Delegated {
			fmt.Fprintf(&b, "- %s is delegated administrator of %s (`%s`)\n", mdText(d.accountLabel(x.Account)), mdText(x.Service), mdCode(x.Address))
		}
		for _, s := range d.StackSets {
			var to []string
			for _, a := range s.Accounts {
				to = append(to, d.accountLabel(a))
			}
			to = append(to, s.OUs...)
			if s.Unknown {
				to = append(to, "targets that cannot be known statically")
			}
			if len(to) == 0 {
				to = []string{"no target in the scanned code"}
			}
			fmt.Fprintf(&b, "- StackSet `%s` deploys to %s\n", mdCode(s.Address), mdText(strings.Join(to, ", ")))
		}
		for _, r := range d.Requests {
			fmt.Fprintf(&b, "- `%s` requests account %s in OU %s from Account Factory for Terraform\n", mdCode(r.Address), mdText(r.Name), mdText(r.OU))
		}
		b.WriteByte('\n')
	}

	b.WriteString("## Findings by account\n\n")
	groups := d.findingsByAccount()
	if len(groups) == 0 {
		b.WriteString("No findings.\n\n")
	}
	for _, g := range groups {
		fmt.Fprintf(&b, "### %s\n\n| Severity | Rule | Resource | Message |\n|---|---|---|---|\n", mdText(d.accountLabel(g[0].Account)))
		for _, f := range g {
			fmt.Fprintf(&b, "| %s | %s | `%s` %s:%d | %s |\n", f.Severity, mdCell(f.Rule+" "+f.Slug), mdCode(f.Address), mdCell(f.File), f.Line, mdCell(f.Message))
		}
		b.WriteByte('\n')
	}

	if len(d.Notes) > 0 {
		b.WriteString("## What the audit could not see\n\n")
		for _, n := range d.Notes {
			fmt.Fprintf(&b, "- %s\n", mdText(n))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// roles lists an account's roles, comma-separated.
func (d *auditDoc) roles(key string) string {
	for _, a := range d.Accounts {
		if a.Key == key {
			return strings.Join(a.Roles, ", ")
		}
	}
	return ""
}

// trustSource names where a trust comes from.
func (d *auditDoc) trustSource(t auditTrust) string {
	switch t.FromKind {
	case "oidc":
		return "OIDC " + t.From
	case "saml":
		if _, name, ok := strings.Cut(t.From, ":saml-provider/"); ok {
			return "SAML " + name
		}
		return "SAML " + t.From
	}
	return d.accountLabel(t.From)
}

// sourceLabel names a reach source: an account, an identity provider or
// anyone.
func (d *auditDoc) sourceLabel(key string) string {
	for _, t := range d.Trust {
		if t.From == key {
			return d.trustSource(t)
		}
	}
	return d.accountLabel(key)
}

// trustMark says in a word how a trust is constrained.
func trustMark(t auditTrust) string {
	switch {
	case t.Implicit:
		return "implicit"
	case t.FromKind == "saml":
		return "identity provider"
	case t.Guarded:
		return "constrained"
	}
	return "⚠️ unconstrained"
}
