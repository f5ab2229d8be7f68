package terraform

import (
	"fmt"
	"io/fs"
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

// resource evaluates one resource or data block: every instance becomes a
// graph resource, and the block's value as other expressions see it (an
// object, a tuple under count, an object by key under for_each) comes back.
func (e *evaluator) resource(s *scope, b *hcl.Block, mode graph.Mode) cty.Value {
	typ, name := b.Labels[0], b.Labels[1]
	what := typ + "." + name
	key := what
	if mode == graph.Data {
		what = "data." + what
		key = what
	}
	meta := metaAttributes(b.Body)
	insts := e.expand(s, meta, what)
	vals := map[string]cty.Value{}
	var list []cty.Value
	for _, inst := range insts {
		ctx := e.ctx(s, inst.extra)
		pc := e.resourceProvider(s, meta, typ, ctx)
		r := &graph.Resource{
			Addr: graph.Address{
				Stack: e.stack, Kind: graph.TerraformAddr, Module: s.path,
				Mode: mode, Type: typ, Name: name, InstanceKey: inst.key,
			},
			Format:   graph.Terraform,
			Range:    RangeOf(b.DefRange),
			Provider: pc.addr,
			Region:   providerValue(pc.region, pc.rng),
			Account:  providerValue(pc.account, pc.rng),
		}
		// count and for_each name what the instances come from, and
		// depends_on what must exist first: edges too, though not
		// attributes.
		for _, m := range []string{"count", "for_each", "depends_on"} {
			if a, ok := meta[m]; ok {
				e.recordRefs(s, a.Expr, ctx, m, r)
			}
		}
		r.Attrs = e.values.Attributes(e.bodyValues(s, b.Body, ctx, "", r, true))
		if mode == graph.Data {
			r.Attrs = e.dataSource(r, pc)
		}
		r.AttrRanges.Sort()
		tfschema.Fill(r)
		e.out = append(e.out, r)
		v := withReadAttrs(r.Attrs, s.read[key])
		list = append(list, v)
		if k, ok := inst.extra["each"]; ok && k.GetAttr("key").IsKnown() {
			vals[k.GetAttr("key").AsString()] = v
		}
	}
	switch {
	case len(insts) == 1 && insts[0].extra == nil:
		return list[0]
	case len(insts) == 1 && insts[0].key == "":
		return cty.DynamicVal // expansion unknown: so is every instance
	case meta["count"] != nil:
		return tupleOf(list)
	}
	return objectOf(vals)
}

func tupleOf(vs []cty.Value) cty.Value {
	if len(vs) == 0 {
		return cty.EmptyTupleVal
	}
	return cty.TupleVal(vs)
}

// providerValue turns a provider's region or account into a graph value:
// known when the configuration writes it, else unknown, pointing at the
// provider block when there is one.
func providerValue(v cty.Value, rg hcl.Range) graph.Value[string] {
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return graph.Known(v.AsString(), RangeOf(rg))
	}
	return graph.UnknownValue[string](RangeOf(rg))
}

// withReadAttrs adds, as unknowns, the attributes other expressions read
// from a resource that its configuration does not set (an ID, an ARN):
// Terraform knows them only after apply.
func withReadAttrs(attrs graph.Attributes, read map[string]bool) cty.Value {
	m := attrs.Map()
	if m == nil {
		return cty.DynamicVal
	}
	for a := range read {
		if _, ok := m[a]; !ok {
			m[a] = cty.DynamicVal
		}
	}
	return objectOf(m)
}

// body evaluates a block body into an object. Nested blocks become lists
// of objects under their type name, in the order written, which is the
// shape Terraform's plan gives them; dynamic blocks are expanded into the
// blocks they generate. Ranges and references are recorded on r under the
// attribute path convention of package tfschema.
func (e *evaluator) body(s *scope, body hcl.Body, ctx *hcl.EvalContext, prefix string, r *graph.Resource, top bool) cty.Value {
	return cty.ObjectVal(e.bodyValues(s, body, ctx, prefix, r, top))
}

