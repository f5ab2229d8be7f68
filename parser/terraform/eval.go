package terraform

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// Root is the evaluated root module and everything it calls.
type Root struct {
	Resources []*graph.Resource
	// Files are the display names of the configuration files read, sorted.
	Files []string
	// Diagnostics about the input, sorted and without repeats.
	Diagnostics graph.Diagnostics
}

// LoadRoot evaluates the root module in dir (a path inside the file
// system, "." for its top) and every module it calls. Problems with the
// input come back as diagnostics; evaluation goes on around them.
func (l *Loader) LoadRoot(dir string) *Root {
	e := &evaluator{
		l:         l,
		stack:     l.display(dir),
		rootDir:   dir,
		installed: l.installedModules(dir),
		files:     map[string]bool{},
	}
	e.funcs = e.functionsFor()
	e.module(e.load(dir), "", "", nil, nil)
	files := make([]string, 0, len(e.files))
	for f := range e.files {
		files = append(files, f)
	}
	slices.Sort(files)
	return &Root{Resources: e.out, Files: files, Diagnostics: dedupe(e.diags)}
}

type evaluator struct {
	l         *Loader
	stack     string
	rootDir   string
	installed map[string]string
	files     map[string]bool
	funcs     map[string]function.Function
	// instances counts expansion against Options.MaxInstances.
	instances  int
	overBudget bool
	out        []*graph.Resource
	diags      graph.Diagnostics
	// strs interns strings the resources keep (see intern), values the
	// attribute values.
	strs   map[string]string
	values graph.Interner
}

// load returns the parsed module in dir, noting its files and problems
// once per root.
func (e *evaluator) load(dir string) *module {
	m := e.l.load(dir)
	if len(m.names) > 0 && e.files[m.names[0]] {
		return m
	}
	for _, n := range m.names {
		e.files[n] = true
	}
	e.diags = append(e.diags, m.diags...)
	for _, f := range m.providerFuncs {
		if _, ok := e.funcs[f]; !ok {
			// Provider-defined functions need the provider plugin, which
			// a scanner never runs: their results are unknown.
			e.funcs[f] = unknownVariadicFunc(cty.DynamicPseudoType)
		}
	}
	return m
}

// scope is one module instance under evaluation.
type scope struct {
	mod    *module
	path   string // "module.app[0]"; empty for the root
	vars   map[string]cty.Value
	locals map[string]cty.Value
	// res and data hold, by type then name, the value of every resource
	// and data source evaluated so far (unknown until then); mods the
	// outputs of module calls.
	res  map[string]map[string]cty.Value
	data map[string]map[string]cty.Value
	mods map[string]cty.Value
	// read lists, by node key, the attributes other expressions read from
	// it: those the configuration does not set are added as unknowns, so
	// that reading them is "unknown", not an error.
	read      map[string]map[string]bool
	providers map[string]*providerConf
	// iterators are the names of dynamic block iterators in scope: they
	// are not references to resources.
	iterators map[string]int
	// focus is the node under evaluation, if any; cached the variables
	// of its context.
	focus  *node
	cached map[string]cty.Value
	// varSrc, localSrc and modSrc (by call, then output) are the
	// resources the values of variables, locals and module outputs come
	// from: see sources.
	varSrc   map[string][]source
	localSrc map[string][]source
	modSrc   map[string]map[string][]source
	// varObj, pathObj and localObj are the var, path and local objects of
	// the context, built once rather than for every node: they do not
	// change while a module instance is evaluated, except localObj, which
	// publishing a local makes stale.
	varObj, pathObj, localObj cty.Value
	haveVarObj, haveLocalObj  bool
}

func (e *evaluator) warn(rg hcl.Range, summary, detail string) {
	e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Warning, Summary: summary, Detail: detail, Range: RangeOf(rg)})
}

// moduleInput is what a module call passes to one instance of a module.
type moduleInput struct {
	values map[string]cty.Value
	// sources are, by variable, the resources each input's value comes
	// from, so references through variables still link the graph.
	sources   map[string][]source
	providers map[string]*providerConf
}

