package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
	"github.com/strider-sec/strider/threatmodel"
	"golang.org/x/tools/txtar"
)

var (
	otmSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
		return compileSchema(filepath.Join("testdata", "otm-0.2.0.schema.json"))
	})
	tdSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
		return compileSchema(filepath.Join("testdata", "threat-dragon-v2.schema.json"))
	})
)

// multiAccount is the model of the multi-account fixture: an
// organization with OUs, providers assuming into member accounts, a VPC
// with a public subnet, an internet-facing instance with SSH open, a role
// trusted by another account, and a CloudFormation stack.
func multiAccount(t *testing.T) *threatmodel.Model {
	t.Helper()
	base, err := filepath.Abs(filepath.Join("..", "testdata", "model", "multi-account"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{base}, BaseDir: base, Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 || res.Diagnostics.HasErrors() {
		t.Fatalf("fixture does not scan cleanly: %v %v", res.Errors, res.Diagnostics)
	}
	return threatmodel.Build(res.Graph, res.Findings, threatmodel.Options{Title: "multi-account", Sources: res.Inputs})
}

type modelWriter func(io.Writer, *threatmodel.Model) error

var modelWriters = map[string]modelWriter{
	"otm.json":          WriteOTM,
	"threatdragon.json": WriteThreatDragon,
	"mmd":               WriteMermaid,
	"dot":               WriteModelDOT,
	"json":              WriteModelJSON,
	"md": func(w io.Writer, m *threatmodel.Model) error {
		return WriteModelMarkdown(w, m, ModelMarkdownOptions{})
	},
}

func render(t *testing.T, w modelWriter, m *threatmodel.Model) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := w(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Every format of the fixture's model, against goldens; the JSON ones
// against their schemas; twice, to show the output does not vary.
func TestModelFormats(t *testing.T) {
	m := multiAccount(t)
	again := multiAccount(t)
	for ext, w := range modelWriters {
		t.Run(ext, func(t *testing.T) {
			got := render(t, w, m)
			if !bytes.Equal(got, render(t, w, again)) {
				t.Error("two runs differ")
			}
			golden(t, "model."+ext, got)
			switch ext {
			case "otm.json":
				validate(t, otmSchema, got)
			case "threatdragon.json":
				validate(t, tdSchema, got)
			case "mmd":
				for _, p := range mermaidProblems(string(got)) {
					t.Error(p)
				}
			}
		})
	}
}

// The Markdown document embeds a diagram that passes the syntax check.
func TestModelMarkdownDiagram(t *testing.T) {
	md := string(render(t, modelWriters["md"], multiAccount(t)))
	_, rest, ok := strings.Cut(md, "```mermaid\n")
	diagram, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 {
		t.Fatal("no mermaid block")
	}
	for _, p := range mermaidProblems(diagram) {
		t.Error(p)
	}
	for _, want := range []string{"## System summary", "## Trust zones", "## Elements", "## Data flows", "## Threats", "## Mitigations",
		"SDR-EC2-012", "prod/main.tf:"} {
		if !strings.Contains(md, want) {
			t.Errorf("document lacks %q", want)
		}
	}
}

// What the issue asks of the fixture's model, checked on the OTM export:
// every account a zone, the SSH instance in its account's public subnet,
// flows from the internet to it and from the other account to the role.
func TestOTMDoneWhen(t *testing.T) {
	var doc otmDoc
	if err := json.Unmarshal(render(t, WriteOTM, multiAccount(t)), &doc); err != nil {
		t.Fatal(err)
	}
	zones := map[string]otmZone{}
	for _, z := range doc.TrustZones {
		zones[z.ID] = z
	}
	for _, id := range []string{"zone-account-111111111111", "zone-account-222222222222", "zone-account-333333333333",
		"zone-account-444444444444", "zone-account-org-aws-organizations-account-prod", "zone-account-org-aws-organizations-account-log-archive"} {
		if _, ok := zones[id]; !ok {
			t.Errorf("no zone %s", id)
		}
	}
	var bastion *otmComponent
	for i, c := range doc.Components {
		if c.ID == "prod-aws-instance-bastion" {
			bastion = &doc.Components[i]
		}
	}
	if bastion == nil {
		t.Fatal("no bastion component")
	}
	chain := []string{}
	for id := bastion.Parent.TrustZone; id != ""; {
		chain = append(chain, id)
		z := zones[id]
		id = ""
		if z.Parent != nil {
			id = z.Parent.TrustZone
		}
	}
	if want := []string{"zone-subnet-prod-aws-subnet-public", "zone-vpc-prod-aws-vpc-main", "zone-account-222222222222"}; !slices.Equal(chain, want) {
		t.Errorf("bastion sits in %v, want %v", chain, want)
	}
	flows := map[string]string{}
	for _, f := range doc.Dataflows {
		flows[f.Source+" -> "+f.Destination] = f.Name
	}
	if l := flows["ext-internet-internet -> prod-aws-instance-bastion"]; l != "tcp/22" {
		t.Errorf("internet -> bastion: %q", l)
	}
	if l := flows["ext-account-arn-aws-iam-333333333333-root -> prod-aws-iam-role-audit"]; l != "sts:AssumeRole" {
		t.Errorf("other account -> audit role: %q", l)
	}
	if len(bastion.Representations) == 0 || bastion.Representations[0].File != "prod/main.tf" || bastion.Representations[0].Line == 0 {
		t.Errorf("bastion has no IaC place: %+v", bastion.Representations)
	}
}

// In the Threat Dragon layout every box contains its members and child
// boxes, and no two shapes that are not nested overlap.
func TestThreatDragonLayout(t *testing.T) {
	m := multiAccount(t)
	l := layoutModel(m)
	inside := func(a, b box) bool { return a.X >= b.X && a.Y >= b.Y && a.X+a.W <= b.X+b.W && a.Y+a.H <= b.Y+b.H }
	overlap := func(a, b box) bool { return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H }
	for _, e := range m.Elements {
		eb, ok := l.elements[e.ID]
		if !ok {
			t.Errorf("element %s not placed", e.ID)
			continue
		}
		for z := m.Zone(e.Zone); z != nil; z = m.Zone(z.Parent) {
			if zb, ok := l.zones[z.ID]; ok && !inside(eb, zb) {
				t.Errorf("element %s %v outside zone %s %v", e.ID, eb, z.ID, zb)
			}
		}
		for _, o := range m.Elements {
			if o.ID < e.ID && overlap(eb, l.elements[o.ID]) {
				t.Errorf("elements %s and %s overlap", e.ID, o.ID)
			}
		}
		for id, zb := range l.zones {
			if overlap(eb, zb) && !within(m, e.Zone, id) {
				t.Errorf("element %s overlaps zone %s it is not in", e.ID, id)
			}
		}
	}
	for a, ab := range l.zones {
		if p := m.Zone(a).Parent; p != "" && !inside(ab, l.zones[p]) {
			t.Errorf("zone %s outside its parent %s", a, p)
		}
		for b, bb := range l.zones {
			if a < b && overlap(ab, bb) && !within(m, a, b) && !within(m, b, a) {
				t.Errorf("zones %s and %s overlap", a, b)
			}
		}
	}
	if len(l.zones) == 0 || len(l.elements) != len(m.Elements) {
		t.Errorf("placed %d zones and %d of %d elements", len(l.zones), len(l.elements), len(m.Elements))
	}
}

// Names that would break Mermaid's syntax stay inside their labels.
func TestMermaidHostileNames(t *testing.T) {
	m := &threatmodel.Model{
		Zones: []*threatmodel.Zone{{ID: "end", Name: `zone "end" [x] <b>`, Container: true}},
		Elements: []*threatmodel.Element{
			{ID: "end", Name: `a"b|c]d#quot;`, Kind: mappings.Process, Zone: "end"},
			{ID: "subgraph", Name: "x\ny", Kind: mappings.DataStore, Zone: "end"},
		},
		Flows: []*threatmodel.Flow{{ID: "f", From: "end", To: "subgraph", Label: `a|"b"`, Crosses: []string{"end"}}},
	}
	out := string(render(t, WriteMermaid, m))
	for _, p := range mermaidProblems(out) {
		t.Error(p)
	}
	if !strings.Contains(out, "#35;quot;") {
		t.Errorf("entity-like text not escaped:\n%s", out)
	}
}

// The checker itself flags what breaks a diagram.
func TestMermaidProblemsCatches(t *testing.T) {
	for _, bad := range []string{
		"flowchart LR\n  subgraph z_a[\"a\"]\n",
		"flowchart LR\n  n_a[\"a\"]\n  n_a -->|\"x\"| n_b\n",
		"flowchart LR\n  n_a[\"a \" b\"]\n",
		"flowchart LR\n  end[\"a\"]\n",
		"flowchart LR\n  n_a[\"a\"]\n  n_b[\"b\"]\n  n_a -->|\"x\"| n_b\n  linkStyle 1 stroke:red\n",
		"flowchart LR\n  n_a[\"a\"]\n  class n_a nope\n",
	} {
		if len(mermaidProblems(bad)) == 0 {
			t.Errorf("no problem found in:\n%s", bad)
		}
	}
}

var (
	mmdID       = `[A-Za-z][A-Za-z0-9_]*`
	mmdLabel    = `"[^"]*"`
	mmdSubgraph = regexp.MustCompile(`^subgraph (` + mmdID + `)\[(` + mmdLabel + `)\]$`)
	mmdNode     = regexp.MustCompile(`^(` + mmdID + `)(\(\(` + mmdLabel + `\)\)|\[\(` + mmdLabel + `\)\]|\[` + mmdLabel + `\])$`)
	mmdEdge     = regexp.MustCompile(`^(` + mmdID + `) -->\|` + mmdLabel + `\| (` + mmdID + `)$`)
	mmdClassDef = regexp.MustCompile(`^classDef (` + mmdID + `) [a-z-]+:[^ ;]+(,[a-z-]+:[^ ;]+)*$`)
	mmdClass    = regexp.MustCompile(`^class (` + mmdID + `(?:,` + mmdID + `)*) (` + mmdID + `)$`)
	mmdLink     = regexp.MustCompile(`^linkStyle ([0-9]+(?:,[0-9]+)*) [a-z-]+:[^ ;]+(,[a-z-]+:[^ ;]+)*$`)
	mmdKeywords = []string{"end", "subgraph", "graph", "flowchart", "class", "classDef", "linkStyle", "style", "click", "direction"}
)

// mermaidProblems checks the flowchart subset the renderer writes, as
// Mermaid's grammar accepts it: a header, balanced subgraphs, nodes of
// the three shapes with quoted labels, labelled edges between declared
// nodes, classes that are defined, link styles that name existing edges,
// identifiers that are not keywords. There is no Mermaid to run here;
// this is the careful fallback.
func mermaidProblems(src string) []string {
	var probs []string
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "flowchart LR" {
		return []string{"first line is not flowchart LR"}
	}
	declared := map[string]string{}
	classes := map[string]bool{}
	depth, edges := 0, 0
	var uses []string
	var linkIdx []int
	var classUses [][2]string
	id := func(kind, s string, n int) {
		if slices.Contains(mmdKeywords, s) {
			probs = append(probs, fmt.Sprintf("line %d: %s ID %q is a keyword", n, kind, s))
		}
		if prev, dup := declared[s]; dup {
			probs = append(probs, fmt.Sprintf("line %d: %s ID %q already declared as a %s", n, kind, s, prev))
		}
		declared[s] = kind
	}
	for i, raw := range lines[1:] {
		n := i + 2
		line := strings.TrimSpace(raw)
		switch {
		case line == "end":
			depth--
			if depth < 0 {
				probs = append(probs, fmt.Sprintf("line %d: end without subgraph", n))
			}
		case strings.HasPrefix(line, "subgraph "):
			mm := mmdSubgraph.FindStringSubmatch(line)
			if mm == nil {
				probs = append(probs, fmt.Sprintf("line %d: bad subgraph %q", n, line))
				continue
			}
			id("subgraph", mm[1], n)
			depth++
		case strings.HasPrefix(line, "classDef "):
			mm := mmdClassDef.FindStringSubmatch(line)
			if mm == nil {
				probs = append(probs, fmt.Sprintf("line %d: bad classDef %q", n, line))
				continue
			}
			classes[mm[1]] = true
		case strings.HasPrefix(line, "class "):
			mm := mmdClass.FindStringSubmatch(line)
			if mm == nil {
				probs = append(probs, fmt.Sprintf("line %d: bad class %q", n, line))
				continue
			}
			for _, x := range strings.Split(mm[1], ",") {
				classUses = append(classUses, [2]string{x, mm[2]})
			}
		case strings.HasPrefix(line, "linkStyle "):
			mm := mmdLink.FindStringSubmatch(line)
			if mm == nil {
				probs = append(probs, fmt.Sprintf("line %d: bad linkStyle %q", n, line))
				continue
			}
			for _, x := range strings.Split(mm[1], ",") {
				k, _ := strconv.Atoi(x)
				linkIdx = append(linkIdx, k)
			}
		case strings.Contains(line, "-->"):
			mm := mmdEdge.FindStringSubmatch(line)
			if mm == nil {
				probs = append(probs, fmt.Sprintf("line %d: bad edge %q", n, line))
				continue
			}
			uses = append(uses, mm[1], mm[2])
			edges++
		default:
			mm := mmdNode.FindStringSubmatch(line)
			if mm == nil {
				probs = append(probs, fmt.Sprintf("line %d: bad node %q", n, line))
				continue
			}
			id("node", mm[1], n)
		}
	}
	if depth != 0 {
		probs = append(probs, fmt.Sprintf("%d subgraph(s) not closed", depth))
	}
	for _, u := range uses {
		if declared[u] != "node" {
			probs = append(probs, fmt.Sprintf("edge names undeclared node %q", u))
		}
	}
	for _, k := range linkIdx {
		if k >= edges {
			probs = append(probs, fmt.Sprintf("linkStyle %d but only %d edges", k, edges))
		}
	}
	for _, cu := range classUses {
		if !classes[cu[1]] {
			probs = append(probs, fmt.Sprintf("class %q is not defined", cu[1]))
		}
		if declared[cu[0]] != "node" {
			probs = append(probs, fmt.Sprintf("class given to undeclared node %q", cu[0]))
		}
	}
	return probs
}

// TestModelSchemaCopies keeps testdata's schemas identical to the shared
// ones their SOURCE.md describes.
func TestModelSchemaCopies(t *testing.T) {
	for _, p := range [][2]string{
		{filepath.Join("otm", "otm-0.2.0.schema.json"), "otm-0.2.0.schema.json"},
		{filepath.Join("threat-dragon", "threat-dragon-v2.schema.json"), "threat-dragon-v2.schema.json"},
	} {
		shared := filepath.Join("..", "..", "shared", "data", p[0])
		want, err := os.ReadFile(shared)
		if err != nil {
			t.Skipf("shared data not present: %v", err)
		}
		got, err := os.ReadFile(filepath.Join("testdata", p[1]))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("testdata/%s differs from %s: copy it again and update testdata/SOURCE.md", p[1], shared)
		}
	}
}

// A diagram GitHub would refuse is replaced by a note saying how to draw
// it.
func TestModelMarkdownLargeDiagram(t *testing.T) {
	m := &threatmodel.Model{Title: "big", Zones: []*threatmodel.Zone{{ID: "z", Name: "zone", Container: true}}}
	for i := range 2000 {
		m.Elements = append(m.Elements, &threatmodel.Element{ID: fmt.Sprintf("element-%04d", i), Name: strings.Repeat("x", 30),
			Kind: mappings.Process, KindName: "process", Zone: "z"})
	}
	md := string(render(t, modelWriters["md"], m))
	if strings.Contains(md, "```mermaid") || !strings.Contains(md, "larger than GitHub's Mermaid renderer accepts") {
		t.Errorf("large diagram embedded:\n%s", md[:min(len(md), 2000)])
	}
	small := string(render(t, modelWriters["md"], &threatmodel.Model{Title: "small"}))
	if !strings.Contains(small, "```mermaid") {
		t.Error("small diagram left out")
	}
}

// Every fixture of the rule library, Terraform and CloudFormation, good
// and bad, builds a model whose exports validate and whose diagram
// passes the syntax check: many resource types and odd shapes, no panic.
func TestModelOverRuleFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "rules", "testdata", "*", "*.txtar"))
	if len(files) == 0 {
		t.Fatal("no rule fixtures")
	}
	for _, file := range files {
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, f := range ar.Files {
				if f.Name == "want" {
					continue
				}
				p := filepath.Join(dir, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir, Rules: rules.All()})
			if err != nil {
				t.Fatal(err)
			}
			m := threatmodel.Build(res.Graph, res.Findings, threatmodel.Options{Title: name, Sources: res.Inputs})
			validate(t, otmSchema, render(t, WriteOTM, m))
			validate(t, tdSchema, render(t, WriteThreatDragon, m))
			for _, p := range mermaidProblems(string(render(t, WriteMermaid, m))) {
				t.Error(p)
			}
			render(t, modelWriters["md"], m)
			render(t, WriteModelDOT, m)
		})
	}
}