// bodyValues is body's attributes and blocks by name, before they make an
// object: a resource keeps its top level as graph.Attributes.
func (e *evaluator) bodyValues(s *scope, body hcl.Body, ctx *hcl.EvalContext, prefix string, r *graph.Resource, top bool) map[string]cty.Value {
	vals := map[string]cty.Value{}
	sb, native := body.(*hclsyntax.Body)
	if !native {
		// JSON syntax has no schema-free way to tell blocks from
		// attributes: nested blocks come back as object or array values,
		// which tfschema accepts in either shape.
		content, rest, _ := body.PartialContent(dynamicSchema)
		attrs, _ := rest.JustAttributes()
		for _, a := range sortedAttrs(attrs) {
			if top && (metaArgs[a.Name] || skippedBlocks[a.Name]) {
				continue
			}
			e.attribute(s, a.Name, a.Expr, a.Range, ctx, prefix, r, vals)
		}
		for _, blk := range content.Blocks {
			label := blk.Labels[0]
			if _, clash := vals[label]; clash {
				continue // both written and generated: Terraform rejects it
			}
			gen, known := e.dynamic(s, jsonDynamic(blk), ctx, prefix, r, 0)
			if known {
				vals[label] = tupleOf(gen)
			} else {
				vals[label] = cty.DynamicVal
				r.AttrRanges.Set(prefix+label, RangeOf(blk.DefRange))
			}
		}
		return vals
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
		// Read the syntax attribute in place: AsHCLAttribute would
		// allocate a copy per attribute of every instance.
		a := sb.Attributes[n]
		e.attribute(s, n, a.Expr, a.SrcRange, ctx, prefix, r, vals)
	}
	lists := map[string][]cty.Value{}
	unknown := map[string]bool{}
	var order []string
	for _, blk := range sb.Blocks {
		if top && skippedBlocks[blk.Type] {
			continue
		}
		if blk.Type == "dynamic" && len(blk.Labels) == 1 {
			label := blk.Labels[0]
			if _, ok := lists[label]; !ok {
				order = append(order, label)
				lists[label] = nil
			}
			gen, known := e.dynamic(s, nativeDynamic(blk), ctx, prefix, r, len(lists[label]))
			if !known {
				unknown[label] = true
				r.AttrRanges.Set(prefix+label, RangeOf(blk.DefRange()))
			}
			lists[label] = append(lists[label], gen...)
			continue
		}
		if _, ok := lists[blk.Type]; !ok {
			order = append(order, blk.Type)
		}
		p := e.intern(prefix + blk.Type + "." + strconv.Itoa(len(lists[blk.Type])))
		r.AttrRanges.Set(p, RangeOf(blk.DefRange()))
		lists[blk.Type] = append(lists[blk.Type], e.body(s, blk.Body, ctx, p+".", r, false))
	}
	for _, t := range order {
		if _, clash := vals[t]; clash {
			continue
		}
		if unknown[t] {
			// A dynamic block over an unknown collection: how many
			// blocks there are, and what they hold, cannot be known.
			vals[t] = cty.DynamicVal
			continue
		}
		vals[t] = tupleOf(lists[t])
	}
	return vals
}

// dynamicSpec is a dynamic block in either syntax.
type dynamicSpec struct {
	label    string
	iterator hcl.Expression // nil when absent
	forEach  *hcl.Attribute // nil when absent
	content  hcl.Body       // nil when absent
	contentR hcl.Range
	defR     hcl.Range
}

func nativeDynamic(blk *hclsyntax.Block) dynamicSpec {
	d := dynamicSpec{label: blk.Labels[0], defR: blk.DefRange()}
	if a, ok := blk.Body.Attributes["iterator"]; ok {
		d.iterator = a.Expr
	}
	if a, ok := blk.Body.Attributes["for_each"]; ok {
		d.forEach = a.AsHCLAttribute()
	}
	for _, c := range blk.Body.Blocks {
		if c.Type == "content" {
			d.content, d.contentR = c.Body, c.DefRange()
			break
		}
	}
	return d
}

