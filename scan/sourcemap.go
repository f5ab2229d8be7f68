package scan

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/parser/plan"
	"github.com/strider-sec/strider/parser/terraform"
	"github.com/strider-sec/strider/rules"
)

// rangeMap moves the places findings point at: plan findings to the .tf
// line of their resource when the source is there, and findings inside
// remote modules (.terraform/modules, outside what the repository tracks
// and what GitHub shows) to the module block that calls them.
type rangeMap struct {
	exact map[graph.Range]graph.Range
	// block maps a resource's own range to its new block range, for
	// ranges inside the resource that have no exact match.
	block map[*graph.Resource]graph.Range
}

func (m *rangeMap) empty() bool { return len(m.exact) == 0 && len(m.block) == 0 }

func (m *rangeMap) add(from, to graph.Range) {
	if m.exact == nil {
		m.exact = map[graph.Range]graph.Range{}
	}
	if _, ok := m.exact[from]; !ok {
		m.exact[from] = to
	}
}

// moveResource records that r (and each attribute of it) now lives at
// the given block and attribute ranges, and rewrites r to point there.
func (m *rangeMap) moveResource(r *graph.Resource, block graph.Range, attrs func(path string) graph.Range) {
	if m.block == nil {
		m.block = map[*graph.Resource]graph.Range{}
	}
	m.add(r.Range, block)
	r.AttrRanges.Map(func(p string, rg graph.Range) graph.Range {
		to := attrs(p)
		m.add(rg, to)
		return to
	})
	m.block[r] = block
	r.Range = block
}

// apply rewrites the findings' ranges. A range with no exact match on a
// moved resource falls back to the resource's new block.
func (m *rangeMap) apply(fs []rules.Finding) {
	for i := range fs {
		f := &fs[i]
		if to, ok := m.exact[f.Range]; ok {
			f.Range = to
		} else if b, ok := m.block[f.Resource]; ok && f.Range.Filename != b.Filename {
			f.Range = b
		}
		for j := range f.Related {
			if to, ok := m.exact[f.Related[j].Range]; ok {
				f.Related[j].Range = to
			}
		}
	}
}

// configKey identifies a resource block whatever its instance: the module
// path and address without instance keys.
func configKey(a graph.Address) string {
	return stripKeys(a.Module) + "|" + a.ConfigAddr()
}

