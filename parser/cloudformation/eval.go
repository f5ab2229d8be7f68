package cloudformation

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

// site says where a value being evaluated sits.
type site struct {
	// res receives references and ranges; nil outside resources
	// (conditions, mappings), where references mean nothing.
	res *resState
	// path is the property path of the value.
	path string
	// record is true where the value is the property itself, so that its
	// keys' ranges are recorded under path, and false inside the arguments
	// of an intrinsic function, whose keys are not properties.
	record bool
}

func (s site) child(name string) site {
	if s.path != "" {
		name = s.path + "." + name
	}
	return site{res: s.res, path: name, record: s.record}
}

// arg is the site of an intrinsic function's argument.
func (s site) arg() site { return site{res: s.res, path: s.path} }

// pseudoParams are CloudFormation's pseudo parameters other than
// AWS::NoValue. Their values depend on where and by whom the stack is
// deployed, so they are unknown.
var pseudoParams = map[string]bool{
	"AWS::AccountId":        true,
	"AWS::NotificationARNs": true,
	"AWS::Partition":        true,
	"AWS::Region":           true,
	"AWS::StackId":          true,
	"AWS::StackName":        true,
	"AWS::URLSuffix":        true,
}

// unevaluated are intrinsic functions that exist but whose result the
// template alone does not decide (or that Strider does not compute yet).
var unevaluated = map[string]bool{
	"Fn::GetAZs":       true,
	"Fn::ImportValue":  true,
	"Fn::Cidr":         true,
	"Fn::Transform":    true,
	"Fn::Length":       true,
	"Fn::ToJsonString": true,
}

// conditionFuncs only make sense inside Conditions and Fn::If conditions.
var conditionFuncs = map[string]bool{
	"Fn::Equals": true, "Fn::And": true, "Fn::Or": true, "Fn::Not": true, "Condition": true,
}

// eval computes the value of a node. present is false when the node is
// Ref AWS::NoValue (directly or through Fn::If), which removes the
// enclosing property or list element.
func (p *parser) eval(n *yaml.Node, s site) (v cty.Value, present bool) {
	if !p.tick(n) {
		return cty.DynamicVal, true
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		p.halt(n, "values nest more than "+strconv.Itoa(maxDepth)+" levels deep")
		return cty.DynamicVal, true
	}
	if n != nil && n.Kind == yaml.AliasNode {
		t := deref(n)
		if t == nil {
			return cty.DynamicVal, true
		}
		if p.active[t] {
			p.fail(n, "YAML alias *"+clip(n.Value)+" refers to a node that contains it", "its value is treated as unknown")
			return cty.DynamicVal, true
		}
		p.active[t] = true
		defer delete(p.active, t)
		n = t
		if !p.spend(n, len(n.Value)) {
			return cty.DynamicVal, true
		}
	}
	if n == nil {
		return cty.DynamicVal, true
	}
	if fn, arg, ok := intrinsic(n); ok {
		return p.call(fn, arg, n, s)
	}
	switch n.Kind {
	case yaml.MappingNode:
		return p.object(n, s), true
	case yaml.SequenceNode:
		return p.tuple(n, s), true
	case yaml.ScalarNode:
		return scalar(n), true
	}
	return cty.DynamicVal, true
}

func (p *parser) object(n *yaml.Node, s site) cty.Value {
	attrs := map[string]cty.Value{}
	for _, e := range p.pairs(n) {
		cs := s.child(e.name)
		if !p.spend(n, len(cs.path)) {
			break
		}
		v, ok := p.eval(e.val, cs)
		if !ok {
			continue
		}
		if _, dup := attrs[e.name]; dup {
			// Which one CloudFormation would take is not something to
			// guess when it may decide a security setting.
			p.warn(e.key, "duplicate key "+clip(e.name), "its value is treated as unknown")
			v = cty.DynamicVal
		}
		attrs[e.name] = v
		if s.record && s.res != nil {
			if _, dup := s.res.ranges[cs.path]; !dup {
				s.res.ranges[cs.path] = p.keyRange(e.key)
			}
		}
	}
	if len(attrs) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(attrs)
}

func (p *parser) tuple(n *yaml.Node, s site) cty.Value {
	var items []cty.Value
	for _, c := range n.Content {
		// The index is that of the evaluated list: elements that
		// AWS::NoValue removes do not count.
		cs := s.child(strconv.Itoa(len(items)))
		if !p.spend(n, len(cs.path)) {
			break
		}
		v, ok := p.eval(c, cs)
		if !ok {
			continue
		}
		items = append(items, v)
		if s.record && s.res != nil {
			if _, dup := s.res.ranges[cs.path]; !dup {
				s.res.ranges[cs.path] = p.rangeOf(deref(c))
			}
		}
	}
	if len(items) == 0 {
		return cty.EmptyTupleVal
	}
	return cty.TupleVal(items)
}