// module evaluates one module instance and returns its outputs and, by
// output, the resources their values come from. in is nil for the root,
// whose variables come from variable files; callKey is the modules.json
// key of the call ("app.db"); visiting guards against a module calling
// itself.
func (e *evaluator) module(m *module, modPath, callKey string, in *moduleInput, visiting []string) (cty.Value, map[string][]source) {
	s := &scope{mod: m, path: modPath, locals: map[string]cty.Value{},
		res: map[string]map[string]cty.Value{}, data: map[string]map[string]cty.Value{},
		mods: map[string]cty.Value{}, iterators: map[string]int{},
		localSrc: map[string][]source{}, modSrc: map[string]map[string][]source{}}
	var providers map[string]*providerConf
	if in == nil {
		s.vars = e.rootVariables(m)
	} else {
		s.vars = e.moduleVariables(m, in.values)
		s.varSrc, providers = in.sources, in.providers
	}
	g := m.graph()
	s.read = g.read
	// Everything starts unknown: a reference to a node caught in a cycle,
	// or to one not evaluated yet, reads as unknown.
	for _, n := range g.nodes {
		e.publish(s, n.key, cty.DynamicVal)
	}
	sorted, cyclic := g.sorted, g.cyclic
	// Provider configurations are commonly written from locals (region =
	// local.region). Locals that read only variables and other such locals
	// are evaluated first, so the providers see them; the rest of the
	// module then sees the providers.
	e.pureLocals(s, sorted)
	s.providers = e.providers(s, providers)
	for _, n := range sorted {
		e.node(s, n, callKey, visiting)
	}
	// Cycle members are reported; locals in one are unknown, blocks are
	// evaluated with the references into the cycle unknown. What only
	// depends on a cycle is then evaluated as usual: unknown where the
	// cycle reaches it, without a report of its own.
	members, downstream := splitCycles(cyclic)
	if len(members) > 0 && !slices.ContainsFunc(members, func(n *node) bool { return n.block == nil || n.block.Type != "module" }) {
		e.moduleCycle(s, members, callKey, visiting)
		members = nil
	}
	for _, n := range members {
		if n.local != nil {
			e.warn(n.local.Range, fmt.Sprintf("%s depends on itself through other locals; treated as unknown", n.key), cycleDetail(members))
			continue
		}
		e.warn(n.rng, n.key+" is part of a dependency cycle; the references in it are unknown", cycleDetail(members))
		e.node(s, n, callKey, visiting)
	}
	rest, _ := order(downstream)
	for _, n := range rest {
		e.node(s, n, callKey, visiting)
	}
	return e.outputs(s)
}

// moduleCycle evaluates module calls that depend on each other as whole
// modules (a cluster module reading a role module's ARN, the role module
// reading the cluster's OIDC issuer). Terraform links single inputs and
// outputs, so such calls are usually no cycle at all; evaluating the
// calls again with the outputs of the previous round reaches the same
// values, and each round replaces the resources of the one before.
func (e *evaluator) moduleCycle(s *scope, members []*node, callKey string, visiting []string) {
	out, diags, instances := len(e.out), len(e.diags), e.instances
	var prev []cty.Value
	for round := 0; round <= len(members); round++ {
		e.out, e.diags, e.instances = e.out[:out], e.diags[:diags], instances
		cur := make([]cty.Value, len(members))
		for i, n := range members {
			e.node(s, n, callKey, visiting)
			cur[i] = s.mods[n.block.Labels[0]]
		}
		if prev != nil && slices.EqualFunc(prev, cur, cty.Value.RawEquals) {
			return
		}
		prev = cur
	}
	e.warn(members[0].rng, "module calls depend on each other's outputs in a cycle; values that go round it are unknown", cycleDetail(members))
}

// pureLocals evaluates, in dependency order, the locals whose
// expressions read nothing but variables, path, terraform and other such
// locals. Their values do not depend on providers or resources.
func (e *evaluator) pureLocals(s *scope, sorted []*node) {
	pure := map[string]bool{}
	for _, n := range sorted {
		if n.local == nil {
			continue
		}
		ok := true
		for _, tr := range n.local.Expr.Variables() {
			switch tr.RootName() {
			case "var", "path", "terraform":
				continue
			case "local":
				if len(tr) > 1 {
					if a, isAttr := tr[1].(hcl.TraverseAttr); isAttr && pure[a.Name] {
						continue
					}
				}
			}
			ok = false
			break
		}
		if ok {
			e.node(s, n, "", nil)
			pure[n.local.Name] = true
		}
	}
}

