package cloudformation

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

// parser holds what one template knows about itself while its resources
// are evaluated.
type parser struct {
	name  string
	diags graph.Diagnostics

	params map[string]cty.Value
	// values shares equal property values between resources.
	values graph.Interner
	// imageParams are the parameters whose value is an image ID read
	// from an SSM parameter at deploy time, by the parameter name their
	// Default gives.
	imageParams map[string]graph.Value[string]
	mappings    []pair
	conditions  map[string]*yaml.Node
	condCache   map[string]tri
	condBusy    map[string]bool
	// resources holds every logical ID declared, including those whose
	// condition is false, so that Ref can tell a resource from an
	// undefined name.
	resources map[string]bool

	visits, bytes, depth int
	schemaVisits         int
	halted               bool
	// active holds the alias targets being evaluated, to stop at a YAML
	// anchor that contains an alias to itself.
	active map[*yaml.Node]bool
}

// resState collects what evaluating one resource's properties yields
// besides the value.
type resState struct {
	// ranges keeps the first range of each path while the properties
	// are read; the resource gets them sorted once read.
	ranges map[string]graph.Range
	refs   []graph.Ref
	// direct holds, per property path, the reference that is the whole
	// value of that property (LaunchTemplateId: !Ref LT), as opposed to
	// one mentioned inside a string or an undecided branch.
	direct map[string]graph.Ref
	// images holds, per property path, the SSM parameter name of an
	// image-ID parameter that is the whole value of that property.
	images map[string]graph.Value[string]
}

// Parse reads one CloudFormation template, YAML or JSON. name is the
// slash-separated display path of the file; it becomes the Filename of
// every range and the Stack of every address.
//
// Parse never panics. It returns every resource it could read, in source
// order, with diagnostics sorted by position: an Error when the file or a
// part of it cannot be read (the YAML or JSON syntax error with its line, a
// resource without Type), a Warning for what it read but could not
// evaluate.
func Parse(src []byte, name string) (rs []*graph.Resource, diags graph.Diagnostics) {
	p := &parser{
		name:        name,
		params:      map[string]cty.Value{},
		imageParams: map[string]graph.Value[string]{},
		conditions:  map[string]*yaml.Node{},
		condCache:   map[string]tri{},
		condBusy:    map[string]bool{},
		resources:   map[string]bool{},
		active:      map[*yaml.Node]bool{},
	}
	defer func() {
		// A panic is a bug in Strider, not in the template; report it on
		// the file rather than take the whole scan down. The fuzz test
		// fails on this diagnostic, so it is not a way to hide bugs.
		if v := recover(); v != nil {
			rs = nil
			p.diags = append(p.diags, graph.Diagnostic{
				Severity: graph.Error,
				Summary:  internalError,
				Detail:   fmt.Sprintf("%v\n%s", v, debug.Stack()),
				Range:    graph.Range{Filename: name},
			})
			diags = p.finish()
		}
	}()
	rs = p.template(src)
	return rs, p.finish()
}

// internalError is the summary of the diagnostic a recovered panic gives.
const internalError = "internal error while reading the CloudFormation template"

// finish sorts the diagnostics and drops exact repeats, which arise when
// the same YAML node is reached twice (through an alias, say).
func (p *parser) finish() graph.Diagnostics {
	if len(p.diags) == 0 {
		return nil
	}
	p.diags.Sort()
	out := p.diags[:1]
	for _, d := range p.diags[1:] {
		if d != out[len(out)-1] {
			out = append(out, d)
		}
	}
	return out
}

func (p *parser) diag(sev graph.Severity, n *yaml.Node, summary, detail string) {
	p.diags = append(p.diags, graph.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: p.rangeOf(n)})
}

func (p *parser) warn(n *yaml.Node, summary, detail string) {
	p.diag(graph.Warning, n, summary, detail)
}

func (p *parser) fail(n *yaml.Node, summary, detail string) {
	p.diag(graph.Error, n, summary, detail)
}

// tick counts one node visited, and its text, and reports whether
// evaluation may go on.
func (p *parser) tick(at *yaml.Node) bool {
	if p.halted {
		return false
	}
	p.visits++
	if p.visits > maxNodes {
		p.halt(at, fmt.Sprintf("more than %d nodes after expanding YAML aliases", maxNodes))
		return false
	}
	if at != nil {
		return p.spend(at, len(at.Value))
	}
	return true
}

// spend counts n bytes of text handled: read from a node, put in a path,
// compared or built by an intrinsic function.
func (p *parser) spend(at *yaml.Node, n int) bool {
	if p.halted {
		return false
	}
	p.bytes += n
	if p.bytes > maxBytes {
		p.halt(at, fmt.Sprintf("more than %d bytes of text to handle after expanding YAML aliases and intrinsic functions", maxBytes))
	}
	return !p.halted
}

