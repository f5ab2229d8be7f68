// Package threatmodel builds a threat model from the graph and the rules'
// findings: the trust zones the graph inferred, the resources as
// data-flow-diagram elements, the data flows between them, generic
// threats from STRIDE per element and per boundary-crossing flow, and the
// findings as specific threats with their mitigations. Renderers in
// package report write it as OTM, Threat Dragon, Mermaid, DOT, Markdown
// and JSON.
package threatmodel

import (
	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/rules"
)

// Model is a threat model of the scanned code. Every list is sorted and
// every ID derives from addresses, so two versions of a model diff well.
type Model struct {
	Title string `json:"title"`
	// Sources are the inputs read, relative to the scan root.
	Sources     []string      `json:"sources"`
	Zones       []*Zone       `json:"zones"`
	Elements    []*Element    `json:"elements"`
	Flows       []*Flow       `json:"flows"`
	Threats     []*Threat     `json:"threats"`
	Mitigations []*Mitigation `json:"mitigations"`
	// Omitted say which flows were left out because there were too many
	// to draw one by one ("file:line: why").
	Omitted []string `json:"omitted,omitempty"`
	// Plumbing counts the resources that are neither elements nor
	// zones nor folded into an element (an SCP attachment, say).
	Plumbing int `json:"plumbing"`

	idx *index
}

// index makes the lookups of renderers constant-time. It is built on
// first use, once the model is complete: a model is not changed after
// Build.
type index struct {
	zones       map[string]*Zone
	elements    map[string]*Element
	flows       map[string]*Flow
	mitigations map[string]*Mitigation
	children    map[string][]*Zone
	members     map[string][]*Element
}

func (m *Model) index() *index {
	if m.idx != nil {
		return m.idx
	}
	x := &index{zones: map[string]*Zone{}, elements: map[string]*Element{}, flows: map[string]*Flow{},
		mitigations: map[string]*Mitigation{}, children: map[string][]*Zone{}, members: map[string][]*Element{}}
	for _, z := range m.Zones {
		x.zones[z.ID] = z
		x.children[z.Parent] = append(x.children[z.Parent], z)
	}
	for _, e := range m.Elements {
		x.elements[e.ID] = e
		x.members[e.Zone] = append(x.members[e.Zone], e)
	}
	for _, f := range m.Flows {
		x.flows[f.ID] = f
	}
	for _, mt := range m.Mitigations {
		x.mitigations[mt.ID] = mt
	}
	m.idx = x
	return x
}

// Zone is a trust zone.
type Zone struct {
	ID string `json:"id"`
	// Kind is the graph's zone kind ("internet", "organization", "ou",
	// "account", "vpc", "subnet", "security-group") or "aws" for the
	// zone of AWS service principals.
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	// TrustRating is OTM's 0-100: the internet 0, an external account
	// 20, a public subnet 40, the rest of one's own estate higher.
	TrustRating int `json:"trustRating"`
	// Description says what defines the zone and, for subnets, why
	// they are public or private.
	Description string `json:"description,omitempty"`
	External    bool   `json:"external,omitempty"`
	// Container is false for security groups: their members sit in
	// subnets, so a diagram draws them as a list, not a box.
	Container bool `json:"container"`
	// SCPs name the service control policies attached at an
	// organization level.
	SCPs []string `json:"scps,omitempty"`
	// Ingress says what a security group admits, rule by rule.
	Ingress []string `json:"ingress,omitempty"`
	Address string   `json:"address,omitempty"`
	File    string   `json:"file,omitempty"`
	Line    int      `json:"line,omitempty"`
}

