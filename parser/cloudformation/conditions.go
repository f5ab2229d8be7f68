package cloudformation

import (
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

// tri is a three-valued truth: a condition that depends on an unknown
// value is neither true nor false.
type tri uint8

const (
	triUnknown tri = iota
	triFalse
	triTrue
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// condition evaluates the named condition once and caches the answer. at
// is where the name is used, for the diagnostic when it is undefined.
func (p *parser) condition(name string, at *yaml.Node) tri {
	if v, ok := p.condCache[name]; ok {
		return v
	}
	n, ok := p.conditions[name]
	if !ok {
		p.warn(at, "undefined condition "+clip(name), "it is treated as unknown")
		return triUnknown
	}
	if p.condBusy[name] {
		p.warn(at, "condition "+clip(name)+" depends on itself", "it is treated as unknown")
		return triUnknown
	}
	p.condBusy[name] = true
	v := p.cond(n)
	delete(p.condBusy, name)
	p.condCache[name] = v
	return v
}

// cond evaluates a condition function.
func (p *parser) cond(n *yaml.Node) tri {
	if !p.tick(n) {
		return triUnknown
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		p.halt(n, "conditions nest too deeply")
		return triUnknown
	}
	n = deref(n)
	if n == nil {
		return triUnknown
	}
	fn, arg, ok := intrinsic(n)
	if !ok && n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		// Inside conditions, {Condition: Name} names another one.
		if k := deref(n.Content[0]); k != nil && k.Kind == yaml.ScalarNode && k.Value == "Condition" {
			fn, arg, ok = "Condition", n.Content[1], true
		}
	}
	if !ok {
		p.warn(n, "condition is not a condition function", "it is treated as unknown")
		return triUnknown
	}
	switch fn {
	case "Condition":
		name := deref(arg)
		if !isString(name) || !p.spend(name, len(name.Value)) {
			if !p.halted {
				p.warn(n, "Condition expects a condition name", "it is treated as unknown")
			}
			return triUnknown
		}
		return p.condition(name.Value, name)
	case "Fn::Equals":
		a, ok := p.args(fn, arg, n, 2, 2)
		if !ok {
			return triUnknown
		}
		// Conditions cannot name resources, so no site.
		x, _ := p.eval(a[0], site{})
		y, _ := p.eval(a[1], site{})
		// Comparing costs the length of both sides, which a Ref to a
		// long parameter makes large without visiting many nodes.
		if !p.spend(n, textSize(x)+textSize(y)) {
			return triUnknown
		}
		return equal(x, y)
	case "Fn::Not":
		a, ok := p.args(fn, arg, n, 1, 1)
		if !ok {
			return triUnknown
		}
		switch p.cond(a[0]) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case "Fn::And", "Fn::Or":
		a, ok := p.args(fn, arg, n, 1, 10)
		if !ok {
			return triUnknown
		}
		// Evaluate every operand, so each one's diagnostics show, then
		// combine: a decisive operand decides even next to unknowns.
		decisive, neutral := triFalse, triTrue
		if fn == "Fn::Or" {
			decisive, neutral = triTrue, triFalse
		}
		out := neutral
		for _, c := range a {
			switch p.cond(c) {
			case decisive:
				out = decisive
			case triUnknown:
				if out != decisive {
					out = triUnknown
				}
			}
		}
		return out
	}
	p.warn(n, clip(fn)+" is not a condition function", "the condition is treated as unknown")
	return triUnknown
}

// equal compares two values as Fn::Equals does: by their string forms.
// Anything not wholly known compares as unknown.
func equal(x, y cty.Value) tri {
	if xs, ok := graph.AsString(x); ok {
		if ys, ok := graph.AsString(y); ok {
			return triOf(xs == ys)
		}
	}
	xl, xok := asStrings(x)
	yl, yok := asStrings(y)
	if !xok || !yok {
		return triUnknown
	}
	if len(xl) != len(yl) {
		return triFalse
	}
	for i := range xl {
		if xl[i] != yl[i] {
			return triFalse
		}
	}
	return triTrue
}

// textSize is the length of the string forms equal compares.
func textSize(v cty.Value) int {
	if s, ok := graph.AsString(v); ok {
		return len(s)
	}
	if l, ok := asStrings(v); ok {
		n := len(l)
		for _, s := range l {
			n += len(s)
		}
		return n
	}
	return 0
}