// text reads a name from a scalar node (a Ref target, a condition name),
// counting its bytes.
func (p *parser) text(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || !p.spend(n, len(n.Value)) {
		return "", false
	}
	return n.Value, true
}

func (p *parser) halt(at *yaml.Node, why string) {
	p.halted = true
	p.fail(at, "template too large to evaluate", why+"; everything from here on is treated as unknown")
}

func (p *parser) template(src []byte) []*graph.Resource {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line, msg := syntaxError(err, src)
		p.diags = append(p.diags, graph.Diagnostic{
			Severity: graph.Error,
			Summary:  "cannot parse CloudFormation template",
			Detail:   msg,
			Range:    graph.Range{Filename: p.name, Start: graph.PosAt(line, 0), End: graph.PosAt(line, 0)},
		})
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.diags = append(p.diags, graph.Diagnostic{Severity: graph.Error, Summary: "empty CloudFormation template",
			Range: graph.Range{Filename: p.name}})
		return nil
	}
	root := deref(doc.Content[0])
	if root == nil || root.Kind != yaml.MappingNode {
		p.fail(doc.Content[0], "CloudFormation template is not a mapping", "")
		return nil
	}
	top := p.sections(root)

	resNode, ok := fieldPair(top, "Resources")
	if !ok {
		p.fail(root, "CloudFormation template has no Resources section", "")
		return nil
	}
	body := deref(resNode.val)
	if body == nil || body.Kind != yaml.MappingNode {
		p.fail(resNode.key, "Resources is not a mapping", "")
		return nil
	}
	entries := p.pairs(body)
	for _, e := range entries {
		p.resources[e.name] = true
	}
	var rs []*graph.Resource
	seen := map[string]*yaml.Node{}
	for _, e := range entries {
		if strings.HasPrefix(e.name, "Fn::ForEach::") {
			p.warn(e.key, "Fn::ForEach is not expanded",
				"resources generated by "+clip(e.name)+" (AWS::LanguageExtensions) are not scanned")
			continue
		}
		if prev, dup := seen[e.name]; dup {
			p.warn(e.key, "duplicate logical ID "+clip(e.name),
				"also declared at "+p.rangeOf(prev).String()+"; the first declaration is used")
			continue
		}
		seen[e.name] = e.key
		if r := p.resource(e); r != nil {
			rs = append(rs, r)
		}
		if p.halted {
			break
		}
	}
	return rs
}

// sections reads the top level: parameters, mappings and conditions are
// indexed before any resource is evaluated, since resources refer to them
// in any order.
func (p *parser) sections(root *yaml.Node) []pair {
	top := p.pairs(root)
	seen := map[string]bool{}
	for _, e := range top {
		if seen[e.name] {
			p.warn(e.key, "duplicate template section "+clip(e.name), "the first one is used")
			continue
		}
		seen[e.name] = true
		switch e.name {
		case "Parameters", "Mappings", "Conditions":
			if v := deref(e.val); v != nil && v.Kind != yaml.MappingNode && v.ShortTag() != "!!null" {
				p.warn(e.key, e.name+" is not a mapping", "it is ignored")
				continue
			}
		}
		switch e.name {
		case "Parameters":
			p.parameters(e)
		case "Mappings":
			p.mappings = p.pairs(e.val)
		case "Conditions":
			for _, c := range p.pairs(e.val) {
				if _, dup := p.conditions[c.name]; dup {
					p.warn(c.key, "duplicate condition "+clip(c.name), "the first one is used")
					continue
				}
				p.conditions[c.name] = c.val
			}
		case "Transform":
			p.warn(e.key, "template transforms are not expanded",
				clip(transformNames(e.val))+": resources are read as written; those a transform or macro generates are not scanned")
		}
	}
	return top
}

func transformNames(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return "Transform"
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	var names []string
	for _, c := range n.Content {
		if c = deref(c); c != nil && c.Kind == yaml.ScalarNode {
			names = append(names, c.Value)
		}
	}
	if len(names) == 0 {
		return "Transform"
	}
	return strings.Join(names, ", ")
}

// parameters records each parameter's value as the template determines it
// when nobody overrides it at deploy time.
func (p *parser) parameters(sec pair) {
	for _, e := range p.pairs(sec.val) {
		if _, dup := p.params[e.name]; dup {
			p.warn(e.key, "duplicate parameter "+clip(e.name), "the first one is used")
			continue
		}
		p.params[e.name] = p.parameter(e)
	}
}