// scalar converts a plain value by the type YAML resolves it to.
func scalar(n *yaml.Node) cty.Value {
	switch n.ShortTag() {
	case "!!null":
		return cty.NullVal(cty.DynamicPseudoType)
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return cty.BoolVal(b)
		}
	case "!!int", "!!float":
		if v, ok := number(n); ok {
			return v
		}
	}
	return cty.StringVal(n.Value)
}

// number reads a YAML number exactly when it is written in decimal, and
// through yaml.v3 otherwise (0x1F, 0o17). NaN, infinities and numbers too
// long or too far from 1 to print in a few hundred digits stay strings:
// CloudFormation has no use for them, and rendering 1e999999 in decimal
// would cost a megabyte every time it is substituted or compared.
func number(n *yaml.Node) (cty.Value, bool) {
	s := strings.ReplaceAll(n.Value, "_", "")
	if len(s) > 64 {
		return cty.NilVal, false
	}
	if isDecimal(s) {
		v, err := cty.ParseNumberVal(s)
		if err != nil {
			return cty.NilVal, false
		}
		if f := v.AsBigFloat(); f.IsInf() || (f.Sign() != 0 && (f.MantExp(nil) > 1024 || f.MantExp(nil) < -1024)) {
			return cty.NilVal, false
		}
		return v, true
	}
	var x any
	if n.Decode(&x) != nil {
		return cty.NilVal, false
	}
	switch x := x.(type) {
	case int:
		return cty.NumberIntVal(int64(x)), true
	case int64:
		return cty.NumberIntVal(x), true
	case uint64:
		return cty.NumberUIntVal(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return cty.NilVal, false
		}
		return cty.NumberFloatVal(x), true
	}
	return cty.NilVal, false
}

// isDecimal accepts [+-]digits[.digits][e[+-]digits], the numbers
// cty.ParseNumberVal reads exactly.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	d := digits()
	if i < len(s) && s[i] == '.' {
		i++
		d += digits()
	}
	if d == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// intrinsic recognises a function call: a YAML short tag (!Ref, !Sub, ...),
// or a mapping with exactly one key that is Ref or starts with "Fn::". A
// one-key mapping {Condition: ...} is a function only inside conditions
// (see cond), since IAM policies use Condition as a property.
func intrinsic(n *yaml.Node) (fn string, arg *yaml.Node, ok bool) {
	if name, ok := localTag(n); ok {
		c := *n
		c.Tag = ""
		c.Style &^= yaml.TaggedStyle
		switch name {
		case "Ref", "Condition":
		default:
			name = "Fn::" + name
		}
		return name, &c, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := deref(n.Content[0])
		if k != nil && k.Kind == yaml.ScalarNode && (k.Value == "Ref" || strings.HasPrefix(k.Value, "Fn::")) {
			return k.Value, n.Content[1], true
		}
	}
	return "", nil, false
}

// localTag returns the name of a "!Name" tag: YAML's local tags, which is
// how CloudFormation spells short-form intrinsics.
func localTag(n *yaml.Node) (string, bool) {
	t := n.Tag
	if len(t) < 2 || t[0] != '!' || t[1] == '!' {
		return "", false
	}
	return t[1:], true
}

// call evaluates one intrinsic function; at is the node of the call.
func (p *parser) call(fn string, arg, at *yaml.Node, s site) (cty.Value, bool) {
	switch fn {
	case "Ref":
		name, ok := p.text(arg)
		if !ok {
			if !p.halted {
				p.warn(at, "Ref expects a name", "the value is treated as unknown")
			}
			return cty.DynamicVal, true
		}
		return p.ref(strings.TrimSpace(name), at, s)
	case "Fn::GetAtt":
		return p.getAtt(arg, at, s), true
	case "Fn::Sub":
		return p.sub(arg, at, s), true
	case "Fn::Join":
		return p.join(arg, at, s), true
	case "Fn::Select":
		return p.selectFn(arg, at, s), true
	case "Fn::Split":
		return p.split(arg, at, s), true
	case "Fn::FindInMap":
		return p.findInMap(arg, at, s), true
	case "Fn::Base64":
		v := p.argValue(arg, s)
		if str, ok := graph.AsString(v); ok {
			if !p.spend(at, base64.StdEncoding.EncodedLen(len(str))) {
				return cty.DynamicVal, true
			}
			return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(str))), true
		}
		return cty.DynamicVal, true
	case "Fn::If":
		return p.ifFn(arg, at, s)
	}
	switch {
	case unevaluated[fn]:
		// Evaluate the arguments anyway: the resources they name are
		// still references (!ImportValue !Sub "${Vpc}-id").
		p.argValue(arg, s)
	case conditionFuncs[fn]:
		p.warn(at, fn+" is only valid in conditions", "the value is treated as unknown")
	default:
		p.warn(at, "unknown intrinsic function "+clip(fn), "the value is treated as unknown")
	}
	return cty.DynamicVal, true
}