var (
	dynamicSchema     = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "dynamic", LabelNames: []string{"type"}}}}
	dynamicBodySchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "for_each"}, {Name: "iterator"}, {Name: "labels"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "content"}},
	}
)

// jsonDynamic reads a dynamic block written in JSON syntax
// ("dynamic": {"ingress": {"for_each": …, "content": {…}}}).
func jsonDynamic(blk *hcl.Block) dynamicSpec {
	d := dynamicSpec{label: blk.Labels[0], defR: blk.DefRange}
	content, _, _ := blk.Body.PartialContent(dynamicBodySchema)
	if content == nil {
		return d
	}
	if a, ok := content.Attributes["iterator"]; ok {
		d.iterator = a.Expr
	}
	d.forEach = content.Attributes["for_each"]
	for _, c := range content.Blocks {
		d.content, d.contentR = c.Body, c.DefRange
		break
	}
	return d
}

// dynamic expands one dynamic block into the blocks it generates, as
// Terraform does: one per element of for_each, with the iterator (the
// block's label unless `iterator` renames it) holding key and value.
// Nested dynamic blocks expand in the content's own body. It reports
// false when the number of blocks cannot be known.
func (e *evaluator) dynamic(s *scope, d dynamicSpec, ctx *hcl.EvalContext, prefix string, r *graph.Resource, start int) ([]cty.Value, bool) {
	label := d.label
	iter := label
	if d.iterator != nil {
		if kw := hcl.ExprAsKeyword(d.iterator); kw != "" {
			iter = kw
		} else {
			e.warn(d.iterator.Range(), "iterator must be a name; the block label is used", "")
		}
	}
	fe := d.forEach
	if d.content == nil || fe == nil {
		e.warn(d.defR, "dynamic block needs for_each and a content block; skipped", "")
		return nil, true
	}
	e.recordRefs(s, fe.Expr, ctx, prefix+label, r)
	coll := e.eval(fe.Expr, ctx)
	// A list or map of unknown elements still has a known length; a
	// set's length depends on its elements.
	if !coll.IsKnown() || (coll.Type().IsSetType() && !coll.IsWhollyKnown()) {
		return nil, false
	}
	if coll.IsNull() || !coll.CanIterateElements() {
		e.warn(fe.Range, "dynamic block for_each is not a collection; treated as unknown", "")
		return nil, false
	}
	s.iterators[iter]++
	defer func() { s.iterators[iter]-- }()
	var out []cty.Value
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if len(out) == maxInstances {
			e.warn(fe.Range, fmt.Sprintf("dynamic %q generates more than %d blocks; the rest are not evaluated", label, maxInstances), "")
			break
		}
		if e.budget(1, fe.Range) == 0 {
			break
		}
		child := ctx.NewChild()
		child.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}
		child.Functions = ctx.Functions
		p := prefix + label + "." + strconv.Itoa(start+len(out))
		r.AttrRanges.Set(p, RangeOf(d.contentR))
		out = append(out, e.body(s, d.content, child, p+".", r, false))
	}
	return out, true
}

func (e *evaluator) attribute(s *scope, name string, expr hcl.Expression, rng hcl.Range, ctx *hcl.EvalContext, prefix string, r *graph.Resource, vals map[string]cty.Value) {
	p := name
	if prefix != "" {
		p = e.intern(prefix + name)
	}
	vals[name] = e.evalValue(expr, ctx)
	r.AttrRanges.Set(p, RangeOf(rng))
	e.recordRefs(s, expr, ctx, p, r)
}