func (p *parser) parameter(e pair) cty.Value {
	fields := p.pairs(e.val)
	typ := field(fields, "Type")
	def := deref(field(fields, "Default"))
	if !isString(deref(typ)) {
		p.warn(e.key, "parameter "+clip(e.name)+" has no Type", "its value is treated as unknown")
		return cty.DynamicVal
	}
	t := deref(typ).Value
	if def == nil {
		return cty.DynamicVal
	}
	switch {
	case strings.HasPrefix(t, "AWS::SSM::Parameter::"):
		// The Default names a Systems Manager parameter; its value is
		// read at deploy time. Which parameter holds an image ID still
		// tells what the image is.
		if t == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>" && isString(def) {
			p.imageParams[e.name] = graph.Known(def.Value, p.rangeOf(def))
		}
		return cty.DynamicVal
	case t == "CommaDelimitedList" || strings.HasPrefix(t, "List<"):
		return p.listDefault(e, def)
	}
	if def.Kind != yaml.ScalarNode || def.ShortTag() == "!!null" {
		p.warn(def, "Default of parameter "+clip(e.name)+" is not a scalar", "its value is treated as unknown")
		return cty.DynamicVal
	}
	// CloudFormation hands every scalar parameter, Number included, to
	// the template as a string.
	return cty.StringVal(def.Value)
}

func (p *parser) listDefault(e pair, def *yaml.Node) cty.Value {
	var items []cty.Value
	switch def.Kind {
	case yaml.ScalarNode:
		if def.Value == "" {
			return cty.EmptyTupleVal
		}
		for _, s := range strings.Split(def.Value, ",") {
			items = append(items, cty.StringVal(strings.TrimSpace(s)))
		}
	case yaml.SequenceNode:
		for _, c := range def.Content {
			c = deref(c)
			if c == nil || c.Kind != yaml.ScalarNode {
				p.warn(def, "Default of parameter "+clip(e.name)+" is not a list of scalars", "its value is treated as unknown")
				return cty.DynamicVal
			}
			items = append(items, cty.StringVal(c.Value))
		}
	default:
		p.warn(def, "Default of parameter "+clip(e.name)+" is not a list", "its value is treated as unknown")
		return cty.DynamicVal
	}
	if len(items) == 0 {
		return cty.EmptyTupleVal
	}
	return cty.TupleVal(items)
}

// resource reads one entry of Resources. It returns nil when the entry is
// not a resource or will not be created.
func (p *parser) resource(e pair) *graph.Resource {
	body := deref(e.val)
	if body == nil || body.Kind != yaml.MappingNode {
		p.fail(e.key, "resource "+clip(e.name)+" is not a mapping", "")
		return nil
	}
	fields := p.pairs(body)
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f.name] {
			p.warn(f.key, "duplicate key "+clip(f.name)+" in resource "+clip(e.name), "the first one is used")
		}
		seen[f.name] = true
	}
	typ, ok := fieldPair(fields, "Type")
	if !ok {
		p.fail(e.key, "resource "+clip(e.name)+" has no Type", "")
		return nil
	}
	if t := deref(typ.val); !isString(t) || t.Value == "" {
		p.fail(typ.key, "Type of resource "+clip(e.name)+" is not a string", "")
		return nil
	}
	typeName := deref(typ.val).Value
	if c, ok := fieldPair(fields, "Condition"); ok {
		if n := deref(c.val); !isString(n) {
			p.warn(c.key, "Condition of resource "+clip(e.name)+" is not a condition name", "the resource is assumed to be created")
		} else if p.spend(n, len(n.Value)) && p.condition(n.Value, n) == triFalse {
			return nil
		}
	}
	r := &graph.Resource{
		Addr: graph.Address{
			Stack: p.name,
			Kind:  graph.CloudFormationAddr,
			Type:  typeName,
			Name:  e.name,
		},
		Format: graph.CloudFormation,
		Range:  p.keyRange(e.key),
	}
	st := &resState{ranges: map[string]graph.Range{}, direct: map[string]graph.Ref{}, images: map[string]graph.Value[string]{}}
	properties := cty.EmptyObjectVal
	if props, ok := fieldPair(fields, "Properties"); ok {
		v, present := p.eval(props.val, site{res: st, record: true})
		switch {
		case !present:
		case !v.IsKnown():
			properties = cty.DynamicVal
		case v.Type().IsObjectType():
			properties = v
		case v.IsNull():
		default:
			p.warn(props.key, "Properties of resource "+clip(e.name)+" is not a mapping", "they are ignored")
		}
	}
	for path, rg := range st.ranges {
		r.AttrRanges.Set(path, rg)
	}
	r.AttrRanges.Sort()
	r.Refs = st.refs
	r.Attrs = p.values.AttributesOf(properties)
	p.checkSchema(r, properties)
	fillFacets(r, st)
	return r
}
