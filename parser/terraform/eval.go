package terraform

import (
	"fmt"
	"io/fs"
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
		installed: l.installedModules(dir),
		files:     map[string]bool{},
	}
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
	installed map[string]string
	files     map[string]bool
	out       []*graph.Resource
	diags     graph.Diagnostics
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
	return m
}

// scope is one module instance under evaluation.
type scope struct {
	mod     *module
	path    string // "module.app[0]"; empty for the root
	vars    map[string]cty.Value
	locals  map[string]cty.Value
	typeVar map[string]bool // resource types and other names that evaluate to unknown
}

func (e *evaluator) warn(rg hcl.Range, summary, detail string) {
	e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Warning, Summary: summary, Detail: detail, Range: toRange(rg)})
}

// module evaluates one module instance. inputs is nil for the root, whose
// variables come from variable files; callKey is the modules.json key of
// the call ("app.db"); visiting guards against a module calling itself.
func (e *evaluator) module(m *module, modPath, callKey string, inputs map[string]cty.Value, visiting []string) {
	s := &scope{mod: m, path: modPath, locals: map[string]cty.Value{}}
	if inputs == nil {
		s.vars = e.rootVariables(m)
	} else {
		s.vars = e.moduleVariables(m, inputs)
	}
	e.evalLocals(s)
	for _, call := range m.calls {
		e.moduleCall(s, call, callKey, append(visiting, m.dir))
	}
	for _, b := range m.resources {
		e.resource(s, b, graph.Managed)
	}
	for _, b := range m.data {
		e.resource(s, b, graph.Data)
	}
}

// ctx builds the evaluation context of s, with count/each as given.
func (e *evaluator) ctx(s *scope, extra map[string]cty.Value) *hcl.EvalContext {
	vars := map[string]cty.Value{
		"var":       objectOf(s.vars),
		"local":     objectOf(s.locals),
		"module":    cty.DynamicVal,
		"data":      cty.DynamicVal,
		"self":      cty.DynamicVal,
		"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}),
		"path": cty.ObjectVal(map[string]cty.Value{
			"module": cty.StringVal(s.mod.dir),
			"root":   cty.StringVal("."),
			"cwd":    cty.StringVal("."),
		}),
	}
	// Resource attributes are known only after apply, except what the
	// configuration writes literally; references to them stay unknown.
	for _, b := range s.mod.resources {
		vars[b.Labels[0]] = cty.DynamicVal
	}
	for k, v := range extra {
		vars[k] = v
	}
	return &hcl.EvalContext{Variables: vars, Functions: functions}
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
	Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "default"}},
}

type variableDecl struct {
	name       string
	ty         cty.Type
	defaults   *typeexpr.Defaults
	def        cty.Value
	hasDefault bool
	rng        hcl.Range
}

func (e *evaluator) declarations(m *module) []variableDecl {
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
		case ok && !(v.IsKnown() && v.IsNull() && d.hasDefault):
			out[d.name] = e.convertVar(d, v, d.rng)
		case d.hasDefault:
			out[d.name] = e.convertVar(d, d.def, d.rng)
		default:
			out[d.name] = cty.UnknownVal(d.ty)
		}
	}
	return out
}

// evalLocals evaluates locals in dependency order, whatever order they are
// written in; those left in a cycle become unknown with a diagnostic.
func (e *evaluator) evalLocals(s *scope) {
	pending := slices.Clone(s.mod.locals)
	names := map[string]bool{}
	for _, a := range pending {
		names[a.Name] = true
	}
	for len(pending) > 0 {
		var next []*hcl.Attribute
		ctx := e.ctx(s, nil)
		for _, a := range pending {
			if waitsOnLocal(a.Expr, s.locals, names) {
				next = append(next, a)
				continue
			}
			s.locals[a.Name] = e.evalValue(a.Expr, ctx)
		}
		if len(next) == len(pending) {
			for _, a := range next {
				e.warn(a.Range, fmt.Sprintf("local.%s depends on itself through other locals; treated as unknown", a.Name), "")
				s.locals[a.Name] = cty.DynamicVal
			}
			return
		}
		pending = next
	}
}

func waitsOnLocal(expr hcl.Expression, done map[string]cty.Value, declared map[string]bool) bool {
	for _, tr := range expr.Variables() {
		if tr.RootName() != "local" || len(tr) < 2 {
			continue
		}
		if a, ok := tr[1].(hcl.TraverseAttr); ok && declared[a.Name] {
			if _, ok := done[a.Name]; !ok {
				return true
			}
		}
	}
	return false
}

func dedupe(ds graph.Diagnostics) graph.Diagnostics {
	ds.Sort()
	return slices.CompactFunc(ds, func(a, b graph.Diagnostic) bool { return a.String() == b.String() })
}