// recordRefs records every reference expr makes to another resource,
// whether or not its value is known: the graph links them either way.
func (e *evaluator) recordRefs(s *scope, expr hcl.Expression, ctx *hcl.EvalContext, attr string, r *graph.Resource) {
	vars := expr.Variables()
	var indexed map[hcl.Pos]string
	for _, tr := range vars {
		if wholeResource(tr) {
			indexed = indexedTargets(expr, ctx)
			break
		}
	}
	for _, tr := range vars {
		if s.iterators[tr.RootName()] > 0 {
			continue
		}
		if target, ok := refTarget(tr); ok {
			if t, ok := indexed[tr.SourceRange().Start]; ok {
				target = t
			}
			r.Refs = append(r.Refs, graph.Ref{Target: e.intern(target), Attr: attr, Range: RangeOf(tr.SourceRange())})
			continue
		}
		// A variable, local or module output carries references made
		// elsewhere: the resource depends on those too.
		for _, src := range e.traversalSources(s, tr) {
			ref := graph.Ref{Target: src.target, Attr: attr, Range: RangeOf(tr.SourceRange())}
			if src.module != s.path {
				ref.Scoped, ref.Module = true, src.module
			}
			r.Refs = append(r.Refs, ref)
		}
	}
}

// wholeResource reports whether a traversal names a resource or data
// source and nothing more (aws_iam_role.web): all its instances, unless an
// index expression around it picks one.
func wholeResource(tr hcl.Traversal) bool {
	switch tr.RootName() {
	case "var", "local", "each", "count", "path", "terraform", "self", "module", "ephemeral":
		return false
	case "data":
		return len(tr) == 3
	}
	return len(tr) == 2
}

// indexedTargets finds the references whose instance an index expression
// picks with a value the context decides: aws_iam_role.web[count.index]
// and aws_subnet.a[each.key] name one instance each, where the traversal
// alone (aws_iam_role.web) would name them all. The result maps the
// start of the traversal to the target with its key.
func indexedTargets(expr hcl.Expression, ctx *hcl.EvalContext) map[hcl.Pos]string {
	se, ok := expr.(hclsyntax.Expression)
	if !ok || ctx == nil {
		return nil
	}
	out := map[hcl.Pos]string{}
	hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		ix, ok := n.(*hclsyntax.IndexExpr)
		if !ok {
			return nil
		}
		st, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		if !ok || !wholeResource(st.Traversal) {
			return nil
		}
		base, ok := refTarget(st.Traversal)
		if !ok {
			return nil
		}
		k, diags := ix.Key.Value(ctx)
		if diags.HasErrors() || !k.IsKnown() || k.IsNull() {
			return nil
		}
		switch k.Type() {
		case cty.Number:
			out[st.SrcRange.Start] = base + "[" + k.AsBigFloat().Text('f', 0) + "]"
		case cty.String:
			out[st.SrcRange.Start] = base + "[" + strconv.Quote(k.AsString()) + "]"
		}
		return nil
	})
	return out
}

// intern returns the evaluator's copy of s: the instances of a module
// repeat the same reference targets and attribute paths, which are kept
// for as long as the graph lives.
func (e *evaluator) intern(s string) string {
	if c, ok := e.strs[s]; ok {
		return c
	}
	if e.strs == nil {
		e.strs = map[string]string{}
	}
	e.strs[s] = s
	return s
}

