package terraform

import (
	"encoding/json"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

// Options tune evaluation.
type Options struct {
	// Prefix is prepended to paths inside the file system to form the
	// display names used in ranges and stack names.
	Prefix string
	// VarFiles are extra variable files, read after the automatic ones,
	// as paths inside the file system.
	VarFiles []string
	// Vars are NAME=VALUE assignments that win over every file.
	Vars map[string]string
	// MaxModuleDepth bounds nested module calls; 0 means 32.
	MaxModuleDepth int
	// MaxFileSize skips larger configuration files with a diagnostic; 0
	// means DefaultMaxFileSize.
	MaxFileSize int64
	// MaxInstances bounds all expansion in one root (module instances,
	// resource instances, dynamic blocks): nested modules each with a
	// large count would otherwise multiply beyond any machine. 0 means
	// 100000.
	MaxInstances int
}

// Loader reads Terraform modules from one file system. It caches parsed
// files, so a module called by several roots is parsed once. It is safe
// for concurrent use.
type Loader struct {
	fsys fs.FS
	opts Options

	mu      sync.Mutex
	modules map[string]*module
}

// NewLoader returns a loader reading from fsys, which is the scan root:
// nothing outside it is read.
func NewLoader(fsys fs.FS, opts Options) *Loader {
	if opts.MaxModuleDepth == 0 {
		opts.MaxModuleDepth = 32
	}
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.MaxInstances == 0 {
		opts.MaxInstances = 100_000
	}
	return &Loader{fsys: fsys, opts: opts, modules: map[string]*module{}}
}

// WithVars returns a loader over the same file system and options whose
// variables are vars under l's own: a plan's variables, with the ones
// given to Strider still winning. It parses files afresh: a cache shared
// between loaders would be guarded by two locks.
func (l *Loader) WithVars(vars map[string]string) *Loader {
	if len(vars) == 0 {
		return l
	}
	opts := l.opts
	opts.Vars = make(map[string]string, len(vars)+len(l.opts.Vars))
	for k, v := range vars {
		opts.Vars[k] = v
	}
	for k, v := range l.opts.Vars {
		opts.Vars[k] = v
	}
	return &Loader{fsys: l.fsys, opts: opts, modules: map[string]*module{}}
}

// module is one directory's parsed configuration, before evaluation.
type module struct {
	dir       string
	files     []*hcl.File
	names     []string // display names, parallel to files
	variables []*hcl.Block
	locals    []*hcl.Attribute
	resources []*hcl.Block
	data      []*hcl.Block
	calls     []*hcl.Block
	outputs   []*hcl.Block
	// providerBlocks are the module's provider configurations.
	providerBlocks []*hcl.Block
	// requiredProviders maps local provider names to their source
	// ("hashicorp/aws") as terraform { required_providers } declares.
	requiredProviders map[string]string
	// providerFuncs are the provider-defined functions the module calls
	// ("provider::aws::arn_parse").
	providerFuncs []string
	diags         graph.Diagnostics

	graphOnce sync.Once
	nodeGraph *nodeGraph
	// decls and declDiags are the variable declarations and the problems
	// reading them, worked out once (see evaluator.declarations).
	declOnce  sync.Once
	decls     []variableDecl
	declDiags graph.Diagnostics
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "terraform"},
		{Type: "moved"},
		{Type: "import"},
		{Type: "removed"},
		{Type: "check", LabelNames: []string{"name"}},
		{Type: "ephemeral", LabelNames: []string{"type", "name"}},
	},
}

