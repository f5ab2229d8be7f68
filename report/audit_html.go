package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
)

//go:embed audit.html.tmpl
var auditHTMLSource string

var auditHTML = template.Must(template.New("audit").Funcs(template.FuncMap{
	"indent": func(depth int) string { return fmt.Sprintf("%.1fem", float64(depth)*1.5) },
	"join":   strings.Join,
}).Parse(auditHTMLSource))

// trustDiagram is the trust map laid out for SVG: accounts and identity
// providers on a circle, an arrow per trusting relationship.
type trustDiagram struct {
	Width, Height int
	Nodes         []diagramNode
	Edges         []diagramEdge
}

type diagramNode struct {
	X, Y  float64
	Label string
	// Short is the label drawn: long ones are cut, the title keeps all.
	Short  string
	Roles  string
	Anchor string
	LX, LY float64
	Class  string
}

type diagramEdge struct {
	// Path is the SVG path: a line, or a curve for one of several edges
	// between the same two nodes, so that none hides another.
	Path  string
	Class string
	Title string
}

// layoutTrust places every endpoint of the trust map on a circle, in key
// order so the drawing is the same for the same input, and shortens each
// arrow so it ends at the node's rim.
func (d *auditDoc) layoutTrust() *trustDiagram {
	if len(d.Trust) == 0 {
		return nil
	}
	var keys []string
	label := map[string]string{}
	for _, t := range d.Trust {
		from := t.FromKind + ":" + t.From
		keys = append(keys, from, "account:"+t.To)
		label[from] = d.trustSource(t)
		label["account:"+t.To] = d.accountLabel(t.To)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	const w, h, r, nodeR = 1200, 680, 250.0, 18.0
	cx, cy := float64(w)/2, float64(h)/2
	pos := map[string][2]float64{}
	dg := &trustDiagram{Width: w, Height: h}
	for i, k := range keys {
		a := 2*math.Pi*float64(i)/float64(len(keys)) - math.Pi/2
		x, y := cx+r*math.Cos(a), cy+r*math.Sin(a)
		pos[k] = [2]float64{x, y}
		kind, key, _ := strings.Cut(k, ":")
		n := diagramNode{X: round(x), Y: round(y), Label: label[k], Short: shorten(label[k], 40), Class: "acct"}
		if kind != "account" {
			n.Class = "ext"
		}
		if kind == "account" {
			n.Roles = d.roles(key)
			if strings.Contains(n.Roles, "management") {
				n.Class = "mgmt"
			}
		}
		// Labels sit outside the circle, anchored away from it.
		lx, ly := cx+(r+nodeR+8)*math.Cos(a), cy+(r+nodeR+8)*math.Sin(a)
		n.LX, n.LY = round(lx), round(ly)
		switch {
		case math.Cos(a) > 0.3:
			n.Anchor = "start"
		case math.Cos(a) < -0.3:
			n.Anchor = "end"
		default:
			n.Anchor = "middle"
		}
		dg.Nodes = append(dg.Nodes, n)
	}
	// Edges between the same two nodes fan out around the straight line.
	pairCount, pairSeen := map[[2]string]int{}, map[[2]string]int{}
	pair := func(t auditTrust) [2]string { return [2]string{t.FromKind + ":" + t.From, "account:" + t.To} }
	for _, t := range d.Trust {
		pairCount[pair(t)]++
	}
	for _, t := range d.Trust {
		k := pair(t)
		p1, p2 := pos[k[0]], pos[k[1]]
		dx, dy := p2[0]-p1[0], p2[1]-p1[1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		ux, uy := dx/l, dy/l
		x1, y1 := p1[0]+ux*nodeR, p1[1]+uy*nodeR
		x2, y2 := p2[0]-ux*(nodeR+4), p2[1]-uy*(nodeR+4)
		offset := (float64(pairSeen[k]) - float64(pairCount[k]-1)/2) * 28
		pairSeen[k]++
		var e diagramEdge
		if offset == 0 {
			e.Path = fmt.Sprintf("M%g,%g L%g,%g", round(x1), round(y1), round(x2), round(y2))
		} else {
			cxq, cyq := (x1+x2)/2-uy*offset, (y1+y2)/2+ux*offset
			e.Path = fmt.Sprintf("M%g,%g Q%g,%g %g,%g", round(x1), round(y1), round(cxq), round(cyq), round(x2), round(y2))
		}
		role := t.Role
		if t.RoleName != "" {
			role = t.RoleName
		}
		switch {
		case t.Implicit:
			e.Class = "implicit"
		case t.FromKind == "saml":
			e.Class = "idp"
		case t.Guarded:
			e.Class = "guarded"
		default:
			e.Class = "open"
		}
		cond := "no condition"
		if len(t.Conditions) > 0 {
			cond = strings.Join(t.Conditions, "; ")
		}
		e.Title = fmt.Sprintf("%s → %s: %s (%s)", d.trustSource(t), d.accountLabel(t.To), role, cond)
		dg.Edges = append(dg.Edges, e)
	}
	return dg
}

func round(f float64) float64 { return math.Round(f*10) / 10 }

type auditPage struct {
	*auditDoc
	ShownReach []shownReach
	Rows       []matrixRow
	Diagram    *trustDiagram
	Groups     []findingGroup
	TreeRows   []treeRow
}

type findingGroup struct {
	Account  string
	Findings []auditFinding
}

type treeRow struct {
	Depth int
	Node  *auditNode
	Roles string
}

// WriteAuditHTML writes the audit as one self-contained HTML page: inline
// CSS and inline SVG, no script and nothing loaded from elsewhere, so it
// opens offline and can be attached to a ticket as is.
func WriteAuditHTML(w io.Writer, in AuditInput) error {
	d := newAuditDoc(in)
	p := auditPage{auditDoc: d, Rows: d.matrix(), Diagram: d.layoutTrust(), ShownReach: d.shownReach()}
	for _, g := range d.findingsByAccount() {
		p.Groups = append(p.Groups, findingGroup{Account: d.accountLabel(g[0].Account), Findings: g})
	}
	var walk func(n *auditNode, depth int)
	walk = func(n *auditNode, depth int) {
		p.TreeRows = append(p.TreeRows, treeRow{Depth: depth, Node: n, Roles: d.roles(n.Account)})
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	if d.Organization != nil {
		walk(d.Organization, 0)
	}
	return auditHTML.Execute(w, p)
}

// Label helpers the template calls.

// AccountLabel names an account key.
func (p auditPage) AccountLabel(key string) string { return p.accountLabel(key) }

// Source names where a trust comes from.
func (p auditPage) Source(t auditTrust) string { return p.trustSource(t) }

// ReachSource names a reach source.
func (p auditPage) ReachSource(key string) string { return p.sourceLabel(key) }

// RolesOf lists an account's roles for the template.
func (p auditPage) RolesOf(key string) []string {
	for _, a := range p.Accounts {
		if a.Key == key {
			return a.Roles
		}
	}
	return nil
}

// Mark says how a trust is constrained.
func (p auditPage) Mark(t auditTrust) string { return trustMark(t) }

// Why says how the code shows an account's roles and origin.
func (p auditPage) Why(a auditAccount) string { return a.why() }

// UndeterminedWhy says why a guardrail is undetermined.
func (p auditPage) UndeterminedWhy(g auditGuardrail) string { return g.why }

// Summary is the first paragraph.
func (p auditPage) Summary() string { return p.summary() }

// shorten cuts s to n runes with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