// argValue evaluates an argument of an intrinsic function. An argument
// that AWS::NoValue removes is unknown: CloudFormation rejects it.
func (p *parser) argValue(n *yaml.Node, s site) cty.Value {
	v, ok := p.eval(n, s.arg())
	if !ok {
		return cty.DynamicVal
	}
	return v
}

// args returns the elements of a sequence argument when it has between
// min and max elements, and warns otherwise.
func (p *parser) args(fn string, arg, at *yaml.Node, min, max int) ([]*yaml.Node, bool) {
	a := deref(arg)
	if a == nil || a.Kind != yaml.SequenceNode || len(a.Content) < min || len(a.Content) > max {
		want := strconv.Itoa(min)
		if max > min {
			want += " to " + strconv.Itoa(max)
		}
		p.warn(at, fn+" expects a list of "+want+" arguments", "the value is treated as unknown")
		return nil, false
	}
	return a.Content, true
}

// ref evaluates Ref to name.
func (p *parser) ref(name string, at *yaml.Node, s site) (cty.Value, bool) {
	if name == "AWS::NoValue" {
		return cty.NilVal, false
	}
	if v, ok := p.params[name]; ok {
		if img, ok := p.imageParams[name]; ok && s.record && s.res != nil {
			s.res.images[s.path] = img
		}
		return v, true
	}
	if pseudoParams[name] {
		return cty.DynamicVal, true
	}
	if p.resources[name] {
		p.addRef(name, at, s)
		return cty.DynamicVal, true
	}
	p.warn(at, "Ref to undefined name "+clip(name), "it is neither a parameter, a pseudo parameter nor a resource; the value is treated as unknown")
	return cty.DynamicVal, true
}

// addRef records that the resource being evaluated names target.
func (p *parser) addRef(target string, at *yaml.Node, s site) {
	if s.res == nil {
		return
	}
	ref := graph.Ref{Target: target, Attr: s.path, Range: p.rangeOf(at)}
	if s.record {
		s.res.direct[s.path] = ref
	}
	for _, r := range s.res.refs {
		if r == ref {
			return
		}
	}
	s.res.refs = append(s.res.refs, ref)
}

// getAtt evaluates Fn::GetAtt, written "Res.Attr" or [Res, Attr]. The
// attribute of a resource is only known once it exists.
func (p *parser) getAtt(arg, at *yaml.Node, s site) cty.Value {
	var target string
	a := deref(arg)
	switch {
	case a != nil && a.Kind == yaml.ScalarNode:
		name, ok := p.text(a)
		if !ok {
			return cty.DynamicVal
		}
		target, _, _ = strings.Cut(name, ".")
	case a != nil && a.Kind == yaml.SequenceNode && len(a.Content) == 2:
		name, ok := p.text(a.Content[0])
		if !ok {
			if !p.halted {
				p.warn(at, "Fn::GetAtt expects a resource name", "the value is treated as unknown")
			}
			return cty.DynamicVal
		}
		target = name
		p.argValue(a.Content[1], s) // the attribute name may be a Ref
	default:
		p.warn(at, "Fn::GetAtt expects Resource.Attribute or [Resource, Attribute]", "the value is treated as unknown")
		return cty.DynamicVal
	}
	target = strings.TrimSpace(target)
	if !p.resources[target] {
		p.warn(at, "Fn::GetAtt of undefined resource "+clip(target), "the value is treated as unknown")
		return cty.DynamicVal
	}
	p.addRef(target, at, s)
	return cty.DynamicVal
}

