package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/parser/tfschema"
)

// Detect reports whether src is a Terraform plan in JSON: a JSON object
// with "format_version" and at least one of "planned_values" or
// "resource_changes". It reads only as far as the members it looks for,
// so a plan that is truncated further on is still recognised, and Parse
// then reports where it breaks.
func Detect(src []byte) bool {
	var version, content bool
	topLevelMembers(normalize(src), func(key string, _ *json.Decoder) bool {
		switch key {
		case "format_version":
			version = true
		case "planned_values", "resource_changes":
			content = true
		}
		return !(version && content)
	})
	return version && content
}

// Parse reads one plan, the output of `terraform show -json PLANFILE`.
// name is the display path (slash-separated) used as graph.Range.Filename
// and Address.Stack.
//
// Parse never panics. It returns what it could read with diagnostics: an
// Error with the line for invalid JSON (and then no resources), a Warning
// for a format_version terraform-json does not support, outside 0.1–1.x
// (the plan is still read), an Error for a section of unexpected shape
// (the other sections are still read).
//
// Every resource instance of planned_values is returned, from every
// module, plus the resource_changes entries absent from planned_values —
// Variables returns the root module variables a plan was made with, as
// the NAME=VALUE assignments of the command line would give them: a
// string as itself, any other value in HCL's syntax (JSON's objects and
// lists are HCL's too). A plan that cannot be read has none.
func Variables(src []byte) map[string]string {
	var p struct {
		Variables map[string]struct {
			Value json.RawMessage `json:"value"`
		} `json:"variables"`
	}
	if json.Unmarshal(src, &p) != nil {
		return nil
	}
	out := make(map[string]string, len(p.Variables))
	for name, v := range p.Variables {
		if len(v.Value) == 0 || string(v.Value) == "null" {
			continue
		}
		var str string
		if json.Unmarshal(v.Value, &str) == nil {
			out[name] = str
			continue
		}
		out[name] = string(v.Value)
	}
	return out
}

// the instances the plan deletes, with their attributes from "before".
func Parse(src []byte, name string) (rs []*graph.Resource, diags graph.Diagnostics) {
	defer func() {
		// A scanner reads hundreds of files; one it cannot make sense of
		// must not end the run. FuzzParse fails on this diagnostic.
		if v := recover(); v != nil {
			diags = append(diags, graph.Diagnostic{
				Severity: graph.Error,
				Summary:  internalError,
				Detail:   fmt.Sprint(v),
				Range:    graph.Range{Filename: name},
			})
		}
	}()
	src = normalize(src)
	p, pend, err := decode(src)
	if err != nil {
		fe, ok := errors.AsType[*fatalError](err)
		if !ok {
			fe = &fatalError{summary: "cannot read the plan", err: err}
		}
		at := graph.Range{Filename: name}
		if fe.offset > 0 {
			// The decoder reports the offset after the offending byte.
			at.Start = newLineCounter(src).pos(int(fe.offset) - 1)
		} else {
			at.Start = graph.Pos{Line: 1, Column: 1}
		}
		return nil, graph.Diagnostics{{Severity: graph.Error, Summary: fe.summary, Detail: fe.Error(), Range: at}}
	}
	b := &builder{name: name, plan: p, config: indexConfig(p.Config)}
	b.collect()
	pos, err := scanPositions(src, name, b.need)
	if err != nil {
		// Cannot happen for JSON the decoder accepted; without positions
		// the resources are still worth returning.
		b.diags = append(b.diags, graph.Diagnostic{
			Severity: graph.Warning,
			Summary:  "source positions are incomplete",
			Detail:   err.Error(),
			Range:    graph.Range{Filename: name},
		})
	}
	b.pos = pos
	for _, pd := range pend {
		d := pd.diag
		d.Range = graph.Range{Filename: name, Start: pos.top[pd.member]}
		b.diags = append(b.diags, d)
	}
	rs = b.build()
	b.diags.Sort()
	return rs, b.diags
}

const internalError = "internal error while reading the plan"

// builder turns the decoded plan into resources. It keeps the whole
// tfjson.Plan: provider configurations (plan.Config.ProviderConfigs) and
// variables are not recorded yet, but facets that need them will read
// them from here.
type builder struct {
	name string
	// values shares equal attribute values between resources.
	values graph.Interner
	plan   *tfjson.Plan
	config configIndex
	pos    positions
	diags  graph.Diagnostics

	planned []plannedResource
	// changes are the current-object resource changes by address.
	changes map[string]*tfjson.ResourceChange
	// only are the resource changes whose address is not in
	// planned_values, in plan order.
	only []*tfjson.ResourceChange
	// need is the set of their addresses, for the position scan.
	need map[string]bool
}

type plannedResource struct {
	res    *tfjson.StateResource
	module string // the module address planned_values gives
}

// collect gathers the planned resources, depth first, and the changes.
func (b *builder) collect() {
	if pv := b.plan.PlannedValues; pv != nil {
		b.collectModule(pv.RootModule, 0)
	}
	seen := make(map[string]bool, len(b.planned))
	for _, pr := range b.planned {
		seen[pr.res.Address] = true
	}
	b.changes = map[string]*tfjson.ResourceChange{}
	b.need = map[string]bool{}
	for _, rc := range b.plan.ResourceChanges {
		// A deposed object is the old half of a create-before-destroy
		// replacement; the current object at the same address stands for
		// the resource.
		if rc == nil || rc.DeposedKey != "" {
			continue
		}
		if _, dup := b.changes[rc.Address]; dup {
			continue
		}
		b.changes[rc.Address] = rc
		if !seen[rc.Address] {
			b.only = append(b.only, rc)
			b.need[rc.Address] = true
		}
	}
}