// node evaluates one node and publishes its value to the scope.
func (e *evaluator) node(s *scope, n *node, callKey string, visiting []string) {
	s.focus, s.cached = n, nil
	defer func() { s.focus, s.cached = nil, nil }()
	switch {
	case n.local != nil:
		e.publish(s, n.key, e.evalValue(n.local.Expr, e.ctx(s, nil)))
		s.localSrc[n.local.Name] = e.sources(s, n.local.Expr)
	case n.block.Type == "module":
		v, src := e.moduleCall(s, n.block, callKey, append(visiting, s.mod.dir))
		e.publish(s, n.key, v)
		s.modSrc[n.block.Labels[0]] = src
	case n.block.Type == "data":
		e.publish(s, n.key, e.resource(s, n.block, graph.Data))
	default:
		e.publish(s, n.key, e.resource(s, n.block, graph.Managed))
	}
}

// publish records the value of a node under its key.
func (e *evaluator) publish(s *scope, key string, v cty.Value) {
	s.cached = nil
	switch {
	case strings.HasPrefix(key, "local."):
		s.locals[strings.TrimPrefix(key, "local.")] = v
		s.haveLocalObj = false
	case strings.HasPrefix(key, "module."):
		s.mods[strings.TrimPrefix(key, "module.")] = v
	case strings.HasPrefix(key, "data."):
		t, n, _ := strings.Cut(strings.TrimPrefix(key, "data."), ".")
		if s.data[t] == nil {
			s.data[t] = map[string]cty.Value{}
		}
		s.data[t][n] = v
	default:
		t, n, _ := strings.Cut(key, ".")
		if s.res[t] == nil {
			s.res[t] = map[string]cty.Value{}
		}
		s.res[t][n] = v
	}
}

// ctx builds the evaluation context of s, with count/each as given.
func (e *evaluator) ctx(s *scope, extra map[string]cty.Value) *hcl.EvalContext {
	if s.cached == nil {
		s.cached = e.buildVars(s)
	}
	vars := s.cached
	if len(extra) > 0 {
		vars = maps.Clone(vars)
		for k, v := range extra {
			vars[k] = v
		}
	}
	return &hcl.EvalContext{Variables: vars, Functions: e.funcs}
}

// buildVars builds the variables of s's evaluation context. While a node
// is evaluated (s.focus), only the resources, data sources and module
// calls it references are included: rebuilding every object of a large
// module for each node would make evaluation quadratic.
func (e *evaluator) buildVars(s *scope) map[string]cty.Value {
	if !s.haveVarObj {
		s.varObj, s.haveVarObj = objectOf(s.vars), true
		s.pathObj = cty.ObjectVal(map[string]cty.Value{
			"module": cty.StringVal(relPath(e.rootDir, s.mod.dir)),
			"root":   cty.StringVal("."),
			"cwd":    cty.StringVal("."),
		})
	}
	if !s.haveLocalObj {
		s.localObj, s.haveLocalObj = objectOf(s.locals), true
	}
	mods := s.mods
	res, data := s.res, s.data
	if s.focus != nil {
		mods = map[string]cty.Value{}
		res, data = map[string]map[string]cty.Value{}, map[string]map[string]cty.Value{}
		for _, d := range slices.Concat(s.focus.deps, s.focus.settled) {
			switch {
			case strings.HasPrefix(d, "local."):
			case strings.HasPrefix(d, "module."):
				n := strings.TrimPrefix(d, "module.")
				mods[n] = s.mods[n]
			case strings.HasPrefix(d, "data."):
				t, n, _ := strings.Cut(strings.TrimPrefix(d, "data."), ".")
				if data[t] == nil {
					data[t] = map[string]cty.Value{}
				}
				data[t][n] = s.data[t][n]
			default:
				t, n, _ := strings.Cut(d, ".")
				if res[t] == nil {
					res[t] = map[string]cty.Value{}
				}
				res[t][n] = s.res[t][n]
			}
		}
	}
	// Sized for everything it gets: growing it was a measurable share of
	// the garbage of large modules.
	vars := make(map[string]cty.Value, 8+len(res))
	vars["var"] = s.varObj
	vars["local"] = s.localObj
	vars["self"] = cty.DynamicVal
	// Ephemeral resources exist only during a run: never known.
	vars["ephemeral"] = cty.DynamicVal
	vars["terraform"] = terraformObj
	vars["path"] = s.pathObj
	vars["module"] = objectOf(mods)
	dataVars := map[string]cty.Value{}
	for t, byName := range data {
		dataVars[t] = objectOf(byName)
	}
	vars["data"] = objectOf(dataVars)
	for t, byName := range res {
		vars[t] = objectOf(byName)
	}
	return vars
}