// sub evaluates Fn::Sub, "template" or [template, {var: value}].
func (p *parser) sub(arg, at *yaml.Node, s site) cty.Value {
	a := deref(arg)
	var tmpl *yaml.Node
	vars := map[string]cty.Value{}
	switch {
	case a != nil && a.Kind == yaml.ScalarNode:
		tmpl = a
	case a != nil && a.Kind == yaml.SequenceNode && len(a.Content) == 2:
		tmpl = deref(a.Content[0])
		m := deref(a.Content[1])
		if m == nil || m.Kind != yaml.MappingNode {
			p.warn(at, "Fn::Sub variables are not a mapping", "the value is treated as unknown")
			return cty.DynamicVal
		}
		if _, _, isFn := intrinsic(m); isFn {
			// CloudFormation wants a literal map here; evaluate the
			// function for the resources it names, then give up.
			p.argValue(m, s)
			return cty.DynamicVal
		}
		for _, e := range p.pairs(m) {
			vars[e.name] = p.argValue(e.val, s)
		}
	}
	if tmpl == nil || tmpl.Kind != yaml.ScalarNode {
		p.warn(at, "Fn::Sub expects a string or [string, {variables}]", "the value is treated as unknown")
		return cty.DynamicVal
	}
	if !p.spend(at, len(tmpl.Value)) {
		return cty.DynamicVal
	}
	var b strings.Builder
	known := true
	rest := tmpl.Value
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		j := strings.IndexByte(rest[i+2:], '}')
		if j < 0 {
			b.WriteString(rest[i:])
			break
		}
		inner := rest[i+2 : i+2+j]
		rest = rest[i+2+j+1:]
		if strings.HasPrefix(inner, "!") {
			// ${!Literal} writes ${Literal}.
			b.WriteString("${" + inner[1:] + "}")
			continue
		}
		name := strings.TrimSpace(inner)
		if mark, ok := arnPseudo[name]; ok {
			if _, shadowed := vars[name]; !shadowed {
				// Resolved below if it stands where an ARN keeps it.
				b.WriteString(mark)
				continue
			}
		}
		str, ok := p.subVar(name, vars, at, s)
		if !ok {
			known = false
			continue
		}
		if !p.spend(at, len(str)) {
			return cty.DynamicVal
		}
		b.WriteString(str)
	}
	if !known {
		return cty.DynamicVal
	}
	v, ok := resolveARNPseudo(b.String())
	if !ok {
		return cty.DynamicVal
	}
	return cty.StringVal(v)
}

// arnPseudo marks the pseudo parameters that an ARN built with Fn::Sub
// may leave to the deployment: arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x.
var arnPseudo = map[string]string{
	"AWS::Partition": "\x00partition\x00",
	"AWS::Region":    "\x00region\x00",
	"AWS::AccountId": "\x00account\x00",
}

// resolveARNPseudo gives an ARN whose partition, region or account is a
// pseudo parameter the form the graph uses for ARNs it builds itself: the
// region and the account empty (the deploying ones, which the code does
// not tell; policy matching lets them match any), the partition "aws".
// A pseudo parameter anywhere else leaves the value unknown, as before.
func resolveARNPseudo(s string) (string, bool) {
	if !strings.Contains(s, "\x00") {
		return s, true
	}
	f := strings.SplitN(s, ":", 6)
	if len(f) != 6 || f[0] != "arn" {
		return "", false
	}
	if f[1] == arnPseudo["AWS::Partition"] {
		f[1] = "aws"
	}
	if f[3] == arnPseudo["AWS::Region"] {
		f[3] = ""
	}
	if f[4] == arnPseudo["AWS::AccountId"] {
		f[4] = ""
	}
	out := strings.Join(f, ":")
	if strings.Contains(out, "\x00") {
		return "", false
	}
	return out, true
}

// subVar resolves one ${name} of Fn::Sub: a variable of the call, else a
// Ref, else, with a dot, a Fn::GetAtt.
func (p *parser) subVar(name string, vars map[string]cty.Value, at *yaml.Node, s site) (string, bool) {
	if v, ok := vars[name]; ok {
		return graph.AsString(v)
	}
	if _, ok := p.params[name]; ok || pseudoParams[name] || p.resources[name] || name == "AWS::NoValue" {
		v, present := p.ref(name, at, site{res: s.res, path: s.path})
		if !present {
			return "", false
		}
		return graph.AsString(v)
	}
	if target, _, ok := strings.Cut(name, "."); ok && p.resources[target] {
		p.addRef(target, at, site{res: s.res, path: s.path})
		return "", false
	}
	p.warn(at, "Fn::Sub variable ${"+clip(name)+"} is undefined", "the value is treated as unknown")
	return "", false
}

