package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/strider-sec/strider/audit"
	"github.com/strider-sec/strider/rules"
)

// AuditInput is what the audit renderers need.
type AuditInput struct {
	Audit *audit.Report
	// Inputs are the files read, relative to the scan's base directory.
	Inputs []string
	Tool   Tool
}

// auditDoc is the JSON form of an audit, and the model the Markdown and
// HTML renderers read. Field names are part of the interface (README).
type auditDoc struct {
	// SchemaVersion follows report/audit-schema.json.
	SchemaVersion string           `json:"schema_version"`
	Tool          auditTool        `json:"tool"`
	Inputs        int              `json:"inputs"`
	Accounts      []auditAccount   `json:"accounts"`
	Organization  *auditNode       `json:"organization"`
	Controls      []auditControl   `json:"controls"`
	Guardrails    []auditGuardrail `json:"guardrails"`
	Trust         []auditTrust     `json:"trust"`
	Reach         []auditReach     `json:"reach"`
	Delegated     []auditDelegated `json:"delegated_administrators"`
	StackSets     []auditStackSet  `json:"stack_sets"`
	Requests      []auditRequest   `json:"account_requests"`
	Findings      []auditFinding   `json:"findings"`
	Notes         []string         `json:"notes"`
}

type auditTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type auditAccount struct {
	Key       string   `json:"key"`
	ID        string   `json:"id,omitempty"`
	Name      string   `json:"name,omitempty"`
	Label     string   `json:"label"`
	Roles     []string `json:"roles"`
	Evidence  []string `json:"evidence"`
	Address   string   `json:"address,omitempty"`
	Requested string   `json:"requested,omitempty"`
	Path      string   `json:"path,omitempty"`
	Stacks    []string `json:"stacks"`
	Resources int      `json:"resources"`
}

type auditNode struct {
	Kind     string       `json:"kind"`
	Name     string       `json:"name"`
	Address  string       `json:"address,omitempty"`
	ID       string       `json:"id,omitempty"`
	Account  string       `json:"account,omitempty"`
	SCPs     []string     `json:"scps"`
	Children []*auditNode `json:"children"`
}

type auditControl struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Actions []string `json:"actions"`
}

// auditGuardrail is the shape the issue of the audit fixes: target,
// target_type, control, actions, status, via.
type auditGuardrail struct {
	Target     string   `json:"target"`
	TargetType string   `json:"target_type"`
	Control    string   `json:"control"`
	Actions    []string `json:"actions"`
	Status     string   `json:"status"`
	Via        []string `json:"via"`
	// why says what could not be known, for undetermined; the JSON
	// element keeps the documented six fields.
	why string
}

type auditTrust struct {
	From       string   `json:"from"`
	FromKind   string   `json:"from_kind"`
	Principal  string   `json:"principal"`
	To         string   `json:"to"`
	Role       string   `json:"role"`
	RoleName   string   `json:"role_name,omitempty"`
	Conditions []string `json:"conditions"`
	Guarded    bool     `json:"guarded"`
	Implicit   bool     `json:"implicit"`
	Note       string   `json:"note,omitempty"`
}

type auditReach struct {
	From     string           `json:"from"`
	Accounts []auditReachStep `json:"accounts"`
}

type auditReachStep struct {
	Account string `json:"account"`
	Via     string `json:"via"`
}

type auditDelegated struct {
	Account string `json:"account"`
	Service string `json:"service"`
	Address string `json:"address"`
}

type auditStackSet struct {
	Address  string   `json:"address"`
	Name     string   `json:"name,omitempty"`
	Accounts []string `json:"accounts"`
	OUs      []string `json:"organizational_units"`
	Unknown  bool     `json:"unknown_targets"`
}

type auditRequest struct {
	Account string `json:"account"`
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	OU      string `json:"organizational_unit,omitempty"`
	Address string `json:"address"`
}

