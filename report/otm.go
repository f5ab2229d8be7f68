package report

import (
	"io"
	"strings"

	"github.com/strider-sec/strider/threatmodel"
)

// OTMVersion is the Open Threat Model version WriteOTM writes.
const OTMVersion = "0.2.0"

// otmInternetType is the trust zone type IriusRisk gives the internet.
const otmInternetType = "f0ba7722-39b6-4c81-8290-a30a248bb8d9"

// WriteOTM writes the model as an Open Threat Model document: trust zones
// nested organization → account → VPC → subnet (and the internet),
// components with their parent zone and, in a code representation, the
// file and line of the IaC that declares them; data flows; threats with
// STRIDE categories and ATT&CK technique IDs in their tags; mitigations.
// A diagram representation carries the same layout as the Threat Dragon
// export.
func WriteOTM(w io.Writer, m *threatmodel.Model) error {
	l := layoutModel(m)
	doc := otmDoc{
		OTMVersion: OTMVersion,
		Project: otmProject{Name: m.Title, ID: projectID(m.Title),
			Description: "Threat model inferred by Strider from " + strings.Join(m.Sources, ", ") + ".",
			Tags:        []string{"strider", "iac"}},
		Representations: []otmRepresentation{
			{Name: "Infrastructure as code", ID: "iac", Type: "code", Description: "The Terraform and CloudFormation the model was inferred from."},
			{Name: "Data-flow diagram", ID: "diagram", Type: "diagram", Size: &otmSize{l.W, l.H}},
		},
		TrustZones: []otmZone{}, Components: []otmComponent{}, Dataflows: []otmFlow{},
		Threats: []otmThreat{}, Mitigations: []otmMitigation{},
	}
	for _, z := range m.Zones {
		oz := otmZone{ID: z.ID, Name: z.Name, Type: z.Kind, Description: z.Description, Risk: otmTrust{TrustRating: z.TrustRating},
			Attributes: map[string]any{"kind": z.Kind}}
		if z.Kind == "internet" {
			oz.Type = otmInternetType
		}
		if z.Parent != "" {
			oz.Parent = &otmParent{TrustZone: z.Parent}
		}
		if len(z.SCPs) > 0 {
			oz.Attributes["scps"] = z.SCPs
		}
		if len(z.Ingress) > 0 {
			oz.Attributes["ingress"] = z.Ingress
		}
		if z.External {
			oz.Attributes["external"] = true
		}
		if z.File != "" {
			oz.Representations = append(oz.Representations, otmRepElement{Representation: "iac", ID: z.ID + "-iac", Name: z.Address, File: z.File, Line: z.Line})
		}
		if b, ok := l.zones[z.ID]; ok {
			oz.Representations = append(oz.Representations, otmRepElement{Representation: "diagram", ID: z.ID + "-diagram",
				Position: &otmPos{b.X, b.Y}, Size: &otmSize{b.W, b.H}})
		}
		doc.TrustZones = append(doc.TrustZones, oz)
	}
	byID := map[string]*threatmodel.Threat{}
	for _, t := range m.Threats {
		byID[t.ID] = t
	}
	instances := func(ids []string) []otmInstance {
		out := []otmInstance{}
		for _, id := range ids {
			if t := byID[id]; t != nil {
				out = append(out, otmInstance{Threat: id, State: "exposed",
					Mitigations: []otmMitigationInstance{{Mitigation: t.Mitigation, State: "required"}}})
			}
		}
		return out
	}
	for _, e := range m.Elements {
		c := otmComponent{ID: e.ID, Name: e.Name, Type: e.Type, Description: elementDescription(m, e),
			Parent: otmParent{TrustZone: e.Zone}, Threats: instances(e.Threats), Tags: []string{e.KindName},
			Attributes: map[string]any{"dfdElement": e.KindName}}
		if e.Exposed {
			c.Tags = append(c.Tags, "internet-exposed")
		}
		if len(e.Groups) > 0 {
			c.Attributes["securityGroups"] = e.Groups
		}
		if len(e.Folded) > 0 {
			c.Attributes["includes"] = e.Folded
		}
		if e.File != "" {
			c.Representations = append(c.Representations, otmRepElement{Representation: "iac", ID: e.ID + "-iac", Name: e.Address, File: e.File, Line: e.Line})
		}
		if b, ok := l.elements[e.ID]; ok {
			c.Representations = append(c.Representations, otmRepElement{Representation: "diagram", ID: e.ID + "-diagram",
				Position: &otmPos{b.X, b.Y}, Size: &otmSize{b.W, b.H}})
		}
		doc.Components = append(doc.Components, c)
	}
	for _, f := range m.Flows {
		of := otmFlow{ID: f.ID, Name: f.Label, Description: flowDescription(m, f), Source: f.From, Destination: f.To,
			Bidirectional: false, Threats: instances(f.Threats), Tags: []string{f.Kind},
			Attributes: map[string]any{"kind": f.Kind, "crosses": orEmpty(f.Crosses)}}
		if f.Crossing() {
			of.Tags = append(of.Tags, "crosses-trust-boundary")
		}
		if f.File != "" {
			of.Attributes["file"], of.Attributes["line"] = f.File, f.Line
		}
		doc.Dataflows = append(doc.Dataflows, of)
	}
	for _, t := range m.Threats {
		ot := otmThreat{ID: t.ID, Name: t.Title, Description: t.Description, Categories: []string{},
			Risk: otmRisk{Likelihood: t.Likelihood, Impact: t.Impact}, Tags: []string{"severity:" + t.Severity.String()},
			Attributes: map[string]any{"risk": t.Risk}}
		for _, c := range t.Categories {
			ot.Categories = append(ot.Categories, c.String())
		}
		ot.Tags = append(ot.Tags, t.ATTACK...)
		if t.Rule != "" {
			ot.Attributes["rule"] = t.Rule
			ot.Tags = append(ot.Tags, t.Rule)
		} else {
			ot.Tags = append(ot.Tags, "stride-per-element")
		}
		if t.File != "" {
			ot.Attributes["file"], ot.Attributes["line"] = t.File, t.Line
		}
		if t.Zone != "" {
			ot.Attributes["trustZone"] = t.Zone
		}
		doc.Threats = append(doc.Threats, ot)
	}
	for _, x := range m.Mitigations {
		doc.Mitigations = append(doc.Mitigations, otmMitigation{ID: x.ID, Name: x.Title, Description: x.Description, RiskReduction: x.RiskReduction})
	}
	return writeJSON(w, doc, true)
}