// IsConfigFile reports whether name is a Terraform or OpenTofu
// configuration file. Override files are included: Terraform merges them,
// and a scanner that skipped them would miss what they change. Test files
// (*.tftest.hcl) are not configuration.
func IsConfigFile(name string) bool {
	for _, ext := range []string{".tf", ".tf.json", ".tofu", ".tofu.json"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// configStem is a configuration file's name without its extension, which
// is how OpenTofu pairs a .tofu file with the .tf file it replaces.
func configStem(name string) string {
	for _, ext := range []string{".tf.json", ".tofu.json", ".tf", ".tofu"} {
		if strings.HasSuffix(name, ext) {
			return strings.TrimSuffix(name, ext)
		}
	}
	return name
}

// isOverride reports whether name is an override file, which Terraform
// merges into the blocks the other files declare.
func isOverride(name string) bool {
	stem := configStem(name)
	return stem == "override" || strings.HasSuffix(stem, "_override")
}

// configFiles picks the files of a module directory in the order
// Terraform reads them: ordinary files, then override files, each in
// lexical order. A .tofu file replaces the .tf file of the same stem, as
// OpenTofu does.
func configFiles(names []string) []string {
	tofu := map[string]bool{}
	for _, n := range names {
		if strings.HasSuffix(n, ".tofu") || strings.HasSuffix(n, ".tofu.json") {
			tofu[configStem(n)] = true
		}
	}
	var plain, over []string
	for _, n := range names {
		if !IsConfigFile(n) {
			continue
		}
		if (strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) && tofu[configStem(n)] {
			continue
		}
		if isOverride(n) {
			over = append(over, n)
		} else {
			plain = append(plain, n)
		}
	}
	slices.Sort(plain)
	slices.Sort(over)
	return append(plain, over...)
}

func (l *Loader) display(p string) string {
	if l.opts.Prefix == "" {
		return p
	}
	return path.Join(l.opts.Prefix, p)
}

// load parses every configuration file in dir once.
func (l *Loader) load(dir string) *module {
	l.mu.Lock()
	m, ok := l.modules[dir]
	l.mu.Unlock()
	if ok {
		return m
	}
	m = l.parseDir(dir)
	l.mu.Lock()
	if prev, ok := l.modules[dir]; ok {
		m = prev
	} else {
		l.modules[dir] = m
	}
	l.mu.Unlock()
	return m
}

func (l *Loader) parseDir(dir string) *module {
	m := &module{dir: dir}
	entries, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		m.diags = append(m.diags, graph.Diagnostic{Severity: graph.Error,
			Summary: "cannot read module directory", Detail: err.Error(),
			Range: graph.Range{Filename: l.display(dir)}})
		return m
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	p := hclparse.NewParser()
	for _, name := range configFiles(names) {
		fp := path.Join(dir, name)
		src, err := fs.ReadFile(l.fsys, fp)
		if err != nil {
			m.diags = append(m.diags, graph.Diagnostic{Severity: graph.Error,
				Summary: "cannot read file", Detail: err.Error(), Range: graph.Range{Filename: l.display(fp)}})
			continue
		}
		if d := checkSource(src, l.display(fp), l.opts.MaxFileSize); d != nil {
			m.diags = append(m.diags, *d)
			continue
		}
		var f *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(name, ".json") {
			f, diags = p.ParseJSON(src, l.display(fp))
		} else {
			f, diags = p.ParseHCL(src, l.display(fp))
		}
		m.diags = append(m.diags, convertDiags(diags)...)
		if f == nil || f.Body == nil {
			continue
		}
		m.files = append(m.files, f)
		m.names = append(m.names, l.display(fp))
		m.providerFuncs = append(m.providerFuncs, providerFunctions(f.Body)...)
		content, rest, diags := f.Body.PartialContent(rootSchema)
		m.diags = append(m.diags, convertDiags(diags)...)
		m.diags = append(m.diags, unknownBlocks(rest)...)
		if isOverride(name) {
			m.override(content)
			continue
		}
		for _, b := range content.Blocks {
			m.add(b)
		}
	}
	slices.Sort(m.providerFuncs)
	m.providerFuncs = slices.Compact(m.providerFuncs)
	return m
}

// add files one top-level block of an ordinary configuration file.
func (m *module) add(b *hcl.Block) {
	switch b.Type {
	case "resource":
		m.resources = append(m.resources, b)
	case "data":
		m.data = append(m.data, b)
	case "variable":
		m.variables = append(m.variables, b)
	case "module":
		m.calls = append(m.calls, b)
	case "output":
		m.outputs = append(m.outputs, b)
	case "provider":
		m.providerBlocks = append(m.providerBlocks, b)
	case "terraform":
		m.terraformBlock(b)
	case "locals":
		attrs, diags := b.Body.JustAttributes()
		m.diags = append(m.diags, convertDiags(diags)...)
		for _, a := range sortedAttrs(attrs) {
			m.locals = append(m.locals, a)
		}
	}
	// moved, removed, import, check and ephemeral blocks change how
	// Terraform applies, or check the result: they add no resource to the
	// graph. An ephemeral resource is never stored, so it is not one.
}

var terraformSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "required_providers"}}}

// terraformBlock reads required_providers, which gives provider
// configurations their addresses. cloud, backend and the rest say where
// state lives, not what the cloud holds.
func (m *module) terraformBlock(b *hcl.Block) {
	content, _, _ := b.Body.PartialContent(terraformSchema)
	for _, rp := range content.Blocks {
		attrs, _ := rp.Body.JustAttributes()
		for name, a := range attrs {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
				continue
			}
			// The legacy form, a bare version constraint, names no source.
			if !v.Type().IsObjectType() || !v.Type().HasAttribute("source") {
				continue
			}
			if src := v.GetAttr("source"); src.Type() == cty.String && !src.IsNull() {
				if m.requiredProviders == nil {
					m.requiredProviders = map[string]string{}
				}
				m.requiredProviders[name] = strings.ToLower(src.AsString())
			}
		}
	}
}

