package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/strider-sec/strider/audit"
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
)

// configName is the file looked for at the repository root.
const configName = ".strider.yaml"

// config is .strider.yaml: which rules run, which paths are left out,
// severity overrides, and risks accepted outside the code.
//
//	rules: [all, -SDR-EC2-001]          # default: all
//	exclude: [legacy/**, "**/testdata"] # paths relative to the repository root
//	severity:
//	  ec2-imdsv1-reachable: medium
//	accept:
//	  - rule: SDR-EC2-001
//	    resource: module.legacy.*       # address; * matches any text
//	    owner: platform-team
//	    reason: fleet retired in Q3
//	    expires: 2026-12-31
//	accounts:                           # landing zones: which files live in which account
//	  - path: accounts/prod/**          # relative to the directory of this file
//	    account: "111111111111"
//	    name: prod
//	    role: workload                  # management, log-archive, security, network or workload
type config struct {
	Rules    []string          `yaml:"rules"`
	Exclude  []string          `yaml:"exclude"`
	Severity map[string]string `yaml:"severity"`
	Accept   []acceptedRisk    `yaml:"accept"`
	Accounts []accountEntry    `yaml:"accounts"`

	// dir is the config's directory, absolute: account paths are
	// relative to it.
	dir string

	// file is the config's name relative to the repository root, for
	// the locations of external suppressions.
	file string
}

// acceptedRisk is a finding accepted in the config file rather than in
// the code: SARIF suppression kind "external".
type acceptedRisk struct {
	Rule     string `yaml:"rule"`
	Resource string `yaml:"resource"`
	Owner    string `yaml:"owner"`
	Reason   string `yaml:"reason"`
	Expires  string `yaml:"expires"`

	line    int
	expires time.Time
	addr    *regexp.Regexp
}

// accountEntry declares an account: the files under Path (when given)
// live in it, and Role says what it is for in the landing zone.
type accountEntry struct {
	Path    string `yaml:"path"`
	Account string `yaml:"account"`
	Name    string `yaml:"name"`
	Role    string `yaml:"role"`
}

// conventions are the account entries with a path, as scan options
// relative to base.
func (c *config) conventions(base string) []scan.AccountConvention {
	var out []scan.AccountConvention
	for _, a := range c.Accounts {
		if a.Path == "" {
			continue
		}
		p := filepath.ToSlash(filepath.Clean(a.Path))
		if c.dir != "" {
			if rel, err := filepath.Rel(base, c.dir); err == nil && rel != "." {
				p = filepath.ToSlash(rel) + "/" + p
			}
		}
		out = append(out, scan.AccountConvention{Path: p, Account: a.Account, Name: a.Name})
	}
	return out
}

// accountIDs are the declared account IDs by name, for the accounts the
// code creates under those names.
func (c *config) accountIDs() map[string]string {
	out := map[string]string{}
	for _, a := range c.Accounts {
		if a.Account != "" && a.Name != "" {
			out[a.Name] = a.Account
		}
	}
	return out
}

// declared are the accounts for the audit.
func (c *config) declared() []audit.Declared {
	var out []audit.Declared
	for _, a := range c.Accounts {
		out = append(out, audit.Declared{ID: a.Account, Name: a.Name, Role: a.Role})
	}
	return out
}

// loadConfig reads the config file. Problems are errors: a config the
// user wrote and we misread would silently change what is reported.
func loadConfig(path, repoRoot string) (*config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c config
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Accepted risks point at their line in the config only when it lies
	// in the repository; elsewhere a SARIF location could not resolve, and
	// the suppression points at the finding instead.
	if abs, err := filepath.Abs(path); err == nil {
		if rel, err := filepath.Rel(repoRoot, abs); err == nil && filepath.IsLocal(rel) {
			c.file = filepath.ToSlash(rel)
		}
	}
	if abs, err := filepath.Abs(path); err == nil {
		c.dir = filepath.Dir(abs)
	}
	var doc yaml.Node
	_ = yaml.Unmarshal(src, &doc) // decoded above; only lines are wanted
	var accepted *yaml.Node
	if len(doc.Content) > 0 {
		accepted = yamlValue(doc.Content[0], "accept")
	}
	var errs []error
	for i := range c.Accept {
		a := &c.Accept[i]
		if accepted != nil && i < len(accepted.Content) {
			a.line = accepted.Content[i].Line
		}
		where := fmt.Sprintf("%s:%d: accepted risk", path, a.line)
		if _, ok := rules.Lookup(a.Rule); !ok {
			errs = append(errs, fmt.Errorf("%s: unknown rule %q", where, a.Rule))
		}
		if strings.TrimSpace(a.Owner) == "" || strings.TrimSpace(a.Reason) == "" {
			errs = append(errs, fmt.Errorf("%s: owner and reason are required", where))
		}
		if a.Expires != "" {
			if a.expires, err = time.Parse(time.DateOnly, a.Expires); err != nil {
				errs = append(errs, fmt.Errorf("%s: expires %q is not a date YYYY-MM-DD", where, a.Expires))
			}
		}
		a.addr = globRegexp(nonEmptyOr(a.Resource, "*"), false)
	}
	for i, a := range c.Accounts {
		where := fmt.Sprintf("%s: accounts[%d]", path, i)
		if a.Account == "" && a.Name == "" {
			errs = append(errs, fmt.Errorf("%s: an account needs an account ID or a name", where))
		}
		if a.Account != "" {
			if err := (scan.AccountConvention{Path: "x", Account: a.Account}).Validate(); err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a 12-digit account ID", where, a.Account))
			}
		} else if a.Path != "" {
			errs = append(errs, fmt.Errorf("%s: path %s needs the account ID its files live in", where, a.Path))
		}
		if a.Role != "" && !slices.Contains(audit.Roles, a.Role) {
			errs = append(errs, fmt.Errorf("%s: unknown role %q (want %s)", where, a.Role, strings.Join(audit.Roles, ", ")))
		}
	}
	for name, sev := range c.Severity {
		if _, ok := rules.Lookup(name); !ok {
			errs = append(errs, fmt.Errorf("%s: severity: unknown rule %q", path, name))
		}
		if _, err := rules.ParseSeverity(sev); err != nil {
			errs = append(errs, fmt.Errorf("%s: severity of %s: %w", path, name, err))
		}
	}
	if _, err := c.selectRules(rules.All()); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", path, err))
	}
	return &c, errors.Join(errs...)
}

func yamlValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func nonEmptyOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// selectRules applies the rules list in order: "all" adds every rule, a
// name adds one, "-name" removes one. A list that starts with a removal
// starts from all rules. Severity overrides are applied to copies, so the
// registry's values stay untouched.
func (c *config) selectRules(all []*rules.Rule) ([]*rules.Rule, error) {
	entries := c.Rules
	if len(entries) == 0 || strings.HasPrefix(entries[0], "-") {
		entries = append([]string{"all"}, entries...)
	}
	on := map[string]bool{}
	for _, e := range entries {
		name, remove := strings.CutPrefix(strings.TrimSpace(e), "-")
		if strings.EqualFold(name, "all") {
			for _, r := range all {
				on[r.ID] = !remove
			}
			continue
		}
		r, ok := rules.Lookup(name)
		if !ok {
			return nil, fmt.Errorf("rules: unknown rule %q", name)
		}
		on[r.ID] = !remove
	}
	out := []*rules.Rule{} // non-nil: scan reads nil as "all rules"
	for _, r := range all {
		if !on[r.ID] {
			continue
		}
		for name, sev := range c.Severity {
			if lr, ok := rules.Lookup(name); ok && lr.ID == r.ID {
				s, err := rules.ParseSeverity(sev)
				if err != nil {
					return nil, err
				}
				cp := *r
				cp.Severity = s
				cp.SecuritySeverity = 0 // the score follows the new severity
				r = &cp
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// excluded reports whether a file (relative to the repository root) is
// under an exclude pattern. A pattern matches the file or any directory
// above it; "**" matches across directories, "*" within one.
func (c *config) excluded(file string) bool {
	for _, p := range c.Exclude {
		re := globRegexp(strings.TrimSuffix(p, "/"), true)
		for f := file; f != "." && f != "/" && f != ""; f = pathDir(f) {
			if re.MatchString(f) {
				return true
			}
		}
	}
	return false
}

func pathDir(f string) string {
	i := strings.LastIndexByte(f, '/')
	if i < 0 {
		return ""
	}
	return f[:i]
}

// globRegexp compiles a glob. For paths, "*" stays within a directory;
// for addresses it matches any text.
func globRegexp(glob string, paths bool) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; {
		case paths && strings.HasPrefix(glob[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*' && paths:
			b.WriteString("[^/]*")
		case c == '*':
			b.WriteString(".*")
		case c == '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// accepted finds the accepted risk that covers a finding on this day.
// Expired ones are returned too, with expired set, so that the caller can
// say so.
func (c *config) accepted(f rules.Finding, today time.Time) (a *acceptedRisk, expired bool) {
	for i := range c.Accept {
		a := &c.Accept[i]
		r, ok := rules.Lookup(a.Rule)
		if !ok || r.ID != f.Rule.ID || !a.addr.MatchString(f.Resource.Addr.String()) {
			continue
		}
		return a, !a.expires.IsZero() && today.After(a.expires)
	}
	return nil, false
}

func (a *acceptedRisk) rangeIn(file string) graph.Range {
	if file == "" {
		return graph.Range{}
	}
	return graph.Range{Filename: file, Start: graph.PosAt(a.line, 0)}
}

// findConfig is --config, else .strider.yaml in the one directory named
// on the command line, else .strider.yaml at the repository root when
// present, else none.
func findConfig(flag, repoRoot string, paths []string) string {
	if flag != "" {
		return flag
	}
	// A tree named alone may carry its own configuration (a landing zone
	// inside a larger repository): it is closer to the code than the
	// repository's and wins.
	if len(paths) == 1 {
		if st, err := os.Stat(paths[0]); err == nil && st.IsDir() {
			p := filepath.Join(paths[0], configName)
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	p := filepath.Join(repoRoot, configName)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// findRepoRoot is the nearest directory at or above dir holding .git (a
// directory, or a file in a worktree).
func findRepoRoot(dir string) (string, bool) {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}