// projectID is a stable project ID from the model's title.
func projectID(title string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(title) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	if s := strings.Trim(b.String(), "-"); s != "" {
		return s
	}
	return "strider-model"
}

type otmDoc struct {
	OTMVersion      string              `json:"otmVersion"`
	Project         otmProject          `json:"project"`
	Representations []otmRepresentation `json:"representations"`
	TrustZones      []otmZone           `json:"trustZones"`
	Components      []otmComponent      `json:"components"`
	Dataflows       []otmFlow           `json:"dataflows"`
	Threats         []otmThreat         `json:"threats"`
	Mitigations     []otmMitigation     `json:"mitigations"`
}

type otmProject struct {
	Name        string   `json:"name"`
	ID          string   `json:"id"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
}

type otmRepresentation struct {
	Name        string   `json:"name"`
	ID          string   `json:"id"`
	Type        string   `json:"type"`
	Description string   `json:"description,omitempty"`
	Size        *otmSize `json:"size,omitempty"`
}

type otmSize struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

type otmPos struct {
	X int `json:"x"`
	Y int `json:"y"`
}

type otmRepElement struct {
	Representation string   `json:"representation"`
	ID             string   `json:"id"`
	Name           string   `json:"name,omitempty"`
	Position       *otmPos  `json:"position,omitempty"`
	Size           *otmSize `json:"size,omitempty"`
	File           string   `json:"file,omitempty"`
	Line           int      `json:"line,omitempty"`
}

type otmParent struct {
	TrustZone string `json:"trustZone"`
}

type otmTrust struct {
	TrustRating int `json:"trustRating"`
}

type otmZone struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Type            string          `json:"type"`
	Description     string          `json:"description,omitempty"`
	Risk            otmTrust        `json:"risk"`
	Parent          *otmParent      `json:"parent,omitempty"`
	Representations []otmRepElement `json:"representations,omitempty"`
	Attributes      map[string]any  `json:"attributes"`
}

type otmComponent struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Type            string          `json:"type"`
	Description     string          `json:"description"`
	Parent          otmParent       `json:"parent"`
	Representations []otmRepElement `json:"representations,omitempty"`
	Threats         []otmInstance   `json:"threats"`
	Tags            []string        `json:"tags"`
	Attributes      map[string]any  `json:"attributes"`
}

type otmInstance struct {
	Threat      string                  `json:"threat"`
	State       string                  `json:"state"`
	Mitigations []otmMitigationInstance `json:"mitigations"`
}

type otmMitigationInstance struct {
	Mitigation string `json:"mitigation"`
	State      string `json:"state"`
}

type otmFlow struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Description   string         `json:"description"`
	Source        string         `json:"source"`
	Destination   string         `json:"destination"`
	Bidirectional bool           `json:"bidirectional"`
	Threats       []otmInstance  `json:"threats"`
	Tags          []string       `json:"tags"`
	Attributes    map[string]any `json:"attributes"`
}

type otmRisk struct {
	Likelihood int `json:"likelihood"`
	Impact     int `json:"impact"`
}

type otmThreat struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Categories  []string       `json:"categories"`
	Risk        otmRisk        `json:"risk"`
	Tags        []string       `json:"tags"`
	Attributes  map[string]any `json:"attributes"`
}

type otmMitigation struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	RiskReduction int    `json:"riskReduction"`
}
