package main

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/report"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
	"github.com/strider-sec/strider/suppress"
)

type postOptions struct {
	fsys        fs.FS // the repository root, for suppression comments
	config      *config
	baseline    baseline // nil: no baseline
	changedOnly bool
	today       time.Time
}

// post is what the scan reports after the CI-facing steps.
type post struct {
	findings []rules.Finding
	states   []report.State // parallel to findings
	notes    []string
}

// postprocess applies, in order, the config's excluded paths,
// --changed-only, suppressions (in the code and accepted in the config)
// and the baseline. Problems with suppressions become warnings in
// res.Diagnostics. Suppressed findings are kept, with their suppressions,
// so that SARIF can carry them; baseline matches are dropped.
func postprocess(res *scan.Result, o postOptions) post {
	var p post
	var excluded, unchanged, known, suppressed int
	sup := suppress.New(o.fsys, suppress.Options{Today: o.today, Known: func(id string) bool {
		_, ok := rules.Lookup(id)
		return ok
	}})
	for _, name := range res.Inputs {
		sup.Scan(name) // report broken directives in files without findings too
	}
	expiredReported := map[int]bool{}
	for _, f := range res.Findings {
		if o.config.excluded(findingFile(f)) {
			excluded++
			continue
		}
		if o.changedOnly && !changed(f.Resource) {
			unchanged++
			continue
		}
		fp := report.Fingerprint(f)
		if o.baseline != nil && o.baseline[fp] {
			known++
			continue
		}
		var st report.State
		if o.baseline != nil {
			st.Baseline = report.BaselineNew
		}
		if d, ok := sup.Match(f); ok {
			why := d.Reason
			if !d.Expires.IsZero() {
				why += " (until " + d.Expires.Format(time.DateOnly) + ")"
			}
			st.Suppressions = append(st.Suppressions, report.Suppression{Kind: report.InSource, Justification: why, Range: d.Range})
		}
		if a, expired := o.config.accepted(f, o.today); a != nil {
			rg := a.rangeIn(o.config.file)
			if expired {
				if !expiredReported[a.line] {
					expiredReported[a.line] = true
					res.Diagnostics = append(res.Diagnostics, graph.Diagnostic{Severity: graph.Warning, Summary: "accepted risk expired",
						Detail: fmt.Sprintf("the acceptance of %s by %s expired on %s and no longer suppresses it", a.Rule, a.Owner, a.Expires), Range: rg})
				}
			} else {
				why := a.Reason + " (owner: " + a.Owner
				if a.Expires != "" {
					why += ", until " + a.Expires
				}
				st.Suppressions = append(st.Suppressions, report.Suppression{Kind: report.External, Justification: why + ")", Range: rg})
			}
		}
		if len(st.Suppressions) > 0 {
			suppressed++
		}
		p.findings = append(p.findings, f)
		p.states = append(p.states, st)
	}
	res.Diagnostics = append(res.Diagnostics, sup.Diagnostics()...)
	for _, name := range res.Inputs {
		if name == ".." || strings.HasPrefix(name, "../") {
			// GitHub rejects or drops locations outside the repository;
			// say so once rather than let the upload fail later.
			res.Diagnostics = append(res.Diagnostics, graph.Diagnostic{Severity: graph.Warning,
				Summary: "input outside the repository root",
				Detail:  "file names are relative to " + res.BaseDir + " (--repo-root); GitHub code scanning cannot show results outside the repository",
				Range:   graph.Range{Filename: name}})
			break
		}
	}
	res.Diagnostics.Sort()
	if excluded > 0 {
		p.notes = append(p.notes, plural(excluded, "finding")+" in paths the config excludes not reported")
	}
	if unchanged > 0 {
		p.notes = append(p.notes, plural(unchanged, "finding")+" on resources the plan does not create, update or replace not reported (--changed-only)")
	}
	if o.baseline != nil {
		p.notes = append(p.notes, plural(known, "finding")+" already in the baseline not reported")
	}
	if suppressed > 0 {
		p.notes = append(p.notes, plural(suppressed, "finding")+" suppressed (kept in SARIF, not counted in the exit code)")
	}
	return p
}

// changed reports whether --changed-only keeps findings on r: resources
// a plan creates, updates or replaces, and resources not from a plan
// (the flag is about plans; sources scanned beside them stay).
func changed(r *graph.Resource) bool {
	if r == nil || r.Format != graph.Plan {
		return true
	}
	switch r.Change {
	case graph.Create, graph.Update, graph.Replace:
		return true
	}
	return false
}

// findingFile is the file a finding points into, as reports show it.
func findingFile(f rules.Finding) string {
	if f.Range.Filename != "" {
		return f.Range.Filename
	}
	if f.Resource != nil {
		return f.Resource.Range.Filename
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// withoutSuppressed is in for people: suppressed findings are left out
// (the note says how many), as they need no action.
func withoutSuppressed(in *report.Input) *report.Input {
	out := *in
	out.Findings, out.States = nil, nil
	for i, f := range in.Findings {
		if !in.Suppressed(i) {
			out.Findings = append(out.Findings, f)
			if i < len(in.States) {
				out.States = append(out.States, in.States[i])
			}
		}
	}
	return &out
}

// defaultCategory is "strider/<kinds>": one analysis per kind of input,
// so that a Terraform job and a plan job in the same repository do not
// replace each other's results in GitHub code scanning.
func defaultCategory(kinds []scan.Kind) string {
	if len(kinds) == 0 {
		return "strider"
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return "strider/" + strings.Join(names, "+")
}

// githubBlobBase is the URL files link to in Markdown when running in
// GitHub Actions ("https://github.com/o/r/blob/<sha>/"), else "" for
// links relative to the repository root.
func githubBlobBase() string {
	server, repo, sha := os.Getenv("GITHUB_SERVER_URL"), os.Getenv("GITHUB_REPOSITORY"), os.Getenv("GITHUB_SHA")
	if server == "" || repo == "" || sha == "" {
		return ""
	}
	return strings.TrimSuffix(server, "/") + "/" + repo + "/blob/" + sha + "/"
}
