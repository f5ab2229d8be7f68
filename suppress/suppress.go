package suppress

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"time"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// Directive is one suppression as written.
type Directive struct {
	// IDs are the rule IDs, slugs or former slugs it names.
	IDs []string
	// Expires is the last day it applies; zero means it does not expire.
	Expires time.Time
	Reason  string
	// Range is where it is written.
	Range graph.Range
	// valid is false when the directive must not suppress: no reason, an
	// unknown rule, a bad date, or expired.
	valid bool
}

// Matches reports whether the directive names rule r.
func (d Directive) Matches(r *rules.Rule) bool {
	for _, id := range d.IDs {
		if strings.EqualFold(id, r.ID) || strings.EqualFold(id, r.Slug) {
			return true
		}
		for _, a := range r.Aliases {
			if strings.EqualFold(id, a) {
				return true
			}
		}
	}
	return false
}

// Options configure a Scanner.
type Options struct {
	// Today decides expiry; a directive expiring today still applies.
	Today time.Time
	// Known says whether a rule name exists; nil accepts every name.
	Known func(id string) bool
}

// Scanner reads the directives of the files findings point into, each
// file once.
type Scanner struct {
	fsys  fs.FS
	opts  Options
	files map[string]*file
	diags graph.Diagnostics
}

type file struct {
	// comment marks the lines that hold nothing but a comment.
	comment map[int]bool
	// at holds the directives written on a line.
	at map[int][]Directive
	// cfn holds CloudFormation metadata directives by logical ID.
	cfn map[string][]Directive
}

// New returns a Scanner over fsys, the scan root.
func New(fsys fs.FS, opts Options) *Scanner {
	return &Scanner{fsys: fsys, opts: opts, files: map[string]*file{}}
}

// Diagnostics are the problems found in directives read so far: missing
// reasons, unknown rules, malformed or passed dates.
func (s *Scanner) Diagnostics() graph.Diagnostics {
	ds := append(graph.Diagnostics(nil), s.diags...)
	ds.Sort()
	return ds
}

// Scan reads the directives of a file now, so that problems in files
// without findings are reported too.
func (s *Scanner) Scan(name string) { s.file(name) }

// Match returns the valid directive that suppresses f, if any: one naming
// its rule on, or in the comment lines right above, the line the finding
// points at or the first line of its resource; for CloudFormation
// resources, also one in the resource's Metadata.
func (s *Scanner) Match(f rules.Finding) (Directive, bool) {
	if f.Rule == nil || f.Resource == nil {
		return Directive{}, false
	}
	var lines []graph.Range
	for _, rg := range []graph.Range{f.Range, f.Resource.Range} {
		if rg.Filename != "" && rg.Start.Line > 0 {
			lines = append(lines, rg)
		}
	}
	for _, rg := range lines {
		fl := s.file(rg.Filename)
		if fl == nil {
			continue
		}
		for l := int(rg.Start.Line); l > 0; l-- {
			// The line itself (a trailing comment), then the comment
			// lines above it.
			if l != int(rg.Start.Line) && !fl.comment[l] {
				break
			}
			for _, d := range fl.at[l] {
				if d.valid && d.Matches(f.Rule) {
					return d, true
				}
			}
		}
	}
	if f.Resource.Format == graph.CloudFormation {
		if fl := s.file(f.Resource.Range.Filename); fl != nil {
			for _, d := range fl.cfn[f.Resource.Addr.Name] {
				if d.valid && d.Matches(f.Rule) {
					return d, true
				}
			}
		}
	}
	return Directive{}, false
}

func (s *Scanner) file(name string) *file {
	if fl, ok := s.files[name]; ok {
		return fl
	}
	var fl *file
	// Names outside the root ("../x") or absolute cannot be read through
	// it; fs.ValidPath refuses them before the FS is asked.
	if fs.ValidPath(name) {
		if src, err := fs.ReadFile(s.fsys, name); err == nil {
			fl = s.parse(name, src)
		}
	}
	s.files[name] = fl
	return fl
}

// directiveRE finds a directive in a # or // comment. It is anchored on
// the comment marker so that "strider:ignore" inside a string value does
// not count unless a comment marker precedes it.
var directiveRE = regexp.MustCompile(`(?:#|//)\s*strider:ignore\b(.*)$`)

func (s *Scanner) parse(name string, src []byte) *file {
	fl := &file{comment: map[int]bool{}, at: map[int][]Directive{}}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 64*1024), len(src)+1)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "//") {
			fl.comment[n] = true
		}
		m := directiveRE.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		col := len([]rune(line[:m[0]])) + 1
		rg := graph.Range{Filename: name, Start: graph.PosAt(n, col), End: graph.PosAt(n, len([]rune(line))+1)}
		d := s.check(parseDirective(line[m[2]:m[3]], rg))
		fl.at[n] = append(fl.at[n], d)
	}
	if isCloudFormation(name, src) {
		fl.cfn = s.cloudFormation(name, src)
	}
	return fl
}

// parseDirective reads "<ids> [exp:DATE] -- <reason>"; problems are left
// for check to report.
func parseDirective(text string, rg graph.Range) (Directive, error) {
	d := Directive{Range: rg}
	head, reason, _ := strings.Cut(text, "--")
	d.Reason = strings.TrimSpace(reason)
	var ids []string
	for f := range strings.FieldsSeq(head) {
		if v, ok := strings.CutPrefix(f, "exp:"); ok {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return d, fmt.Errorf("expiry %q is not a date YYYY-MM-DD", v)
			}
			d.Expires = t
			continue
		}
		ids = append(ids, f)
	}
	for id := range strings.SplitSeq(strings.Join(ids, ","), ",") {
		if id = strings.TrimSpace(id); id != "" {
			d.IDs = append(d.IDs, id)
		}
	}
	return d, nil
}

// check validates a parsed directive, records what is wrong with it and
// marks it valid only when it may suppress.
func (s *Scanner) check(d Directive, err error) Directive {
	warn := func(summary, detail string) {
		s.diags = append(s.diags, graph.Diagnostic{Severity: graph.Warning, Summary: summary, Detail: detail, Range: d.Range})
	}
	switch {
	case err != nil:
		warn("suppression ignored", err.Error())
		return d
	case len(d.IDs) == 0:
		warn("suppression ignored", "it names no rule (strider:ignore <rule-id> -- <reason>)")
		return d
	case d.Reason == "":
		warn("suppression ignored", "a reason is required: add \"-- <why this is accepted>\"")
		return d
	}
	if s.opts.Known != nil {
		for _, id := range d.IDs {
			if !s.opts.Known(id) {
				warn("suppression ignored", fmt.Sprintf("unknown rule %q", id))
				return d
			}
		}
	}
	if !d.Expires.IsZero() && !s.opts.Today.IsZero() && s.opts.Today.After(d.Expires) {
		warn("suppression expired", fmt.Sprintf("it expired on %s and no longer suppresses %s", d.Expires.Format(time.DateOnly), strings.Join(d.IDs, ", ")))
		return d
	}
	d.valid = true
	return d
}
