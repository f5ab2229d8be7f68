package terraform

import (
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/parser/tfschema"
	"github.com/zclconf/go-cty/cty"
)

// metaArgs are Terraform's own arguments, not the resource's attributes.
var metaArgs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true}

// skippedBlocks say how Terraform runs, not what the cloud holds.
var skippedBlocks = map[string]bool{"lifecycle": true, "provisioner": true, "connection": true}

// metaAttributes returns the attributes of a block body that carry
// meta-arguments, whatever the syntax.
func metaAttributes(body hcl.Body) hcl.Attributes {
	if sb, ok := body.(*hclsyntax.Body); ok {
		out := hcl.Attributes{}
		for n, a := range sb.Attributes {
			out[n] = a.AsHCLAttribute()
		}
		return out
	}
	attrs, _ := body.JustAttributes()
	return attrs
}

func (e *evaluator) resource(s *scope, b *hcl.Block, mode graph.Mode) {
	typ, name := b.Labels[0], b.Labels[1]
	what := typ + "." + name
	if mode == graph.Data {
		what = "data." + what
	}
	for _, inst := range e.expand(s, metaAttributes(b.Body), what) {
		r := &graph.Resource{
			Addr: graph.Address{
				Stack: e.stack, Kind: graph.TerraformAddr, Module: s.path,
				Mode: mode, Type: typ, Name: name, InstanceKey: inst.key,
			},
			Format:     graph.Terraform,
			Range:      toRange(b.DefRange),
			AttrRanges: map[string]graph.Range{},
		}
		r.Attrs = e.body(b.Body, e.ctx(s, inst.extra), "", r, true)
		tfschema.Fill(r)
		e.out = append(e.out, r)
	}
}

// body evaluates a block body into an object. Nested blocks become lists
// of objects under their type name, in the order written, which is the
// shape Terraform's plan gives them; ranges and references are recorded on
// r under the attribute path convention of package tfschema.
func (e *evaluator) body(body hcl.Body, ctx *hcl.EvalContext, prefix string, r *graph.Resource, top bool) cty.Value {
	vals := map[string]cty.Value{}
	sb, native := body.(*hclsyntax.Body)
	if !native {
		// JSON syntax has no schema-free way to tell blocks from
		// attributes: nested blocks come back as object or array values,
		// which tfschema accepts in either shape.
		attrs, _ := body.JustAttributes()
		for _, a := range sortedAttrs(attrs) {
			if top && (metaArgs[a.Name] || skippedBlocks[a.Name]) {
				continue
			}
			e.attribute(a, ctx, prefix, r, vals)
		}
		return cty.ObjectVal(vals)
	}
	names := make([]string, 0, len(sb.Attributes))
	for n := range sb.Attributes {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if top && metaArgs[n] {
			continue
		}
		e.attribute(sb.Attributes[n].AsHCLAttribute(), ctx, prefix, r, vals)
	}
	lists := map[string][]cty.Value{}
	var order []string
	for _, blk := range sb.Blocks {
		if top && skippedBlocks[blk.Type] {
			continue
		}
		if blk.Type == "dynamic" && len(blk.Labels) == 1 {
			// dynamic blocks generate blocks from a collection; until they
			// are expanded, what they generate cannot be known.
			label := blk.Labels[0]
			vals[label] = cty.DynamicVal
			r.AttrRanges[prefix+label] = toRange(blk.DefRange())
			continue
		}
		if _, ok := lists[blk.Type]; !ok {
			order = append(order, blk.Type)
		}
		p := prefix + blk.Type + "." + strconv.Itoa(len(lists[blk.Type]))
		r.AttrRanges[p] = toRange(blk.DefRange())
		lists[blk.Type] = append(lists[blk.Type], e.body(blk.Body, ctx, p+".", r, false))
	}
	for _, t := range order {
		if _, clash := vals[t]; clash {
			continue
		}
		vals[t] = cty.TupleVal(lists[t])
	}
	return cty.ObjectVal(vals)
}

func (e *evaluator) attribute(a *hcl.Attribute, ctx *hcl.EvalContext, prefix string, r *graph.Resource, vals map[string]cty.Value) {
	p := prefix + a.Name
	vals[a.Name] = e.evalValue(a.Expr, ctx)
	r.AttrRanges[p] = toRange(a.Range)
	for _, tr := range a.Expr.Variables() {
		if target, ok := refTarget(tr); ok {
			r.Refs = append(r.Refs, graph.Ref{Target: target, Attr: p, Range: toRange(tr.SourceRange())})
		}
	}
}

// refTarget turns a traversal into the address it names inside its
// module: "aws_iam_role.app", "data.aws_ami.x", `aws_subnet.a["x"]`.
func refTarget(tr hcl.Traversal) (string, bool) {
	root := tr.RootName()
	switch root {
	case "var", "local", "each", "count", "path", "terraform", "self", "module":
		return "", false
	}
	rest := tr[1:]
	prefix := ""
	if root == "data" {
		prefix = "data."
		if len(rest) == 0 {
			return "", false
		}
		a, ok := rest[0].(hcl.TraverseAttr)
		if !ok {
			return "", false
		}
		root, rest = a.Name, rest[1:]
	}
	if len(rest) == 0 {
		return "", false
	}
	name, ok := rest[0].(hcl.TraverseAttr)
	if !ok {
		return "", false
	}
	target := prefix + root + "." + name.Name
	if len(rest) > 1 {
		if idx, ok := rest[1].(hcl.TraverseIndex); ok && idx.Key.IsKnown() && !idx.Key.IsNull() {
			switch idx.Key.Type() {
			case cty.Number:
				target += "[" + idx.Key.AsBigFloat().Text('f', 0) + "]"
			case cty.String:
				target += "[" + strconv.Quote(idx.Key.AsString()) + "]"
			}
		}
	}
	return target, true
}

// moduleCall evaluates a module block: its source, its expansion and its
// arguments, then the called module with those as inputs.
func (e *evaluator) moduleCall(s *scope, call *hcl.Block, parentKey string, visiting []string) {
	name := call.Labels[0]
	key := name
	if parentKey != "" {
		key = parentKey + "." + name
	}
	dir, ok := localSource(s.mod.dir, call)
	if !ok {
		dir, ok = e.installed[key]
	}
	if !ok {
		e.warn(call.DefRange, "module "+strconv.Quote(name)+" is not resolved",
			"its source is neither a local path nor installed under .terraform/modules; its resources are not scanned")
		return
	}
	if slices.Contains(visiting, dir) {
		e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error,
			Summary: "module " + strconv.Quote(name) + " calls itself",
			Detail:  "call chain: " + strings.Join(append(visiting, dir), " -> "), Range: toRange(call.DefRange)})
		return
	}
	if len(visiting) >= e.l.opts.MaxModuleDepth {
		e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error,
			Summary: "modules nested too deeply", Detail: "the limit is " + strconv.Itoa(e.l.opts.MaxModuleDepth),
			Range: toRange(call.DefRange)})
		return
	}
	child := e.load(dir)
	attrs := metaAttributes(call.Body)
	for _, inst := range e.expand(s, attrs, "module."+name) {
		ctx := e.ctx(s, inst.extra)
		inputs := map[string]cty.Value{}
		for n, a := range attrs {
			switch n {
			case "source", "version", "count", "for_each", "providers", "depends_on":
				continue
			}
			inputs[n] = e.evalValue(a.Expr, ctx)
		}
		p := "module." + name + inst.key
		if s.path != "" {
			p = s.path + "." + p
		}
		e.module(child, p, key, inputs, visiting)
	}
}
