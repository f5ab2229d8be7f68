package rules_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
	"golang.org/x/tools/txtar"
)

func TestRegistry(t *testing.T) {
	if err := rules.Validate(rules.All()); err != nil {
		t.Fatal(err)
	}
}

// Every rule has bad and good fixtures in Terraform and CloudFormation;
// the harness runs them all. A rule whose resources CloudFormation cannot
// express says why in a NO_CLOUDFORMATION file instead.
func TestFixturesExist(t *testing.T) {
	for _, r := range rules.All() {
		want := []string{"bad_terraform", "good_terraform", "bad_cloudformation", "good_cloudformation"}
		if why, err := os.ReadFile(filepath.Join("testdata", r.Slug, "NO_CLOUDFORMATION")); err == nil {
			if strings.TrimSpace(string(why)) == "" {
				t.Errorf("%s: NO_CLOUDFORMATION gives no reason", r.ID)
			}
			want = want[:2]
		}
		for _, w := range want {
			if _, err := os.Stat(filepath.Join("testdata", r.Slug, w+".txtar")); err != nil {
				t.Errorf("%s: missing fixture %s.txtar", r.ID, w)
			}
		}
	}
}

// expectation is one `want` written in a fixture: a regexp that must match
// exactly one finding, on a line or on a resource address.
type expectation struct {
	file    string
	line    int    // for comment expectations
	address string // for -- want -- sections
	re      *regexp.Regexp
	matched bool
}

var wantComment = regexp.MustCompile(`#\s*want\s+(.*)$`)

// parseWants reads `# want "re" "re"` comments (quoted with "" or “),
// and a `-- want --` section of "ADDRESS REGEXP" lines for inputs that
// cannot hold comments (JSON).
func parseWants(t *testing.T, ar *txtar.Archive) []*expectation {
	t.Helper()
	var out []*expectation
	for _, f := range ar.Files {
		if f.Name == "want" {
			sc := bufio.NewScanner(strings.NewReader(string(f.Data)))
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" {
					continue
				}
				addr, re, _ := strings.Cut(line, " ")
				out = append(out, &expectation{file: "want", address: unquoteMeta(addr), re: regexp.MustCompile(re)})
			}
			continue
		}
		for i, line := range strings.Split(string(f.Data), "\n") {
			m := wantComment.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, q := range splitQuoted(t, m[1]) {
				out = append(out, &expectation{file: f.Name, line: i + 1, re: regexp.MustCompile(q)})
			}
		}
	}
	return out
}

// unquoteMeta turns an address written with regexp escapes (as in the
// want section, where [ ] are escaped) back into the literal address.
func unquoteMeta(s string) string {
	return strings.NewReplacer(`\[`, "[", `\]`, "]", `\.`, ".").Replace(s)
}

func splitQuoted(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	s = strings.TrimSpace(s)
	for s != "" {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			t.Fatalf("bad want %q: %v", s, err)
		}
		u, _ := strconv.Unquote(q)
		out = append(out, u)
		s = strings.TrimSpace(s[len(q):])
	}
	return out
}

func TestFixtures(t *testing.T) {
	for _, r := range rules.All() {
		files, _ := filepath.Glob(filepath.Join("testdata", r.Slug, "*.txtar"))
		for _, file := range files {
			name := strings.TrimSuffix(filepath.Base(file), ".txtar")
			t.Run(r.Slug+"/"+name, func(t *testing.T) {
				runFixture(t, r, file, strings.HasPrefix(name, "good"), strings.HasPrefix(name, "note"))
			})
		}
	}
}

// runFixture runs one fixture. A good fixture expects nothing; a note
// fixture expects only notes (the rule cannot decide); any other only
// findings that are not notes.
func runFixture(t *testing.T, r *rules.Rule, file string, good, note bool) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if f.Name == "want" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wants := parseWants(t, ar)
	if good && len(wants) > 0 {
		t.Fatalf("a good fixture must not expect findings")
	}
	if !good && len(wants) == 0 {
		t.Fatalf("a bad fixture must expect at least one finding")
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir, Rules: []*rules.Rule{r}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic: %s", d)
	}
	for _, e := range res.Errors {
		t.Errorf("error: %v", e)
	}
	if len(res.Inputs) == 0 {
		t.Fatal("fixture produced no input")
	}
	for _, f := range res.Findings {
		text := fmt.Sprintf("%s %s: %s", f.Rule.ID, f.Rule.Slug, f.Message)
		if f.Note != note {
			t.Errorf("finding at %s on %s is a note: %v, want %v (note fixtures hold notes only): %s", f.Range, f.Resource.Addr, f.Note, note, text)
		}
		i := slices.IndexFunc(wants, func(w *expectation) bool {
			if w.matched || !w.re.MatchString(text) {
				return false
			}
			if w.address != "" {
				return w.address == f.Resource.Addr.String()
			}
			return w.file == f.Range.Filename && w.line == int(f.Range.Start.Line)
		})
		if i < 0 {
			t.Errorf("unexpected finding at %s on %s: %s", f.Range, f.Resource.Addr, text)
			continue
		}
		wants[i].matched = true
	}
	for _, w := range wants {
		if !w.matched {
			if w.address != "" {
				t.Errorf("no finding on %s matching %q", w.address, w.re)
			} else {
				t.Errorf("%s:%d: no finding matching %q", w.file, w.line, w.re)
			}
		}
	}
}
