package report

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/rules"
)

// defaultToolName is the SARIF driver name when Input.Tool.Name is empty.
// GitHub keys analyses on the driver name, so it must never be empty or
// vary between runs.
const defaultToolName = "strider"

func (in *Input) toolName() string {
	if in.Tool.Name == "" {
		return defaultToolName
	}
	return in.Tool.Name
}

// check enforces what the machine-readable formats promise their readers:
// every finding belongs to a rule that is listed, names a resource, and
// points into a file. A violation is a bug in the caller, and a report
// that silently dropped the finding or pointed nowhere would be worse
// than no report: GitHub rejects a whole upload for one location-less
// result.
func (in *Input) check() error {
	var errs []error
	ids := make(map[string]bool, len(in.Rules))
	for i, r := range in.Rules {
		switch {
		case r == nil:
			errs = append(errs, fmt.Errorf("report: rule %d is nil", i))
			continue
		case r.ID == "":
			errs = append(errs, fmt.Errorf("report: rule %d has no ID", i))
		case ids[r.ID]:
			errs = append(errs, fmt.Errorf("report: rule %s listed twice", r.ID))
		}
		ids[r.ID] = true
	}
	if in.States != nil && len(in.States) != len(in.Findings) {
		errs = append(errs, fmt.Errorf("report: %d states for %d findings", len(in.States), len(in.Findings)))
	}
	for i, f := range in.Findings {
		switch {
		case f.Rule == nil:
			errs = append(errs, fmt.Errorf("report: finding %d has no rule", i))
		case !ids[f.Rule.ID]:
			errs = append(errs, fmt.Errorf("report: finding %d: rule %s is not in Input.Rules", i, f.Rule.ID))
		}
		if f.Resource == nil {
			errs = append(errs, fmt.Errorf("report: finding %d has no resource", i))
		} else if findingRange(f).Filename == "" {
			errs = append(errs, fmt.Errorf("report: finding %d on %s has no source file", i, f.Resource.Addr))
		}
	}
	return errors.Join(errs...)
}

// findingRange is where a finding points: its own range, or its
// resource's when the rule gave no file or no line in the same file.
func findingRange(f rules.Finding) graph.Range {
	rg := f.Range
	if f.Resource == nil {
		return rg
	}
	rr := f.Resource.Range
	if rg.Filename == "" || (rg.Start.Line == 0 && rr.Filename == rg.Filename) {
		return rr
	}
	return rg
}

// inputFiles are the scanned files sorted and without duplicates or
// empty names, so every format lists and counts them the same way whatever
// order the caller collected them in.
func (in *Input) inputFiles() []string {
	files := slices.Clone(in.Inputs)
	slices.Sort(files)
	files = slices.Compact(files)
	return slices.DeleteFunc(files, func(f string) bool { return f == "" })
}

// fingerprint is the hex SHA-256 of Finding.Fingerprint. Hashing keeps the
// value opaque and fixed-length whatever the address looks like; SARIF
// (partialFingerprints "strider/v1") and JSON carry the same value so a
// baseline made from one format matches the other.
func fingerprint(f rules.Finding) string { return Fingerprint(f) }

// Fingerprint is the value of a finding's "strider/v1" partial
// fingerprint in SARIF and of "fingerprint" in JSON: what baselines match.
func Fingerprint(f rules.Finding) string {
	sum := sha256.Sum256([]byte(f.Fingerprint()))
	return hex.EncodeToString(sum[:])
}

// sarifLevel maps a severity to SARIF's three levels. GitHub shows the
// security-severity instead once a rule has one, but the level still
// drives non-GitHub viewers and GitHub's "fail on error" setting.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Critical, rules.High:
		return "error"
	case rules.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity renders the rule's score with one decimal, as a string:
// GitHub rejects the whole upload when it is not a numeric string.
func securitySeverity(r *rules.Rule) string {
	return strconv.FormatFloat(r.Score(), 'f', 1, 64)
}

// strideNames are the rule's STRIDE categories by their exact names
// ("Information Disclosure"), which DESIGN.md fixes as the contract.
func strideNames(r *rules.Rule) []string {
	out := make([]string, 0, len(r.STRIDE))
	for _, s := range r.STRIDE {
		out = append(out, s.String())
	}
	return out
}

// techniques resolves the rule's ATT&CK IDs. An ID missing from the
// embedded data (rules.Validate forbids it) still goes out with its ID and
// URL and an empty name rather than vanishing from the report.
func techniques(r *rules.Rule) []mappings.Technique {
	out := make([]mappings.Technique, 0, len(r.ATTACK))
	for _, id := range r.ATTACK {
		t, ok := mappings.LookupTechnique(id)
		if !ok {
			t = mappings.Technique{ID: id}
		}
		out = append(out, t)
	}
	return out
}

// findingTechniques are the finding's own ATT&CK techniques when it names
// them (a privilege-escalation technique), else its rule's.
func findingTechniques(f rules.Finding) []mappings.Technique {
	if len(f.ATTACK) == 0 {
		return techniques(f.Rule)
	}
	return techniques(&rules.Rule{ATTACK: f.ATTACK})
}

// maxTags is how many tags GitHub keeps per rule; it drops the rest.
const maxTags = 10

// ruleTags are the rule's SARIF tags, most important first so that
// trimming to maxTags loses the least: "security" (without it GitHub
// ignores security-severity), STRIDE categories, ATT&CK techniques, then
// ATT&CK tactics.
func ruleTags(r *rules.Rule) []string {
	tags := []string{"security"}
	seen := map[string]bool{"security": true}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	for _, s := range r.STRIDE {
		add(s.Tag())
	}
	ts := techniques(r)
	for _, t := range ts {
		add("attack/" + t.ID)
	}
	for _, t := range ts {
		for _, tactic := range t.Tactics {
			add("attack-tactic/" + tactic)
		}
	}
	if len(tags) > maxTags {
		tags = tags[:maxTags]
	}
	return tags
}

// truncateWords shortens s to at most max bytes, cutting at a word
// boundary and marking the cut with an ellipsis. Bytes, not characters:
// GitHub does not say how it counts its 1024-"character" limits, and a
// string within max bytes is within max in runes and UTF-16 units too.
func truncateWords(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ellipsis = "…"
	cut := s[:max-len(ellipsis)]
	for !utf8.ValidString(cut) { // do not split a multi-byte character
		cut = cut[:len(cut)-1]
	}
	if next, _ := utf8.DecodeRuneInString(s[len(cut):]); !unicode.IsSpace(next) {
		if i := strings.LastIndexAny(cut, " \t\n"); i > 0 {
			cut = cut[:i] // drop the partial word
		}
	}
	return strings.TrimRight(cut, " \t\n,;:—-") + ellipsis
}

// firstLine is the first line of s; internal errors carry stack traces
// that belong in machine output, not on a terminal.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// ruleErrorID is the ID of the rule an internal error came from, if any.
func ruleErrorID(err error) string {
	var re *rules.RuleError
	if errors.As(err, &re) && re.Rule != nil {
		return re.Rule.ID
	}
	return ""
}

// diagnosticText is a diagnostic's summary and detail as one message.
func diagnosticText(d graph.Diagnostic) string {
	if d.Detail == "" {
		return d.Summary
	}
	if d.Summary == "" {
		return d.Detail
	}
	return d.Summary + ": " + d.Detail
}