// join evaluates Fn::Join [delimiter, list].
func (p *parser) join(arg, at *yaml.Node, s site) cty.Value {
	a, ok := p.args("Fn::Join", arg, at, 2, 2)
	if !ok {
		return cty.DynamicVal
	}
	delim, dok := graph.AsString(p.argValue(a[0], s))
	parts, lok := asStrings(p.argValue(a[1], s))
	if !dok || !lok {
		return cty.DynamicVal
	}
	n := len(delim) * len(parts)
	for _, s := range parts {
		n += len(s)
	}
	if !p.spend(at, n) {
		return cty.DynamicVal
	}
	return cty.StringVal(strings.Join(parts, delim))
}

// selectFn evaluates Fn::Select [index, list].
func (p *parser) selectFn(arg, at *yaml.Node, s site) cty.Value {
	a, ok := p.args("Fn::Select", arg, at, 2, 2)
	if !ok {
		return cty.DynamicVal
	}
	idx, iok := graph.AsString(p.argValue(a[0], s))
	list := p.argValue(a[1], s)
	if !iok || !list.IsKnown() || list.IsNull() {
		return cty.DynamicVal
	}
	ty := list.Type()
	if !ty.IsTupleType() && !ty.IsListType() {
		return cty.DynamicVal
	}
	i, err := strconv.Atoi(idx)
	if err != nil || i < 0 || i >= list.LengthInt() {
		p.warn(at, "Fn::Select index "+idx+" is not within the list", "the value is treated as unknown")
		return cty.DynamicVal
	}
	return list.Index(cty.NumberIntVal(int64(i)))
}

// split evaluates Fn::Split [delimiter, string].
func (p *parser) split(arg, at *yaml.Node, s site) cty.Value {
	a, ok := p.args("Fn::Split", arg, at, 2, 2)
	if !ok {
		return cty.DynamicVal
	}
	delim, dok := graph.AsString(p.argValue(a[0], s))
	src, sok := graph.AsString(p.argValue(a[1], s))
	if !dok || !sok || !p.spend(at, len(src)) {
		return cty.DynamicVal
	}
	parts := strings.Split(src, delim)
	items := make([]cty.Value, len(parts))
	for i, part := range parts {
		if !p.tick(at) {
			return cty.DynamicVal
		}
		items[i] = cty.StringVal(part)
	}
	return cty.TupleVal(items)
}

// findInMap evaluates Fn::FindInMap [map, top key, second key], with the
// optional {DefaultValue: v} of AWS::LanguageExtensions.
func (p *parser) findInMap(arg, at *yaml.Node, s site) cty.Value {
	a, ok := p.args("Fn::FindInMap", arg, at, 3, 4)
	if !ok {
		return cty.DynamicVal
	}
	keys := make([]string, 3)
	known := true
	for i := range keys {
		k, ok := graph.AsString(p.argValue(a[i], s))
		keys[i], known = k, known && ok
	}
	var def *yaml.Node
	if len(a) == 4 {
		def = field(p.pairs(a[3]), "DefaultValue")
	}
	if !known {
		if def != nil {
			p.argValue(def, s)
		}
		return cty.DynamicVal
	}
	n := field(p.pairs(field(p.pairs(field(p.mappings, keys[0])), keys[1])), keys[2])
	if n == nil {
		if def != nil {
			return p.argValue(def, s)
		}
		p.warn(at, "Fn::FindInMap finds no "+clip(strings.Join(keys, "/"))+" in Mappings", "the value is treated as unknown")
		return cty.DynamicVal
	}
	// Mapping values are literals, so they name no resource.
	v, ok := p.eval(n, site{})
	if !ok {
		return cty.DynamicVal
	}
	return v
}

// ifFn evaluates Fn::If [condition, value if true, value if false].
func (p *parser) ifFn(arg, at *yaml.Node, s site) (cty.Value, bool) {
	a, ok := p.args("Fn::If", arg, at, 3, 3)
	if !ok {
		return cty.DynamicVal, true
	}
	name := deref(a[0])
	if !isString(name) || !p.spend(name, len(name.Value)) {
		if !p.halted {
			p.warn(at, "Fn::If expects a condition name", "the value is treated as unknown")
		}
		return cty.DynamicVal, true
	}
	switch p.condition(name.Value, name) {
	case triTrue:
		return p.eval(a[1], s)
	case triFalse:
		return p.eval(a[2], s)
	}
	// Either branch may be deployed: keep the references of both, but the
	// value and its inner ranges are undecided.
	p.eval(a[1], s.arg())
	p.eval(a[2], s.arg())
	return cty.DynamicVal, true
}

// asStrings reads a known list of known primitives.
func asStrings(v cty.Value) ([]string, bool) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return nil, false
	}
	ty := v.Type()
	if !ty.IsTupleType() && !ty.IsListType() {
		return nil, false
	}
	out := make([]string, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, ok := graph.AsString(e)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}