func (b *builder) collectModule(m *tfjson.StateModule, depth int) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	for _, r := range m.Resources {
		if r != nil {
			b.planned = append(b.planned, plannedResource{res: r, module: m.Address})
		}
	}
	for _, c := range m.ChildModules {
		b.collectModule(c, depth+1)
	}
}

func (b *builder) build() []*graph.Resource {
	rs := make([]*graph.Resource, 0, len(b.planned)+len(b.only))
	for _, pr := range b.planned {
		sr := pr.res
		a, ok := b.address(sr.Address, pr.module, string(sr.Mode), sr.Type, sr.Name, sr.Index)
		if !ok {
			continue
		}
		r := b.newResource(a)
		cr := b.config.lookup(a)
		r.Change = graph.NoOp
		var unknown any
		if rc := b.changes[sr.Address]; rc != nil && rc.Change != nil {
			r.Change = action(rc.Change.Actions)
			unknown = rc.Change.AfterUnknown
		}
		var vals map[string]graph.Range
		if op := b.pos.planned[sr.Address]; op != nil {
			r.Range, vals = op.rng, op.values
		}
		r.Attrs = b.values.AttributesOf(planValue(sr.AttributeValues, unknown, b.pruning(cr)))
		b.finish(r, cr, vals)
		rs = append(rs, r)
	}
	for _, rc := range b.only {
		a, ok := b.address(rc.Address, rc.ModuleAddress, string(rc.Mode), rc.Type, rc.Name, rc.Index)
		if !ok {
			continue
		}
		r := b.newResource(a)
		cr := b.config.lookup(a)
		r.Change = graph.NoOp
		var vals map[string]graph.Range
		op := b.pos.changes[rc.Address]
		if op != nil {
			r.Range = op.rng
		}
		var v any
		if c := rc.Change; c != nil {
			r.Change = action(c.Actions)
			if r.Change == graph.Delete || c.After == nil {
				// What is deleted is what exists: the prior object.
				v = c.Before
				if op != nil {
					vals = op.before
				}
				r.Attrs = b.values.AttributesOf(planValue(v, nil, blockConfig{}))
			} else {
				if op != nil {
					vals = op.after
				}
				r.Attrs = b.values.AttributesOf(planValue(c.After, c.AfterUnknown, b.pruning(cr)))
			}
		} else {
			r.Attrs = graph.Attributes{}
		}
		b.finish(r, cr, vals)
		rs = append(rs, r)
	}
	return rs
}

// pruning is the configuration consulted to tell provider-computed
// defaults from user-written unknowns; see planValue.
func (b *builder) pruning(cr *configResource) blockConfig {
	if !b.config.present || cr == nil {
		return blockConfig{}
	}
	return resourceConfig(cr.res)
}

func (b *builder) newResource(a address) *graph.Resource {
	return &graph.Resource{
		Addr:   a.graph(b.name),
		Format: graph.Plan,
		Range:  graph.Range{Filename: b.name},
	}
}

// finish sets the attribute ranges and references, then the facets.
func (b *builder) finish(r *graph.Resource, cr *configResource, vals map[string]graph.Range) {
	// Only what the file holds gets a range. Terraform leaves unknowns out
	// of planned values, so an unknown attribute has none of its own and
	// graph.Resource.AttrRange points at its nearest written ancestor.
	for p, rg := range vals {
		r.AttrRanges.Set(p, rg)
	}
	r.AttrRanges.Sort()
	if cr != nil {
		r.Account = b.providerAccount(cr)
		// The configuration holds no positions: a reference points at
		// the attribute that holds it in the planned values.
		for _, ref := range cr.refs {
			r.Refs = append(r.Refs, graph.Ref{Target: ref.target, Attr: ref.attr, Range: r.AttrRange(ref.attr)})
		}
	}
	tfschema.Fill(r)
}

// address parses a resource address, falling back to the separate fields
// of the plan entry when the string does not parse.
func (b *builder) address(s, module, mode, typ, name string, index any) (address, bool) {
	a, err := parseAddress(s)
	if err == nil {
		return a, true
	}
	a, ferr := fieldsAddress(module, mode, typ, name, index)
	if ferr != nil {
		b.diags = append(b.diags, graph.Diagnostic{
			Severity: graph.Error,
			Summary:  fmt.Sprintf("cannot read resource address %q", s),
			Detail:   err.Error() + "; the resource is skipped",
			Range:    graph.Range{Filename: b.name},
		})
		return a, false
	}
	b.diags = append(b.diags, graph.Diagnostic{
		Severity: graph.Warning,
		Summary:  fmt.Sprintf("cannot read resource address %q", s),
		Detail:   err.Error() + "; using its type, name and index instead",
		Range:    graph.Range{Filename: b.name},
	})
	return a, true
}

// action maps the plan's action list to a graph action. A list Strider
// does not know (such as Terraform 1.7's "forget") is kept in Terraform's
// spelling, so it matches none of the graph's actions but stays visible.
func action(actions tfjson.Actions) graph.Action {
	switch len(actions) {
	case 0:
		return graph.NoOp
	case 1:
		switch actions[0] {
		case tfjson.ActionCreate:
			return graph.Create
		case tfjson.ActionUpdate:
			return graph.Update
		case tfjson.ActionDelete:
			return graph.Delete
		case tfjson.ActionNoop:
			return graph.NoOp
		case tfjson.ActionRead:
			return graph.Read
		}
	case 2:
		if (actions[0] == tfjson.ActionDelete && actions[1] == tfjson.ActionCreate) ||
			(actions[0] == tfjson.ActionCreate && actions[1] == tfjson.ActionDelete) {
			return graph.Replace
		}
	}
	s := make([]string, len(actions))
	for i, a := range actions {
		s[i] = string(a)
	}
	return graph.Action(strings.Join(s, ","))
}
