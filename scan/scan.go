// Package scan runs Strider's pipeline over paths on disk: it finds the
// inputs, hands each to its parser, builds the graph and runs the rules.
// It prints nothing; the CLI decides what to show.
package scan

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/parser/cloudformation"
	"github.com/strider-sec/strider/parser/plan"
	"github.com/strider-sec/strider/parser/terraform"
	"github.com/strider-sec/strider/rules"
)

// Options say what to scan and how.
type Options struct {
	// Paths are files or directories; empty means ".".
	Paths []string
	// BaseDir is the directory that file names in the output are relative
	// to; empty means the current directory.
	BaseDir string
	// Rules to run; nil means all.
	Rules []*rules.Rule
	// Vars and VarFiles feed Terraform root variables, as -var and
	// -var-file do. VarFiles are paths on disk.
	Vars     map[string]string
	VarFiles []string
	// MaxFileSize skips larger files with a diagnostic; 0 means 50 MiB.
	MaxFileSize int64
	// Source is the directory holding the Terraform configuration of the
	// plans scanned; empty means each plan's own directory. Plan findings
	// point at the .tf line of their resource when it is found there.
	Source string
	// Accounts attribute files to AWS accounts by where they lie, for
	// resources whose provider does not say (see AccountConvention).
	Accounts []AccountConvention
	// AccountIDs are the account IDs the configuration declares, by
	// account name: a member account the code creates under one of these
	// names (aws_organizations_account, AWS::Organizations::Account) has
	// that ID, which the code cannot know before apply.
	AccountIDs map[string]string
	// Progress, when set, is called after each root module, plan or
	// template is parsed, with the number done and the total. Calls come
	// from the parsing goroutines, one at a time.
	Progress func(done, total int)
}

// Result is the outcome of a scan.
type Result struct {
	Graph    *graph.Graph
	Findings []rules.Finding
	// Diagnostics about the input, sorted.
	Diagnostics graph.Diagnostics
	// Errors are internal failures: a rule or parser that broke.
	Errors []error
	// Inputs are the files read, relative to BaseDir, sorted.
	Inputs []string
	// BaseDir is the absolute directory names are relative to.
	BaseDir string
	Rules   []*rules.Rule
	// Kinds are the kinds of input found, sorted and without duplicates:
	// what the scan was about, for a default analysis category.
	Kinds []Kind
	// Deployments are the templates that Customizations for AWS Control
	// Tower manifests of the tree deploy, in manifest order.
	Deployments []Deployment
}

// Kind is the kind of an input.
type Kind string

// Input kinds.
const (
	KindTerraform      Kind = "terraform"
	KindPlan           Kind = "plan"
	KindCloudFormation Kind = "cloudformation"
)

// root is one scan path opened so that nothing outside it can be read.
type root struct {
	fsys    fs.FS
	display string // relative to BaseDir, slash-separated; "" for BaseDir itself
	closer  func() error
}

func (r *root) name(p string) string {
	if r.display == "" {
		return p
	}
	if p == "." {
		return r.display
	}
	return path.Join(r.display, p)
}

// job is one unit of parsing: a Terraform root module or one file.
type job struct {
	root *root
	kind Kind
	path string // inside root.fsys
	tf   *terraform.Loader
}