// terraformObj is the terraform object of every context.
// terraform.applying is false while planning, which is what a static scan
// models.
var terraformObj = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default"), "applying": cty.False})

// relPath is target relative to base, both slash paths inside the file
// system, as Terraform shows path.module: "." for the root module,
// "modules/app" or "../shared" for others.
func relPath(base, target string) string {
	if base == "." {
		return target
	}
	b, t := strings.Split(base, "/"), strings.Split(target, "/")
	if target == "." {
		t = nil
	}
	i := 0
	for i < len(b) && i < len(t) && b[i] == t[i] {
		i++
	}
	var parts []string
	for range b[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, t[i:]...)
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}

func objectOf(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

// eval evaluates expr, turning any failure into an unknown value and a
// warning: a scanner must keep going where Terraform would stop.
func (e *evaluator) eval(expr hcl.Expression, ctx *hcl.EvalContext) cty.Value {
	v, diags := expr.Value(ctx)
	if diags.HasErrors() && ctx != nil {
		// A resource's attributes are only partly known: a splat or an
		// index over an attribute the configuration does not set fails on
		// the partial object. Retried with the referenced resources,
		// data sources and modules wholly unknown, the result is what
		// Terraform could know before apply.
		if retry := unknownRefs(expr, ctx); retry != nil {
			if v2, d2 := expr.Value(retry); !d2.HasErrors() {
				return v2
			}
		}
	}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		rg := expr.Range()
		if d.Subject != nil {
			rg = *d.Subject
		}
		summary := d.Summary
		if d.Summary == "Call to unknown function" {
			summary = "function not evaluated"
		}
		e.warn(rg, summary+"; the value is treated as unknown", d.Detail)
	}
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "default"}, {Name: "nullable"}},
}

type variableDecl struct {
	name       string
	ty         cty.Type
	defaults   *typeexpr.Defaults
	def        cty.Value
	hasDefault bool
	// notNullable is `nullable = false`: a null input takes the default.
	notNullable bool
	rng         hcl.Range
}

// declarations returns the module's variable declarations, read once per
// module: a module called for every key of a large map would otherwise
// decode the same blocks for each instance. Their problems are reported to
// every evaluator that asks, as when each read them itself.
func (e *evaluator) declarations(m *module) []variableDecl {
	m.declOnce.Do(func() {
		scratch := &evaluator{l: e.l}
		m.decls = scratch.readDeclarations(m)
		m.declDiags = scratch.diags
	})
	e.diags = append(e.diags, m.declDiags...)
	return m.decls
}

func (e *evaluator) readDeclarations(m *module) []variableDecl {
	var out []variableDecl
	for _, b := range m.variables {
		d := variableDecl{name: b.Labels[0], ty: cty.DynamicPseudoType, rng: b.DefRange}
		content, _, diags := b.Body.PartialContent(variableSchema)
		e.diags = append(e.diags, convertDiags(diags)...)
		if a, ok := content.Attributes["type"]; ok {
			ty, defs, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
			if diags.HasErrors() {
				e.warn(a.Range, "invalid variable type; treated as any", diags.Error())
			} else {
				d.ty, d.defaults = ty, defs
			}
		}
		if a, ok := content.Attributes["nullable"]; ok {
			if v := e.eval(a.Expr, nil); v.IsKnown() && !v.IsNull() && v.Type() == cty.Bool {
				d.notNullable = v.False()
			}
		}
		if a, ok := content.Attributes["default"]; ok {
			d.def, d.hasDefault = e.eval(a.Expr, nil), true
		}
		out = append(out, d)
	}
	return out
}

// convertVar applies the declared type, with optional attribute defaults,
// as Terraform does before any expression sees the value.
func (e *evaluator) convertVar(d variableDecl, v cty.Value, rng hcl.Range) cty.Value {
	if v.IsNull() {
		return cty.NullVal(d.ty)
	}
	if d.defaults != nil {
		v = d.defaults.Apply(v)
	}
	out, err := convert.Convert(v, d.ty)
	if err != nil {
		e.warn(rng, fmt.Sprintf("value of variable %q does not match its type", d.name), err.Error())
		return cty.UnknownVal(d.ty)
	}
	return out
}

