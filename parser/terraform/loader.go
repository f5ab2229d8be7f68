package terraform

import (
	"encoding/json"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
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
	return &Loader{fsys: fsys, opts: opts, modules: map[string]*module{}}
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
	diags     graph.Diagnostics
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

// IsConfigFile reports whether name is a Terraform configuration file.
// Override files are included: Terraform merges them, and a scanner that
// skipped them would miss what they change.
func IsConfigFile(name string) bool {
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
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
	p := hclparse.NewParser()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !IsConfigFile(name) {
			continue
		}
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
		content, _, diags := f.Body.PartialContent(rootSchema)
		m.diags = append(m.diags, convertDiags(diags)...)
		for _, b := range content.Blocks {
			switch b.Type {
			case "resource":
				m.resources = append(m.resources, b)
			case "data":
				m.data = append(m.data, b)
			case "variable":
				m.variables = append(m.variables, b)
			case "module":
				m.calls = append(m.calls, b)
			case "locals":
				attrs, diags := b.Body.JustAttributes()
				m.diags = append(m.diags, convertDiags(diags)...)
				for _, a := range sortedAttrs(attrs) {
					m.locals = append(m.locals, a)
				}
			}
		}
	}
	return m
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
	if !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") {
		return "", false
	}
	d := path.Join(dir, src)
	if !fs.ValidPath(d) {
		return "", false // leaves the scan root
	}
	return d, true
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

func toRange(r hcl.Range) graph.Range {
	return graph.Range{
		Filename: r.Filename,
		Start:    graph.Pos{Line: r.Start.Line, Column: r.Start.Column},
		End:      graph.Pos{Line: r.End.Line, Column: r.End.Column},
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
			rg = toRange(*d.Subject)
		}
		out = append(out, graph.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail, Range: rg})
	}
	return out
}