// refTarget turns a traversal into the address it names inside its
// module: "aws_iam_role.app", "data.aws_ami.x", `aws_subnet.a["x"]`.
func refTarget(tr hcl.Traversal) (string, bool) {
	root := tr.RootName()
	switch root {
	case "var", "local", "each", "count", "path", "terraform", "self", "module", "ephemeral":
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
// arguments, then the called module with those as inputs. It returns the
// call's value as other expressions see it: the outputs, by instance.
func (e *evaluator) moduleCall(s *scope, call *hcl.Block, parentKey string, visiting []string) (cty.Value, map[string][]source) {
	name := call.Labels[0]
	key := name
	if parentKey != "" {
		key = parentKey + "." + name
	}
	dir, ok := localSource(s.mod.dir, call)
	if !ok {
		dir, ok = e.installed[key]
	}
	if src, local := localSourcePath(call); !ok && local {
		// Local code that exists but lies outside what was scanned: the
		// scan is incomplete, not the input wrong.
		e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error,
			Summary: "module " + strconv.Quote(name) + " is outside the scanned directory",
			Detail:  "its source " + strconv.Quote(src) + " leaves the scan root, which Strider never reads beyond; scan a directory that contains both the caller and the module",
			Range:   RangeOf(call.DefRange)})
		return cty.DynamicVal, nil
	}
	if !ok {
		e.warn(call.DefRange, "module "+strconv.Quote(name)+" is not resolved",
			"its source is neither a local path nor installed under .terraform/modules; its resources are not scanned")
		return cty.DynamicVal, nil
	}
	if fi, err := fs.Stat(e.l.fsys, dir); err != nil || !fi.IsDir() {
		// Said at the call, which is what needs fixing, rather than
		// at a directory that is not there.
		src, _ := localSourcePath(call)
		e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error,
			Summary: "module " + strconv.Quote(name) + " has no directory " + strconv.Quote(src),
			Detail:  "its source names a directory that does not exist in the scanned tree; its resources are not scanned",
			Range:   RangeOf(call.DefRange)})
		return cty.DynamicVal, nil
	}
	if slices.Contains(visiting, dir) {
		e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error,
			Summary: "module " + strconv.Quote(name) + " calls itself",
			Detail:  "call chain: " + strings.Join(append(visiting, dir), " -> "), Range: RangeOf(call.DefRange)})
		return cty.DynamicVal, nil
	}
	if len(visiting) >= e.l.opts.MaxModuleDepth {
		e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error,
			Summary: "modules nested too deeply", Detail: "the limit is " + strconv.Itoa(e.l.opts.MaxModuleDepth),
			Range: RangeOf(call.DefRange)})
		return cty.DynamicVal, nil
	}
	child := e.load(dir)
	attrs := metaAttributes(call.Body)
	providers := e.childProviders(s, call)
	insts := e.expand(s, attrs, "module."+name)
	inputSrc := map[string][]source{}
	for n, a := range attrs {
		inputSrc[n] = e.sources(s, a.Expr)
	}
	vals := map[string]cty.Value{}
	outSrc := map[string][]source{}
	var list []cty.Value
	for _, inst := range insts {
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
		v, src := e.module(child, p, key, &moduleInput{values: inputs, sources: inputSrc, providers: providers}, visiting)
		for o, ss := range src {
			outSrc[o] = append(outSrc[o], ss...)
		}
		list = append(list, v)
		if k, ok := inst.extra["each"]; ok && k.GetAttr("key").IsKnown() {
			vals[k.GetAttr("key").AsString()] = v
		}
	}
	switch {
	case len(insts) == 1 && insts[0].extra == nil:
		return list[0], outSrc
	case len(insts) == 1 && insts[0].key == "":
		return cty.DynamicVal, outSrc
	case attrs["count"] != nil:
		return tupleOf(list), outSrc
	}
	return objectOf(vals), outSrc
}

// outputs evaluates a module instance's outputs, which is all its caller
// can see of it, and the resources each comes from.
func (e *evaluator) outputs(s *scope) (cty.Value, map[string][]source) {
	vals := map[string]cty.Value{}
	src := map[string][]source{}
	ctx := e.ctx(s, nil)
	for _, b := range s.mod.outputs {
		attrs := metaAttributes(b.Body)
		if a, ok := attrs["value"]; ok {
			vals[b.Labels[0]] = e.eval(a.Expr, ctx)
			src[b.Labels[0]] = e.sources(s, a.Expr)
		} else {
			vals[b.Labels[0]] = cty.DynamicVal
		}
	}
	return objectOf(vals), src
}