// stripKeys removes instance keys ([0], ["a.b"]) from a module path,
// minding brackets inside quoted keys.
func stripKeys(s string) string {
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\':
			i++
		case c == '"' && depth > 0:
			quoted = !quoted
		case !quoted && c == '[':
			depth++
		case !quoted && c == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// planSource is where the Terraform configuration of a plan is read
// from: the plan's directory in its scan root, or the --source directory.
type planSource struct {
	loader *terraform.Loader
	root   *root  // the loader's file system, for module calls
	dir    string // inside the loader's file system
	// loaded is the evaluated source, read once for a plan.
	loaded *terraform.Root
}

// load evaluates the source once.
func (s *planSource) load() *terraform.Root {
	if s.loaded == nil && s.loader != nil {
		s.loaded = s.loader.LoadRoot(s.dir)
	}
	return s.loaded
}

// mapPlans points plan resources at their blocks in the .tf source. Only
// resources whose configuration address is found move; the source's own
// diagnostics are not reported (it is read for places only, and is
// reported when it is scanned itself).
func mapPlans(m *rangeMap, plans []*graph.Resource, src *planSource) {
	if len(plans) == 0 || src.loader == nil {
		return
	}
	root := src.load()
	byKey := map[string]*graph.Resource{}
	for _, r := range root.Resources {
		k := configKey(r.Addr)
		if _, ok := byKey[k]; !ok {
			byKey[k] = r
		}
	}
	var calls map[string]graph.Range
	for _, r := range plans {
		tf := byKey[configKey(r.Addr)]
		if tf == nil {
			continue
		}
		if inInstalledModule(tf.Range.Filename) {
			// A remote module's block: point at the call, as for
			// source scans.
			if calls == nil {
				calls = moduleCalls(src.root, src.dir)
			}
			if call, ok := calls[firstModule(r.Addr.Module)]; ok {
				m.moveResource(r, call, func(string) graph.Range { return call })
			}
			continue
		}
		m.moveResource(r, tf.Range, tf.AttrRange)
	}
}

// firstModule is the name of the first module call in a module path
// ("module.a[0].module.b" → "a").
func firstModule(module string) string {
	first := strings.TrimPrefix(stripKeys(module), "module.")
	if i := strings.Index(first, ".module."); i >= 0 {
		first = first[:i]
	}
	return first
}

// installedModulesDir is where terraform init installs remote modules.
const installedModulesDir = ".terraform/modules/"

// inInstalledModule reports whether a display name lies under
// .terraform/modules.
func inInstalledModule(file string) bool {
	return strings.HasPrefix(file, installedModulesDir) || strings.Contains(file, "/"+installedModulesDir)
}

// mapInstalledModules points resources read from .terraform/modules at
// the module block in the root module that calls them (the first module
// of their address): GitHub rejects or hides locations outside the
// repository, and the call is where the user chooses the module.
func mapInstalledModules(m *rangeMap, rs []*graph.Resource, root *root, dir string) {
	var calls map[string]graph.Range
	for _, r := range rs {
		if !inInstalledModule(r.Range.Filename) || r.Addr.Module == "" {
			continue
		}
		if calls == nil {
			calls = moduleCalls(root, dir)
		}
		call, ok := calls[firstModule(r.Addr.Module)]
		if !ok {
			continue
		}
		m.moveResource(r, call, func(string) graph.Range { return call })
	}
}

// moduleCalls finds the module blocks of the root module in dir by name.
func moduleCalls(root *root, dir string) map[string]graph.Range {
	out := map[string]graph.Range{}
	if root == nil {
		return out
	}
	entries, err := fs.ReadDir(root.fsys, dir)
	if err != nil {
		return out
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") {
			continue // .tf.json module calls are rare; they keep their place
		}
		p := path.Join(dir, e.Name())
		src, err := fs.ReadFile(root.fsys, p)
		if err != nil {
			continue
		}
		f, diags := hclsyntax.ParseConfig(src, root.name(p), hcl.InitialPos)
		if diags.HasErrors() || f == nil {
			continue
		}
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		for _, b := range body.Blocks {
			if b.Type == "module" && len(b.Labels) == 1 {
				out[b.Labels[0]] = terraform.RangeOf(b.DefRange())
			}
		}
	}
	return out
}

// remap moves findings out of plan files and installed modules, then
// sorts them again by their new places.
func remap(jobs []job, outs []parsed, sources []*planSource, fs []rules.Finding) {
	var m rangeMap
	for i, j := range jobs {
		switch j.kind {
		case KindPlan:
			mapPlans(&m, outs[i].resources, sources[i])
		case KindTerraform:
			mapInstalledModules(&m, outs[i].resources, j.root, j.path)
		}
	}
	if m.empty() {
		return
	}
	m.apply(fs)
	rules.SortFindings(fs)
}

// planSources are, for each plan job, where its Terraform configuration
// is read from: --source when given (one source shared by every plan),
// else the plan's own directory. close releases --source.
func planSources(jobs []job, opts Options, base string) (srcs []*planSource, close func() error, err error) {
	close = func() error { return nil }
	var shared *planSource
	if opts.Source != "" {
		src, err := openSource(opts.Source, base)
		if err != nil {
			return nil, nil, err
		}
		shared, close = &src.planSource, src.close
	}
	srcs = make([]*planSource, len(jobs))
	for i, j := range jobs {
		if j.kind != KindPlan {
			continue
		}
		src := planSource{loader: j.tf, root: j.root, dir: path.Dir(j.path)}
		if shared != nil {
			src = *shared
		}
		// The source is evaluated as the plan was made: with its
		// variables (those given to Strider still win).
		if data, err := fs.ReadFile(j.root.fsys, j.path); err == nil && src.loader != nil {
			src.loader = src.loader.WithVars(plan.Variables(data))
		}
		srcs[i] = &src
	}
	return srcs, close, nil
}

type openedSource struct {
	planSource
	close func() error
}

// openSource opens --source as a scan root of its own, so that reading it
// cannot leave it either.
func openSource(dir, base string) (openedSource, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return openedSource{}, err
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return openedSource{}, fmt.Errorf("--source: %w", err)
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil {
		rel = abs
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		rel = ""
	}
	fsys := r.FS()
	return openedSource{
		planSource: planSource{loader: terraform.NewLoader(fsys, terraform.Options{Prefix: rel}), root: &root{fsys: fsys, display: rel}, dir: "."},
		close:      r.Close,
	}, nil
}
