package bench

import (
	"context"
	"flag"
	"io"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/internal/gen"
	"github.com/strider-sec/strider/parser/cloudformation"
	"github.com/strider-sec/strider/parser/terraform"
	"github.com/strider-sec/strider/report"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
)

// perAccount is the size of every generated account; the sizes scale by
// the number of accounts, as landing zones grow.
const perAccount = 500

// sizes are the benchmarked scales: name and number of accounts.
var sizes = []struct {
	name     string
	accounts int
}{
	{"1k", 2},
	{"10k", 20},
	{"100k", 200},
}

// run runs f as a sub-benchmark per size. The 100k size runs only when
// the -bench pattern asks for it by name: it takes tens of seconds and
// most of a gigabyte.
func run(b *testing.B, f func(b *testing.B, z *zone)) {
	pattern := ""
	if fl := flag.Lookup("test.bench"); fl != nil {
		pattern = fl.Value.String()
	}
	for _, s := range sizes {
		if s.name == "100k" && !strings.Contains(pattern, "100k") {
			continue
		}
		b.Run(s.name, func(b *testing.B) {
			z := zoneOf(b, s.accounts)
			b.ReportMetric(float64(z.tree.Resources), "resources")
			f(b, z)
		})
	}
}

// zone is a generated tree and what the stages need of it.
type zone struct {
	tree   *gen.Tree
	fsys   fstest.MapFS
	tfDirs []string // directories holding .tf files
	roots  []string // Terraform root modules
	stacks []string // CloudFormation templates
}

var (
	zonesMu sync.Mutex
	zones   = map[int]*zone{}
)

// zoneOf generates (once per process) the landing zone of n accounts.
func zoneOf(b testing.TB, n int) *zone {
	b.Helper()
	zonesMu.Lock()
	defer zonesMu.Unlock()
	if z, ok := zones[n]; ok {
		return z
	}
	t := gen.Generate(gen.Config{Accounts: n, ResourcesPerAccount: perAccount, Seed: 1})
	z := &zone{tree: t, fsys: t.MapFS()}
	dirs := map[string]bool{}
	for _, p := range t.Paths() {
		switch {
		case strings.HasSuffix(p, ".tf"):
			dirs[path.Dir(p)] = true
		case strings.HasSuffix(p, ".yaml"):
			z.stacks = append(z.stacks, p)
		}
	}
	for d := range dirs {
		z.tfDirs = append(z.tfDirs, d)
		if !strings.HasPrefix(d, "modules/") {
			z.roots = append(z.roots, d)
		}
	}
	slices.Sort(z.tfDirs)
	slices.Sort(z.roots)
	zones[n] = z
	return z
}

// parse reads every Terraform module and every template: the loader it
// returns holds the parsed modules, ready for evaluation.
func (z *zone) parse() (*terraform.Loader, []*graph.Resource) {
	l := terraform.NewLoader(z.fsys, terraform.Options{})
	for _, d := range z.tfDirs {
		l.LocalModuleCalls(d)
	}
	var rs []*graph.Resource
	for _, s := range z.stacks {
		r, _ := cloudformation.Parse(z.fsys[s].Data, s)
		rs = append(rs, r...)
	}
	return l, rs
}

// evaluate evaluates every root with a loader that has parsed them.
func (z *zone) evaluate(b testing.TB, l *terraform.Loader) []*graph.Resource {
	var rs []*graph.Resource
	for _, d := range z.roots {
		root := l.LoadRoot(d)
		if len(root.Diagnostics) != 0 {
			b.Fatalf("%s: %v", d, root.Diagnostics)
		}
		rs = append(rs, root.Resources...)
	}
	return rs
}

func (z *zone) resources(b testing.TB) []*graph.Resource {
	l, rs := z.parse()
	rs = append(rs, z.evaluate(b, l)...)
	if len(rs) != z.tree.Resources {
		b.Fatalf("%d resources, want %d", len(rs), z.tree.Resources)
	}
	return rs
}

// BenchmarkParse measures reading the files: HCL parsing of every
// Terraform module, and CloudFormation templates (whose parser evaluates
// intrinsics as it reads).
func BenchmarkParse(b *testing.B) {
	run(b, func(b *testing.B, z *zone) {
		b.SetBytes(int64(z.tree.Bytes()))
		b.ReportAllocs()
		for b.Loop() {
			z.parse()
		}
	})
}

// BenchmarkEvaluate measures Terraform evaluation of every root module
// (locals, for_each, module calls, policy documents) over parsed files.
func BenchmarkEvaluate(b *testing.B) {
	run(b, func(b *testing.B, z *zone) {
		b.ReportAllocs()
		for range b.N {
			b.StopTimer()
			l, _ := z.parse()
			settle()
			b.StartTimer()
			z.evaluate(b, l)
		}
	})
}