// Element is one element of the data-flow diagram.
type Element struct {
	ID   string               `json:"id"`
	Name string               `json:"name"`
	Kind mappings.ElementKind `json:"-"`
	// KindName is Kind in words: "external entity", "process", "data
	// store".
	KindName string `json:"kind"`
	// Type is the resource type, or for an external entity what it is:
	// "internet", "account", "service", "oidc", "saml", "any-principal".
	Type string `json:"type"`
	Zone string `json:"zone"`
	// Address is the resource address; empty for external entities.
	Address string `json:"address,omitempty"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	// Folded are the addresses of plumbing resources folded into this
	// element (its policies, attachments, permissions).
	Folded []string `json:"folded,omitempty"`
	// Groups are the IDs of the security group zones that guard it.
	Groups []string `json:"securityGroups,omitempty"`
	// HoldsLogs marks a store of logs or audit records.
	HoldsLogs bool `json:"holdsLogs,omitempty"`
	// Exposed is true when a flow from the internet reaches it.
	Exposed bool     `json:"exposed,omitempty"`
	Threats []string `json:"threats,omitempty"`
}

// Flow is a data flow between two elements.
type Flow struct {
	ID     string   `json:"id"`
	Kind   string   `json:"kind"`
	From   string   `json:"from"`
	To     string   `json:"to"`
	Label  string   `json:"label"`
	Labels []string `json:"labels"`
	// Crosses are the IDs of the zones the flow enters or leaves.
	Crosses []string `json:"crosses,omitempty"`
	// FromInternet is true when the flow starts on the internet.
	FromInternet bool     `json:"fromInternet,omitempty"`
	File         string   `json:"file,omitempty"`
	Line         int      `json:"line,omitempty"`
	Threats      []string `json:"threats,omitempty"`
}

// Crossing reports whether the flow crosses a trust boundary.
func (f *Flow) Crossing() bool { return len(f.Crosses) > 0 }

// Threat is a generic threat from STRIDE per element or per flow, or a
// specific one from a rule's finding.
type Threat struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Categories are the STRIDE categories; generic threats have one.
	Categories []mappings.STRIDE `json:"categories"`
	// Target is the element or flow ID the threat is on.
	Target string `json:"target"`
	// OnFlow says Target is a flow.
	OnFlow bool `json:"onFlow,omitempty"`
	// Zone is set, and Target empty, for a finding on a zone rather than
	// an element: a VPC, an organization, an OU, an account.
	Zone     string         `json:"zone,omitempty"`
	Severity rules.Severity `json:"severity"`
	// Likelihood and Impact are 0-100; Risk is their product scaled to
	// 0-100, the order threats are ranked in.
	Likelihood int `json:"likelihood"`
	Impact     int `json:"impact"`
	Risk       int `json:"risk"`
	// Rule is the ID of the rule that found it; empty for a generic
	// threat.
	Rule   string   `json:"rule,omitempty"`
	ATTACK []string `json:"attack,omitempty"`
	// Mitigation is the ID of its mitigation.
	Mitigation string `json:"mitigation"`
	File       string `json:"file,omitempty"`
	Line       int    `json:"line,omitempty"`
}

// Generic reports whether the threat comes from STRIDE per element
// rather than a rule.
func (t *Threat) Generic() bool { return t.Rule == "" }

// Mitigation is what reduces a threat.
type Mitigation struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// RiskReduction is OTM's 0-100.
	RiskReduction int `json:"riskReduction"`
}

// Zone returns the zone with this ID, or nil.
func (m *Model) Zone(id string) *Zone { return m.index().zones[id] }

// Element returns the element with this ID, or nil.
func (m *Model) Element(id string) *Element { return m.index().elements[id] }

// Flow returns the flow with this ID, or nil.
func (m *Model) Flow(id string) *Flow { return m.index().flows[id] }

// Mitigation returns the mitigation with this ID, or nil.
func (m *Model) Mitigation(id string) *Mitigation { return m.index().mitigations[id] }

// Children returns the zones whose parent is id ("" for top-level
// zones), in order.
func (m *Model) Children(id string) []*Zone { return m.index().children[id] }

// Members returns the elements placed directly in zone id, in order.
func (m *Model) Members(id string) []*Element { return m.index().members[id] }
