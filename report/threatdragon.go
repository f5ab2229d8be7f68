package report

import (
	"crypto/sha1"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/threatmodel"
)

// WriteThreatDragon writes the model as an OWASP Threat Dragon v2 model:
// one STRIDE diagram in which every container zone is a trust boundary
// box around its members, laid out on a nested grid so that no shapes
// overlap, elements as actors, processes and stores carrying their
// threats, and flows as edges that record the boundaries they cross.
// Cell and threat IDs are UUIDs derived from the model's IDs, so the
// file is the same from run to run.
func WriteThreatDragon(w io.Writer, m *threatmodel.Model) error {
	l := layoutModel(m)
	threats := map[string][]*threatmodel.Threat{}
	for _, t := range m.Threats {
		if t.Target != "" {
			threats[t.Target] = append(threats[t.Target], t)
		}
	}
	number := map[string]int{}
	for i, t := range m.Threats {
		number[t.ID] = i + 1
	}
	tdThreats := func(id string) []tdThreat {
		out := []tdThreat{}
		for _, t := range threats[id] {
			mit := ""
			if x := m.Mitigation(t.Mitigation); x != nil {
				mit = x.Description
			}
			desc := t.Description
			if t.File != "" {
				desc += fmt.Sprintf(" (%s:%d)", t.File, t.Line)
			}
			typ := ""
			if len(t.Categories) > 0 {
				typ = tdType(t.Categories[0])
			}
			out = append(out, tdThreat{ID: uuidOf("threat:" + t.ID), Title: t.Title, Type: typ,
				Status: "Open", Severity: tdSeverity(t.Severity), Description: desc, Mitigation: mit,
				ModelType: "STRIDE", Number: number[t.ID], Score: fmt.Sprint(t.Risk)})
		}
		return out
	}

	var cells []tdCell
	z := 0
	// Boxes first, outermost lowest, so members draw on top.
	zones := slices.Clone(m.Zones)
	slices.SortStableFunc(zones, func(a, b *threatmodel.Zone) int { return depth(m, a) - depth(m, b) })
	for _, zn := range zones {
		b, ok := l.zones[zn.ID]
		if !ok {
			continue
		}
		z++
		var contained, crossing []string
		for _, e := range m.Elements {
			if within(m, e.Zone, zn.ID) {
				contained = append(contained, uuidOf("cell:"+e.ID))
			}
		}
		for _, f := range m.Flows {
			if slices.Contains(f.Crosses, zn.ID) {
				crossing = append(crossing, uuidOf("cell:"+f.ID))
			}
		}
		cells = append(cells, tdCell{
			ID: uuidOf("cell:" + zn.ID), Shape: "trust-boundary-box", ZIndex: -100 + depth(m, zn),
			Position: &tdPoint{b.X, b.Y}, Size: &tdSize{b.W, b.H}, Visible: true,
			Attrs: map[string]any{
				"headerText": map[string]any{"text": zn.Name},
				"body":       tdStroke("#333333", 2, "5 5"),
			},
			Data: tdData{Type: "tm.BoundaryBox", Name: zn.Name, Description: zn.Description, IsTrustBoundary: true,
				Threats: []tdThreat{}, ContainedElements: orEmpty(contained), CrossingFlows: orEmpty(crossing)},
		})
	}
	for _, e := range m.Elements {
		b := l.elements[e.ID]
		ts := tdThreats(e.ID)
		c := tdCell{ID: uuidOf("cell:" + e.ID), ZIndex: 10, Position: &tdPoint{b.X, b.Y}, Size: &tdSize{b.W, b.H}, Visible: true,
			Data: tdData{Name: e.Name, Description: elementDescription(m, e), Threats: ts, HasOpenThreats: len(ts) > 0}}
		stroke := "#333333"
		if len(ts) > 0 {
			stroke = "red"
		}
		switch e.Kind {
		case mappings.ExternalEntity:
			c.Shape, c.Data.Type = "actor", "tm.Actor"
			c.Attrs = map[string]any{"text": map[string]any{"text": e.Name}, "body": tdStroke(stroke, 1.5, "")}
			c.Data.ProvidesAuthentication = ptr(false)
		case mappings.Process:
			c.Shape, c.Data.Type = "process", "tm.Process"
			c.Attrs = map[string]any{"text": map[string]any{"text": e.Name}, "body": tdStroke(stroke, 1.5, "")}
			c.Data.PrivilegeLevel = ptr("")
			c.Data.IsWebApplication = ptr(false)
			c.Data.HandlesCardPayment = ptr(false)
			c.Data.HandlesGoodsOrServices = ptr(false)
		default:
			c.Shape, c.Data.Type = "store", "tm.Store"
			c.Attrs = map[string]any{"text": map[string]any{"text": e.Name},
				"topLine": tdStroke(stroke, 1.5, ""), "bottomLine": tdStroke(stroke, 1.5, "")}
			c.Data.IsALog = ptr(e.HoldsLogs)
			c.Data.IsEncrypted = ptr(false)
			c.Data.IsSigned = ptr(false)
			c.Data.StoresCredentials = ptr(e.Type == "aws_secretsmanager_secret" || e.Type == "AWS::SecretsManager::Secret")
			c.Data.StoresInventory = ptr(false)
		}
		cells = append(cells, c)
	}
	for _, f := range m.Flows {
		ts := tdThreats(f.ID)
		var crosses []string
		for _, id := range f.Crosses {
			if _, boxed := l.zones[id]; boxed {
				crosses = append(crosses, uuidOf("cell:"+id))
			}
		}
		stroke, width := "#333333", 1.0
		if f.Crossing() {
			stroke, width = "red", 2
		}
		cells = append(cells, tdCell{
			ID: uuidOf("cell:" + f.ID), Shape: "flow", ZIndex: 20, Connector: "smooth",
			Source: &tdEnd{Cell: uuidOf("cell:" + f.From)}, Target: &tdEnd{Cell: uuidOf("cell:" + f.To)},
			Vertices: []tdPoint{}, Visible: true,
			Attrs: map[string]any{"line": map[string]any{"stroke": stroke, "strokeWidth": width,
				"targetMarker": map[string]any{"name": "classic"}, "sourceMarker": map[string]any{"name": ""}, "strokeDasharray": "none"}},
			Labels: []tdLabel{{Position: 0.5, Attrs: map[string]any{"label": map[string]any{"text": f.Label}}}},
			Data: tdData{Type: "tm.Flow", Name: f.Label, Description: flowDescription(m, f), Threats: ts, HasOpenThreats: len(ts) > 0,
				Protocol: ptr(f.Kind), IsEncrypted: ptr(false), IsPublicNetwork: ptr(f.FromInternet), IsBidirectional: ptr(false),
				TrustBoundaryIDs: orEmpty(crosses)},
		})
	}
	doc := tdModel{
		Version: "2.2.0",
		Summary: tdSummary{Title: m.Title, Owner: "", Description: "Threat model inferred by Strider from " + strings.Join(m.Sources, ", ") + ".", ID: 0},
		Detail: tdDetail{Contributors: []tdContributor{}, Reviewer: "", DiagramTop: 1, ThreatTop: len(m.Threats),
			Diagrams: []tdDiagram{{ID: 0, Title: m.Title, DiagramType: "STRIDE", Version: "2.2.0",
				Thumbnail: "./public/content/images/thumbnail.stride.jpg", Placeholder: "", Description: "Trust zones, elements and data flows inferred from the code.",
				Cells: cells}}},
	}
	return writeJSON(w, doc, true)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// depth counts a zone's ancestors in the model.
func depth(m *threatmodel.Model, z *threatmodel.Zone) int {
	d := 0
	for p := m.Zone(z.Parent); p != nil; p = m.Zone(p.Parent) {
		d++
	}
	return d
}

// within reports whether zone id is zone anc or lies inside it.
func within(m *threatmodel.Model, id, anc string) bool {
	for z := m.Zone(id); z != nil; z = m.Zone(z.Parent) {
		if z.ID == anc {
			return true
		}
	}
	return false
}

func elementDescription(m *threatmodel.Model, e *threatmodel.Element) string {
	var b strings.Builder
	if e.Address != "" {
		fmt.Fprintf(&b, "%s (%s) at %s:%d.", e.Address, e.Type, e.File, e.Line)
	} else {
		fmt.Fprintf(&b, "External %s.", e.Type)
	}
	if len(e.Groups) > 0 {
		var names []string
		for _, id := range e.Groups {
			if z := m.Zone(id); z != nil {
				names = append(names, z.Name)
			}
		}
		fmt.Fprintf(&b, " Guarded by %s.", strings.Join(names, ", "))
	}
	if len(e.Folded) > 0 {
		fmt.Fprintf(&b, " Includes %s.", strings.Join(e.Folded, ", "))
	}
	return b.String()
}

func flowDescription(m *threatmodel.Model, f *threatmodel.Flow) string {
	s := fmt.Sprintf("%s flow: %s.", f.Kind, f.Label)
	if f.File != "" {
		s += fmt.Sprintf(" Made by %s:%d.", f.File, f.Line)
	}
	if f.Crossing() {
		var names []string
		for _, id := range f.Crosses {
			names = append(names, m.Zone(id).Name)
		}
		s += " Crosses " + strings.Join(names, "; ") + "."
	}
	return s
}

// tdType is the threat type Threat Dragon shows for a STRIDE category.
func tdType(s mappings.STRIDE) string {
	switch s {
	case mappings.InformationDisclosure:
		return "Information disclosure"
	case mappings.DenialOfService:
		return "Denial of service"
	case mappings.ElevationOfPrivilege:
		return "Elevation of privilege"
	}
	return s.String()
}

func tdSeverity(s rules.Severity) string {
	switch s {
	case rules.Critical, rules.High:
		return "High"
	case rules.Medium:
		return "Medium"
	}
	return "Low"
}

// tdStroke is a shape's outline. A solid line is "none" rather than
// Threat Dragon's own null: its schema types the field as a string.
func tdStroke(color string, width float64, dash string) map[string]any {
	if dash == "" {
		dash = "none"
	}
	return map[string]any{"stroke": color, "strokeWidth": width, "strokeDasharray": dash}
}

// uuidOf derives a name-based UUID (version 5 layout over SHA-1) from s.
func uuidOf(s string) string {
	h := sha1.Sum([]byte("strider:" + s))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

type tdModel struct {
	Version string    `json:"version"`
	Summary tdSummary `json:"summary"`
	Detail  tdDetail  `json:"detail"`
}

type tdSummary struct {
	Title       string `json:"title"`
	Owner       string `json:"owner"`
	Description string `json:"description"`
	ID          int    `json:"id"`
}

type tdDetail struct {
	Contributors []tdContributor `json:"contributors"`
	Diagrams     []tdDiagram     `json:"diagrams"`
	DiagramTop   int             `json:"diagramTop"`
	Reviewer     string          `json:"reviewer"`
	ThreatTop    int             `json:"threatTop"`
}

type tdContributor struct {
	Name string `json:"name"`
}

type tdDiagram struct {
	ID          int      `json:"id"`
	Title       string   `json:"title"`
	DiagramType string   `json:"diagramType"`
	Placeholder string   `json:"placeholder"`
	Thumbnail   string   `json:"thumbnail"`
	Version     string   `json:"version"`
	Description string   `json:"description"`
	Cells       []tdCell `json:"cells"`
}

type tdPoint struct {
	X int `json:"x"`
	Y int `json:"y"`
}

type tdSize struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

type tdEnd struct {
	Cell string `json:"cell"`
}

type tdLabel struct {
	Position float64        `json:"position"`
	Attrs    map[string]any `json:"attrs"`
}

type tdCell struct {
	ID        string         `json:"id"`
	Shape     string         `json:"shape"`
	ZIndex    int            `json:"zIndex"`
	Position  *tdPoint       `json:"position,omitempty"`
	Size      *tdSize        `json:"size,omitempty"`
	Visible   bool           `json:"visible"`
	Attrs     map[string]any `json:"attrs"`
	Connector string         `json:"connector,omitempty"`
	Source    *tdEnd         `json:"source,omitempty"`
	Target    *tdEnd         `json:"target,omitempty"`
	Vertices  []tdPoint      `json:"vertices,omitempty"`
	Labels    []tdLabel      `json:"labels,omitempty"`
	Data      tdData         `json:"data"`
}

type tdData struct {
	Type             string     `json:"type"`
	Name             string     `json:"name"`
	Description      string     `json:"description"`
	OutOfScope       bool       `json:"outOfScope"`
	ReasonOutOfScope string     `json:"reasonOutOfScope"`
	IsTrustBoundary  bool       `json:"isTrustBoundary"`
	HasOpenThreats   bool       `json:"hasOpenThreats"`
	Threats          []tdThreat `json:"threats"`

	ProvidesAuthentication *bool   `json:"providesAuthentication,omitempty"`
	PrivilegeLevel         *string `json:"privilegeLevel,omitempty"`
	IsWebApplication       *bool   `json:"isWebApplication,omitempty"`
	HandlesCardPayment     *bool   `json:"handlesCardPayment,omitempty"`
	HandlesGoodsOrServices *bool   `json:"handlesGoodsOrServices,omitempty"`
	IsALog                 *bool   `json:"isALog,omitempty"`
	IsEncrypted            *bool   `json:"isEncrypted,omitempty"`
	IsSigned               *bool   `json:"isSigned,omitempty"`
	StoresCredentials      *bool   `json:"storesCredentials,omitempty"`
	StoresInventory        *bool   `json:"storesInventory,omitempty"`
	Protocol               *string `json:"protocol,omitempty"`
	IsPublicNetwork        *bool   `json:"isPublicNetwork,omitempty"`
	IsBidirectional        *bool   `json:"isBidirectional,omitempty"`

	ContainedElements []string `json:"containedElements,omitempty"`
	CrossingFlows     []string `json:"crossingFlows,omitempty"`
	TrustBoundaryIDs  []string `json:"trustBoundaryIds,omitempty"`
}

type tdThreat struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Type        string `json:"type"`
	Status      string `json:"status"`
	Severity    string `json:"severity"`
	Description string `json:"description"`
	Mitigation  string `json:"mitigation"`
	ModelType   string `json:"modelType"`
	Number      int    `json:"number"`
	Score       string `json:"score"`
}