// BenchmarkGraph measures graph.Build: indexing, references, network,
// IAM and organization passes.
func BenchmarkGraph(b *testing.B) {
	run(b, func(b *testing.B, z *zone) {
		b.ReportAllocs()
		for range b.N {
			b.StopTimer()
			rs := z.resources(b)
			settle()
			b.StartTimer()
			if _, diags := graph.Build(rs); len(diags) != 0 {
				b.Fatal(diags)
			}
		}
	})
}

// settle collects the garbage of a benchmark's untimed setup, so that the
// timed stage does not pay for it.
func settle() { runtime.GC() }

func (z *zone) graph(b testing.TB) *graph.Graph {
	g, diags := graph.Build(z.resources(b))
	if len(diags) != 0 {
		b.Fatal(diags)
	}
	return g
}

// BenchmarkRules measures running every rule over a built graph.
func BenchmarkRules(b *testing.B) {
	run(b, func(b *testing.B, z *zone) {
		g := z.graph(b)
		all := rules.All()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, errs := rules.Run(g, all); len(errs) != 0 {
				b.Fatal(errs)
			}
		}
	})
}

// BenchmarkSARIF measures writing the findings as SARIF, line hashes
// included.
func BenchmarkSARIF(b *testing.B) {
	run(b, func(b *testing.B, z *zone) {
		g := z.graph(b)
		all := rules.All()
		fs, _ := rules.Run(g, all)
		in := &report.Input{
			Tool:     report.Tool{Name: "strider", Version: "bench"},
			Rules:    all,
			Findings: fs,
			SrcRoot:  "/src",
			Inputs:   z.tree.Paths(),
			ReadFile: func(name string) ([]byte, error) { return z.tree.Files[name], nil },
			Category: "strider/cloudformation+terraform",
		}
		b.ReportMetric(float64(len(fs)), "findings")
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if err := report.WriteSARIF(io.Discard, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScan measures the whole scan from disk: discovery, parallel
// parsing and evaluation, graph, rules, and SARIF.
func BenchmarkScan(b *testing.B) {
	run(b, func(b *testing.B, z *zone) {
		dir := b.TempDir()
		if err := z.tree.Write(dir); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir})
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Diagnostics) != 0 || len(res.Errors) != 0 || len(res.Graph.Resources) != z.tree.Resources {
				b.Fatalf("%d resources, diagnostics %v, errors %v", len(res.Graph.Resources), res.Diagnostics, res.Errors)
			}
			in := &report.Input{
				Tool:     report.Tool{Name: "strider", Version: "bench"},
				Rules:    res.Rules,
				Findings: res.Findings,
				SrcRoot:  res.BaseDir,
				Inputs:   res.Inputs,
				ReadFile: func(name string) ([]byte, error) { return z.tree.Files[name], nil },
			}
			if err := report.WriteSARIF(io.Discard, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestZone keeps the generator and the benchmarks' staging honest: the
// generated tree scans without a diagnostic into exactly the resources
// the generator says it wrote, the staged pipeline reads the same
// resources, and both find the same.
func TestZone(t *testing.T) {
	z := zoneOf(t, 3)
	dir := t.TempDir()
	if err := z.tree.Write(dir); err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 0 || len(res.Errors) != 0 {
		t.Fatalf("diagnostics %v, errors %v", res.Diagnostics, res.Errors)
	}
	if got := len(res.Graph.Resources); got != z.tree.Resources {
		t.Errorf("scan: %d resources, want %d", got, z.tree.Resources)
	}
	staged, errs := rules.Run(z.graph(t), rules.All())
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if len(staged) != len(res.Findings) {
		t.Errorf("staged pipeline: %d findings, scan: %d", len(staged), len(res.Findings))
	}
	// Other shapes: the smallest account (no filler) and a large one.
	for _, cfg := range []gen.Config{{Accounts: 1, ResourcesPerAccount: gen.MinResourcesPerAccount}, {Accounts: 2, ResourcesPerAccount: 1234, Seed: 3}} {
		tr := gen.Generate(cfg)
		dir := t.TempDir()
		if err := tr.Write(dir); err != nil {
			t.Fatal(err)
		}
		res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Diagnostics) != 0 || len(res.Errors) != 0 || len(res.Graph.Resources) != tr.Resources {
			t.Errorf("%+v: %d resources, want %d; diagnostics %v, errors %v", cfg, len(res.Graph.Resources), tr.Resources, res.Diagnostics, res.Errors)
		}
	}
	// The zone is meant to exercise the rules: every kind of problem the
	// generator plants must be found.
	found := map[string]bool{}
	for _, f := range res.Findings {
		found[f.Rule.ID] = true
	}
	for _, id := range []string{"SDR-EC2-001", "SDR-S3-001", "SDR-EC2-010", "SDR-ORG-002"} {
		if !found[id] {
			t.Errorf("no %s finding in the generated zone", id)
		}
	}
}