func (e *evaluator) rootVariables(m *module) map[string]cty.Value {
	decls := e.declarations(m)
	given := e.variableFiles(m.dir)
	out := map[string]cty.Value{}
	for _, d := range decls {
		switch {
		case given[d.name].expr != nil:
			g := given[d.name]
			out[d.name] = e.convertVar(d, e.eval(g.expr, nil), g.expr.Range())
		case d.hasDefault:
			out[d.name] = e.convertVar(d, d.def, d.rng)
		default:
			// A required variable with no value: unknown, not an error.
			out[d.name] = cty.UnknownVal(d.ty)
		}
	}
	// -var wins over every file.
	for _, d := range decls {
		if raw, ok := e.l.opts.Vars[d.name]; ok {
			out[d.name] = e.convertVar(d, cliVar(d, raw), d.rng)
		}
	}
	return out
}

// cliVar reads a -var value the way Terraform does: literally for string
// variables, as an HCL expression otherwise.
func cliVar(d variableDecl, raw string) cty.Value {
	if d.ty == cty.String {
		return cty.StringVal(raw)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), "<var>", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.StringVal(raw)
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.StringVal(raw)
	}
	return v
}

type givenVar struct{ expr hcl.Expression }

// variableFiles reads terraform.tfvars, terraform.tfvars.json, then
// *.auto.tfvars(.json) in lexical order, then the files given as options;
// a later file wins, as in Terraform.
func (e *evaluator) variableFiles(dir string) map[string]givenVar {
	var files []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if _, err := fs.Stat(e.l.fsys, path.Join(dir, n)); err == nil {
			files = append(files, path.Join(dir, n))
		}
	}
	entries, _ := fs.ReadDir(e.l.fsys, dir)
	var auto []string
	for _, en := range entries {
		n := en.Name()
		if !en.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
			auto = append(auto, path.Join(dir, n))
		}
	}
	slices.Sort(auto)
	files = append(files, auto...)
	files = append(files, e.l.opts.VarFiles...)
	out := map[string]givenVar{}
	p := hclparse.NewParser()
	for _, fp := range files {
		src, err := fs.ReadFile(e.l.fsys, fp)
		if err != nil {
			e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Error, Summary: "cannot read variable file",
				Detail: err.Error(), Range: graph.Range{Filename: e.l.display(fp)}})
			continue
		}
		var f *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(fp, ".json") {
			f, diags = p.ParseJSON(src, e.l.display(fp))
		} else {
			f, diags = p.ParseHCL(src, e.l.display(fp))
		}
		e.diags = append(e.diags, convertDiags(diags)...)
		if f == nil {
			continue
		}
		attrs, diags := f.Body.JustAttributes()
		e.diags = append(e.diags, convertDiags(diags)...)
		for name, a := range attrs {
			out[name] = givenVar{expr: a.Expr}
		}
	}
	return out
}

func (e *evaluator) moduleVariables(m *module, inputs map[string]cty.Value) map[string]cty.Value {
	out := map[string]cty.Value{}
	for _, d := range e.declarations(m) {
		v, ok := inputs[d.name]
		switch {
		// A null input overrides the default unless the variable is
		// declared `nullable = false`, as in Terraform.
		case ok && !(v.IsKnown() && v.IsNull() && d.hasDefault && d.notNullable):
			out[d.name] = e.convertVar(d, v, d.rng)
		case d.hasDefault:
			out[d.name] = e.convertVar(d, d.def, d.rng)
		default:
			out[d.name] = cty.UnknownVal(d.ty)
		}
	}
	return out
}

func dedupe(ds graph.Diagnostics) graph.Diagnostics {
	ds.Sort()
	return slices.CompactFunc(ds, func(a, b graph.Diagnostic) bool { return a.String() == b.String() })
}

// unknownRefs returns a child of ctx in which every resource, data source
// and module that expr references is unknown, or nil when it references
// none.
func unknownRefs(expr hcl.Expression, ctx *hcl.EvalContext) *hcl.EvalContext {
	vars := map[string]cty.Value{}
	for _, tr := range expr.Variables() {
		switch root := tr.RootName(); root {
		case "var", "local", "each", "count", "path", "terraform", "self", "ephemeral":
		default:
			// Only the module's own context holds resources; child
			// contexts hold dynamic block iterators, which are not.
			top := ctx
			for top.Parent() != nil {
				top = top.Parent()
			}
			if _, ok := top.Variables[root]; ok {
				vars[root] = cty.DynamicVal
			}
		}
	}
	if len(vars) == 0 {
		return nil
	}
	child := ctx.NewChild()
	child.Variables = vars
	child.Functions = ctx.Functions
	return child
}