// Run scans. The error is for options that make scanning impossible (a
// path that does not exist); problems inside inputs are diagnostics.
func Run(ctx context.Context, opts Options) (*Result, error) {
	base := opts.BaseDir
	if base == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		base = wd
	}
	base, err := filepath.Abs(base)
	if err != nil {
		return nil, err
	}
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = 50 << 20
	}
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	res := &Result{BaseDir: base, Rules: opts.Rules}
	if res.Rules == nil {
		res.Rules = rules.All()
	}
	var jobs []job
	for _, p := range paths {
		js, deps, diags, err := discover(p, base, opts)
		if err != nil {
			return nil, err
		}
		res.Deployments = append(res.Deployments, deps...)
		res.Diagnostics = append(res.Diagnostics, diags...)
		jobs = append(jobs, js...)
	}
	for _, j := range jobs {
		res.Kinds = append(res.Kinds, j.kind)
	}
	slices.Sort(res.Kinds)
	res.Kinds = slices.Compact(res.Kinds)
	defer func() {
		for _, j := range jobs {
			if j.root.closer != nil {
				j.root.closer()
				j.root.closer = nil
			}
		}
	}()

	for _, c := range opts.Accounts {
		if err := c.Validate(); err != nil {
			return nil, err
		}
	}
	outs := make([]parsed, len(jobs))
	var mu sync.Mutex
	done := 0
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			outs[i] = parseJob(j)
			if opts.Progress != nil {
				mu.Lock()
				done++
				opts.Progress(done, len(jobs))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Only plans read the Terraform source again (for the lines findings
	// point at); elsewhere the parsed modules can go before the graph and
	// the rules need the memory.
	for i := range jobs {
		if jobs[i].kind != KindPlan {
			jobs[i].tf = nil
		}
	}

	sources, closeSource, err := planSources(jobs, opts, base)
	if err != nil {
		return nil, err
	}
	defer closeSource()
	for i, j := range jobs {
		if j.kind == KindPlan {
			completePlan(outs[i].resources, sources[i])
		}
	}

	var resources []*graph.Resource
	templates := map[[32]byte]string{}
	for _, o := range outs {
		if o.template != "" {
			templates[o.hash] = o.template
		}
		resources = append(resources, o.resources...)
		res.Diagnostics = append(res.Diagnostics, o.diags...)
		res.Inputs = append(res.Inputs, o.inputs...)
	}
	attributeAccounts(resources, opts.Accounts, templates)
	nameOrgAccounts(resources, opts.AccountIDs)
	attributeDeployments(resources, res.Deployments, opts.Accounts)
	g, diags := graph.Build(resources)
	res.Graph = g
	res.Diagnostics = append(res.Diagnostics, diags...)
	res.Findings, res.Errors = rules.Run(g, res.Rules)
	remap(jobs, outs, sources, res.Findings)
	for _, o := range outs {
		if o.err != nil {
			res.Errors = append(res.Errors, o.err)
		}
	}
	// A module called from several roots reports its problems once per
	// root; the user needs each once.
	res.Diagnostics.Sort()
	res.Diagnostics = slices.CompactFunc(res.Diagnostics, func(a, b graph.Diagnostic) bool { return a == b })
	slices.Sort(res.Inputs)
	res.Inputs = slices.Compact(res.Inputs)
	return res, nil
}

type parsed struct {
	resources []*graph.Resource
	diags     graph.Diagnostics
	inputs    []string
	err       error
	// template names a CloudFormation template by its stack, and hash is
	// its content's, so that a StackSet deploying it can be found.
	template string
	hash     [32]byte
}

// parseJob runs one parser, turning a panic into an internal error that
// names the input, so one bad file never takes the scan down.
func parseJob(j job) (out parsed) {
	defer func() {
		if p := recover(); p != nil {
			out = parsed{err: fmt.Errorf("internal error while reading %s: %v (please report this as a bug)", j.root.name(j.path), p)}
		}
	}()
	switch j.kind {
	case KindTerraform:
		root := j.tf.LoadRoot(j.path)
		out.resources, out.diags, out.inputs = root.Resources, root.Diagnostics, root.Files
		return out
	}
	name := j.root.name(j.path)
	out.inputs = []string{name}
	src, err := fs.ReadFile(j.root.fsys, j.path)
	if err != nil {
		out.diags = graph.Diagnostics{{Severity: graph.Error, Summary: "cannot read file", Detail: err.Error(), Range: graph.Range{Filename: name}}}
		return out
	}
	switch j.kind {
	case KindPlan:
		out.resources, out.diags = plan.Parse(src, name)
	case KindCloudFormation:
		out.resources, out.diags = cloudformation.Parse(src, name)
		out.template, out.hash = name, sha256.Sum256(src)
	}
	return out
}

// discover finds the inputs under one path given on the command line.
func discover(p, base string, opts Options) ([]job, []Deployment, graph.Diagnostics, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, nil, nil, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, nil, nil, err
	}
	dir, file := abs, ""
	if !info.IsDir() {
		dir, file = filepath.Dir(abs), filepath.Base(abs)
	}
	osRoot, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	rel, err := filepath.Rel(base, dir)
	if err != nil {
		rel = dir
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		rel = ""
	}
	r := &root{fsys: osRoot.FS(), display: rel, closer: osRoot.Close}
	varFiles, diags := varFilesIn(dir, opts.VarFiles)
	tf := terraform.NewLoader(r.fsys, terraform.Options{Prefix: rel, Vars: opts.Vars, VarFiles: varFiles, MaxFileSize: opts.MaxFileSize})
	if file != "" {
		kind, ok := kindOfFile(r.fsys, file)
		if !ok {
			osRoot.Close()
			return nil, nil, nil, fmt.Errorf("%s: not a Terraform file, plan or CloudFormation template", p)
		}
		if kind == KindTerraform {
			return []job{{root: r, kind: kind, path: ".", tf: tf}}, nil, diags, nil
		}
		return []job{{root: r, kind: kind, path: file, tf: tf}}, nil, diags, nil
	}

	var jobs []job
	var deps []Deployment
	tfDirs := map[string]bool{}
	err = fs.WalkDir(r.fsys, ".", func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			diags = append(diags, graph.Diagnostic{Severity: graph.Error, Summary: "cannot read", Detail: err.Error(), Range: graph.Range{Filename: r.name(fp)}})
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if fp != "." && skipDir(name) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// A link may point outside the scan root or loop; the root
			// refuses the first, and skipping them avoids the second.
			diags = append(diags, graph.Diagnostic{Severity: graph.Warning, Summary: "symbolic link not followed", Range: graph.Range{Filename: r.name(fp)}})
			return nil
		}
		if terraform.IsConfigFile(name) {
			tfDirs[path.Dir(fp)] = true
			return nil
		}
		if !candidate(name) {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Size() > opts.MaxFileSize {
			diags = append(diags, graph.Diagnostic{Severity: graph.Warning,
				Summary: fmt.Sprintf("file larger than %d bytes not scanned", opts.MaxFileSize), Range: graph.Range{Filename: r.name(fp)}})
			return nil
		}
		src, err := fs.ReadFile(r.fsys, fp)
		if err != nil {
			diags = append(diags, graph.Diagnostic{Severity: graph.Error, Summary: "cannot read file", Detail: err.Error(), Range: graph.Range{Filename: r.name(fp)}})
			return nil
		}
		if k, ok := detect(src); ok {
			// Plans get the loader too: it reads the .tf source beside
			// them for the places findings point at.
			jobs = append(jobs, job{root: r, kind: k, path: fp, tf: tf})
		} else if isManifest(name) {
			if ds, ok := readManifest(src, r.name(fp)); ok {
				deps = append(deps, ds...)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	calls := localModuleCalls(tf, tfDirs)
	roots := terraformRoots(tfDirs, func(d string) []string { return calls[d] })
	slices.Sort(roots)
	for _, d := range roots {
		jobs = append(jobs, job{root: r, kind: KindTerraform, path: d, tf: tf})
	}
	if len(jobs) == 0 {
		osRoot.Close()
		r.closer = nil
	}
	return jobs, deps, diags, nil
}

// localModuleCalls parses every Terraform directory, GOMAXPROCS at a time,
// and returns the local modules each calls. The loader keeps what it
// parsed for the evaluation that follows.
func localModuleCalls(tf *terraform.Loader, dirs map[string]bool) map[string][]string {
	sorted := slices.Sorted(maps.Keys(dirs))
	calls := make([][]string, len(sorted))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, d := range sorted {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			calls[i] = tf.LocalModuleCalls(d)
		}()
	}
	wg.Wait()
	out := make(map[string][]string, len(sorted))
	for i, d := range sorted {
		out[d] = calls[i]
	}
	return out
}

// terraformRoots picks the directories to evaluate as root modules: those
// no other directory calls. Directories reachable only from each other (a
// cycle of module calls) are evaluated as roots too, so the cycle is
// reported instead of the code silently vanishing.
func terraformRoots(dirs map[string]bool, calls func(string) []string) []string {
	called := map[string]bool{}
	edges := map[string][]string{}
	for d := range dirs {
		for _, c := range calls(d) {
			if c != d {
				called[c] = true
				edges[d] = append(edges[d], c)
			}
		}
	}
	var roots []string
	reached := map[string]bool{}
	var visit func(string)
	visit = func(d string) {
		if reached[d] {
			return
		}
		reached[d] = true
		for _, c := range edges[d] {
			visit(c)
		}
	}
	sorted := slices.Sorted(maps.Keys(dirs))
	for _, d := range sorted {
		if !called[d] {
			roots = append(roots, d)
			visit(d)
		}
	}
	for _, d := range sorted {
		if !reached[d] {
			roots = append(roots, d)
			visit(d)
		}
	}
	return roots
}

// varFilesIn makes -var-file paths usable inside a scan root: a file
// outside the root cannot be read through it, so it is refused.
func varFilesIn(dir string, files []string) ([]string, graph.Diagnostics) {
	var out []string
	var diags graph.Diagnostics
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err == nil {
			var rel string
			if rel, err = filepath.Rel(dir, abs); err == nil && filepath.IsLocal(rel) {
				out = append(out, filepath.ToSlash(rel))
				continue
			}
			err = errors.New("it lies outside the scan root " + dir)
		}
		diags = append(diags, graph.Diagnostic{Severity: graph.Error, Summary: "variable file not read", Detail: err.Error(), Range: graph.Range{Filename: f}})
	}
	return out, diags
}

func skipDir(name string) bool {
	switch name {
	case ".git", ".terraform", "node_modules", ".terragrunt-cache":
		return true
	}
	return false
}

// candidate says whether a file might be a plan or a template by its name.
func candidate(name string) bool {
	if strings.HasSuffix(name, ".tfvars.json") || strings.HasSuffix(name, ".tfstate") {
		return false
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".json", ".yaml", ".yml", ".template", ".cfn":
		return true
	}
	return false
}

func detect(src []byte) (Kind, bool) {
	switch {
	case plan.Detect(src):
		return KindPlan, true
	case cloudformation.Detect(src):
		return KindCloudFormation, true
	}
	return "", false
}

// kindOfFile decides the kind of a file named directly: by its content
// where that tells, else by its name.
func kindOfFile(fsys fs.FS, name string) (Kind, bool) {
	if terraform.IsConfigFile(name) {
		return KindTerraform, true
	}
	src, err := fs.ReadFile(fsys, name)
	if err == nil {
		if k, ok := detect(src); ok {
			return k, true
		}
	}
	// Content did not tell: a name that says what it is gets parsed as
	// such, so the user hears why it is not a valid one; any other JSON
	// (state, provider schemas, package manifests) is refused plainly.
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".template", ".cfn":
		return KindCloudFormation, true
	case ".json":
		lower := strings.ToLower(name)
		switch {
		case strings.Contains(lower, "plan"):
			return KindPlan, true
		case strings.Contains(lower, "template"), strings.Contains(lower, "stack"), strings.Contains(lower, "cfn"):
			return KindCloudFormation, true
		}
	}
	return "", false
}