type auditFinding struct {
	Account  string `json:"account"`
	Rule     string `json:"rule"`
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Note     bool   `json:"note"`
	Address  string `json:"address"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
}

func newAuditDoc(in AuditInput) *auditDoc {
	a := in.Audit
	d := &auditDoc{SchemaVersion: "1", Tool: auditTool{Name: in.Tool.Name, Version: in.Tool.Version}, Inputs: len(in.Inputs),
		Accounts: []auditAccount{}, Controls: []auditControl{}, Guardrails: []auditGuardrail{}, Trust: []auditTrust{},
		Reach: []auditReach{}, Delegated: []auditDelegated{}, StackSets: []auditStackSet{}, Requests: []auditRequest{},
		Findings: []auditFinding{},
		Notes:    nonNil(a.Notes)}
	for _, x := range a.Accounts {
		d.Accounts = append(d.Accounts, auditAccount{Key: x.Key, ID: x.ID, Name: x.Name, Label: x.Label(),
			Roles: nonNil(x.Roles), Evidence: nonNil(x.Evidence), Address: x.Address, Requested: x.Requested, Path: x.Path,
			Stacks: nonNil(x.Stacks), Resources: x.Resources})
	}
	var conv func(n *audit.Node) *auditNode
	conv = func(n *audit.Node) *auditNode {
		out := &auditNode{Kind: n.Kind, Name: n.Name, Address: n.Address, ID: n.ID, Account: n.Account,
			SCPs: nonNil(n.SCPs), Children: []*auditNode{}}
		for _, c := range n.Children {
			out.Children = append(out.Children, conv(c))
		}
		return out
	}
	if a.Tree != nil {
		d.Organization = conv(a.Tree)
	}
	for _, c := range rules.Controls() {
		d.Controls = append(d.Controls, auditControl{ID: c.ID, Title: c.Title, Actions: c.Actions})
	}
	for _, g := range a.Guardrails {
		d.Guardrails = append(d.Guardrails, auditGuardrail{Target: g.Target, TargetType: g.TargetType, Control: g.Control,
			Actions: g.Actions, Status: string(g.Status), Via: nonNil(g.Via), why: g.Why})
	}
	for _, t := range a.Trust {
		d.Trust = append(d.Trust, auditTrust{From: t.From, FromKind: t.FromKind, Principal: t.Principal, To: t.To,
			Role: t.Role, RoleName: t.RoleName, Conditions: nonNil(t.Conditions), Guarded: t.Guarded, Implicit: t.Implicit, Note: t.Note})
	}
	for _, r := range a.Reach {
		x := auditReach{From: r.From, Accounts: []auditReachStep{}}
		for _, k := range r.Accounts {
			x.Accounts = append(x.Accounts, auditReachStep{Account: k, Via: r.Via[k]})
		}
		d.Reach = append(d.Reach, x)
	}
	for _, x := range a.Delegated {
		d.Delegated = append(d.Delegated, auditDelegated(x))
	}
	for _, s := range a.StackSets {
		d.StackSets = append(d.StackSets, auditStackSet{Address: s.Address, Name: s.Name, Accounts: nonNil(s.Accounts),
			OUs: nonNil(s.OUs), Unknown: s.Unknown})
	}
	for _, x := range a.Requests {
		d.Requests = append(d.Requests, auditRequest(x))
	}
	for _, af := range a.Findings {
		for _, f := range af.Findings {
			rg := findingRange(f)
			d.Findings = append(d.Findings, auditFinding{Account: af.Account, Rule: f.Rule.ID, Slug: f.Rule.Slug,
				Title: f.Rule.Title, Severity: f.EffectiveSeverity().String(), Note: f.Note, Address: f.Resource.Addr.String(),
				File: rg.Filename, Line: int(rg.Start.Line), Message: f.Message})
		}
	}
	return d
}

// WriteAuditJSON writes the audit as one JSON document.
func WriteAuditJSON(w io.Writer, in AuditInput) error {
	return writeJSON(w, newAuditDoc(in), false)
}

// accountLabel names an account key for display.
func (d *auditDoc) accountLabel(key string) string {
	switch key {
	case "":
		return "(account not known)"
	case audit.Any:
		return "any AWS principal (*)"
	}
	for _, a := range d.Accounts {
		if a.Key == key {
			return a.Label
		}
	}
	return key
}

// matrix arranges the guardrails as rows (targets, in tree order) and
// columns (controls).
type matrixRow struct {
	Target     string
	TargetType string
	Depth      int
	Cells      []auditGuardrail
}

func (d *auditDoc) matrix() []matrixRow {
	var rows []matrixRow
	depth := map[string]int{}
	var walk func(n *auditNode, dep int)
	walk = func(n *auditNode, dep int) {
		depth[n.Kind+"|"+n.Name] = dep
		for _, c := range n.Children {
			walk(c, dep+1)
		}
	}
	if d.Organization != nil {
		walk(d.Organization, 0)
	}
	for _, g := range d.Guardrails {
		if len(rows) == 0 || rows[len(rows)-1].Target != g.Target || rows[len(rows)-1].TargetType != g.TargetType {
			rows = append(rows, matrixRow{Target: g.Target, TargetType: g.TargetType, Depth: depth[g.TargetType+"|"+g.Target]})
		}
		r := &rows[len(rows)-1]
		r.Cells = append(r.Cells, g)
	}
	return rows
}

// findingsByAccount groups the findings in account order, most severe
// first within an account.
func (d *auditDoc) findingsByAccount() [][]auditFinding {
	var out [][]auditFinding
	for _, f := range d.Findings {
		if len(out) == 0 || out[len(out)-1][0].Account != f.Account {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], f)
	}
	for _, g := range out {
		slices.SortStableFunc(g, func(a, b auditFinding) int {
			sa, _ := rules.ParseSeverity(a.Severity)
			sb, _ := rules.ParseSeverity(b.Severity)
			return int(sb) - int(sa)
		})
	}
	return out
}

// why says how the code shows an account's roles and origin.
func (a auditAccount) why() string {
	parts := slices.Clone(a.Evidence)
	if a.Requested != "" {
		parts = append(parts, "requested through "+a.Requested)
	}
	return strings.Join(parts, "; ")
}

// reachShown is how many reached accounts the Markdown and HTML reports
// list per source; the JSON holds them all. In a large organization the
// chains of one source run to hundreds of accounts, and the count says
// what the list leaves out.
const reachShown = 25

// shownReach is a reach entry cut for display.
type shownReach struct {
	From     string
	Accounts []auditReachStep
	More     int
}

func (d *auditDoc) shownReach() []shownReach {
	var out []shownReach
	for _, r := range d.Reach {
		x := shownReach{From: r.From, Accounts: r.Accounts}
		if len(x.Accounts) > reachShown {
			x.More = len(x.Accounts) - reachShown
			x.Accounts = x.Accounts[:reachShown]
		}
		out = append(out, x)
	}
	return out
}

// summary is the report's first paragraph: what needs attention.
func (d *auditDoc) summary() string {
	status := map[string]int{}
	for _, g := range d.Guardrails {
		status[g.Status]++
	}
	open := 0
	for _, t := range d.Trust {
		if trustMark(t) == "⚠️ unconstrained" {
			open++
		}
	}
	severe := 0
	for _, f := range d.Findings {
		if f.Severity == "high" || f.Severity == "critical" {
			severe++
		}
	}
	return fmt.Sprintf("%d inputs, %d accounts. Guardrails: %d missing, %d partial, %d undetermined of %d. "+
		"Trust: %d relationships, %d without a condition that narrows who may assume. Findings: %d, %d high or critical.",
		d.Inputs, len(d.Accounts), status["missing"], status["partial"], status["undetermined"], len(d.Guardrails),
		len(d.Trust), open, len(d.Findings), severe)
}