// unknownBlocks notes top-level blocks this scanner does not know. They
// are skipped, never a reason to drop the module: new Terraform versions
// add block types, and the rest of the module still holds.
func unknownBlocks(rest hcl.Body) graph.Diagnostics {
	sb, ok := rest.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var out graph.Diagnostics
	for _, b := range sb.Blocks {
		known := false
		for _, h := range rootSchema.Blocks {
			known = known || h.Type == b.Type
		}
		if !known {
			out = append(out, graph.Diagnostic{Severity: graph.Warning,
				Summary: "block type " + strconv.Quote(b.Type) + " is not known to this scanner; skipped",
				Range:   RangeOf(b.DefRange())})
		}
	}
	return out
}

// providerFunctions lists the provider-defined functions a file calls.
func providerFunctions(body hcl.Body) []string {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var out []string
	_ = hclsyntax.VisitAll(sb, func(n hclsyntax.Node) hcl.Diagnostics {
		if c, ok := n.(*hclsyntax.FunctionCallExpr); ok && strings.HasPrefix(c.Name, "provider::") {
			out = append(out, c.Name)
		}
		return nil
	})
	return out
}

// LocalModuleCalls returns the directories (inside the file system) that
// the module in dir calls with a local source ("./x", "../y"). They are
// evaluated through their caller; scanning them again as roots would
// report the same resources twice, without their inputs.
func (l *Loader) LocalModuleCalls(dir string) []string {
	m := l.load(dir)
	var out []string
	for _, call := range m.calls {
		if d, ok := localSource(dir, call); ok {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// localSource reads a module call's source when it is a literal local
// path that stays inside the file system.
func localSource(dir string, call *hcl.Block) (string, bool) {
	src, ok := localSourcePath(call)
	if !ok {
		return "", false
	}
	d := path.Join(dir, src)
	if !fs.ValidPath(d) {
		return "", false // leaves the scan root
	}
	return d, true
}

// localSourcePath is a module call's source when it is a literal local
// path ("./x", "../y"), wherever it leads.
func localSourcePath(call *hcl.Block) (string, bool) {
	attrs, _ := call.Body.JustAttributes()
	a, ok := attrs["source"]
	if !ok {
		return "", false
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	src := v.AsString()
	return src, strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../")
}

// installedModules reads .terraform/modules/modules.json, which `terraform
// init` writes: the directory of every remote module by call key.
func (l *Loader) installedModules(root string) map[string]string {
	src, err := fs.ReadFile(l.fsys, path.Join(root, ".terraform", "modules", "modules.json"))
	if err != nil {
		return nil
	}
	var manifest struct {
		Modules []struct {
			Key string `json:"Key"`
			Dir string `json:"Dir"`
		} `json:"Modules"`
	}
	if json.Unmarshal(src, &manifest) != nil {
		return nil
	}
	out := map[string]string{}
	for _, m := range manifest.Modules {
		if m.Key == "" {
			continue
		}
		d := path.Clean(path.Join(root, m.Dir))
		if fs.ValidPath(d) {
			out[m.Key] = d
		}
	}
	return out
}

func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *hcl.Attribute) int {
		return compareRanges(a.Range, b.Range)
	})
	return out
}

func compareRanges(a, b hcl.Range) int {
	if a.Filename != b.Filename {
		return strings.Compare(a.Filename, b.Filename)
	}
	return a.Start.Byte - b.Start.Byte
}

// RangeOf is an HCL range as the graph keeps it.
func RangeOf(r hcl.Range) graph.Range {
	return graph.Range{
		Filename: r.Filename,
		Start:    graph.PosAt(r.Start.Line, r.Start.Column),
		End:      graph.PosAt(r.End.Line, r.End.Column),
	}
}

func convertDiags(ds hcl.Diagnostics) graph.Diagnostics {
	var out graph.Diagnostics
	for _, d := range ds {
		sev := graph.Error
		if d.Severity == hcl.DiagWarning {
			sev = graph.Warning
		}
		var rg graph.Range
		if d.Subject != nil {
			rg = RangeOf(*d.Subject)
		}
		out = append(out, graph.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail, Range: rg})
	}
	return out
}
