package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

const (
	// sarifSchemaURI is the $schema GitHub's own examples use; go-sarif's
	// default points at a moving branch of the spec repository.
	sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	// srcRootID is the uriBaseId of every location: URIs stay relative to
	// the scan root, so the same tree gives the same report anywhere.
	srcRootID = "%SRCROOT%"
	// fingerprintKey names Strider's own fingerprint. GitHub reads only
	// primaryLocationLineHash; this one is for baselines and other tools.
	fingerprintKey = "strider/v1"
	// maxDescription is GitHub's limit on short and full descriptions.
	maxDescription = 1024
	// lineHashKey is the fingerprint GitHub matches alerts by.
	lineHashKey = "primaryLocationLineHash"
)

// maxResults is GitHub's hard limit of results per run: above it the
// whole upload is rejected. A variable so that tests can lower it.
var maxResults = 25000

// WriteSARIF writes in as a SARIF 2.1.0 log with one run, in the shape
// DESIGN.md ("Output contracts") promises and GitHub code scanning reads:
// every rule in tool.driver.rules, one result per finding with a single
// location relative to %SRCROOT%, the resource address as the logical
// location, and a line-independent fingerprint. Diagnostics and internal
// errors become tool execution notifications and make the invocation
// unsuccessful.
//
// The output is indented JSON followed by a newline, and byte-for-byte
// the same for the same input: it holds no time, host or path outside
// SrcRoot.
func WriteSARIF(w io.Writer, in *Input) error {
	log, err := buildSARIF(in)
	if err != nil {
		return err
	}
	// go-sarif's PrettyWrite escapes <, > and & (as in "ATT&CK") to \u00XX
	// and ends without a newline; encode ourselves instead, compact, and
	// indent on the way out. The results, which are most of a large
	// report, are encoded one at a time into the place the run keeps for
	// them: the report is never held whole in memory as text.
	bw := bufio.NewWriter(w)
	out := &indenter{w: bw}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	run := log.Runs[0]
	results := run.Results
	run.Results = []*sarif.Result{}
	err = enc.Encode(log)
	run.Results = results
	if err != nil {
		return err
	}
	envelope := bytes.Clone(buf.Bytes())
	const slot = `"results":[`
	i := bytes.Index(envelope, []byte(slot+"]"))
	if i < 0 || bytes.Count(envelope, []byte(slot+"]")) != 1 {
		return errors.New("SARIF: cannot place the results in the run")
	}
	out.write(envelope[:i+len(slot)])
	for k, r := range results {
		buf.Reset()
		if err := enc.Encode(r); err != nil {
			return err
		}
		if k > 0 {
			out.write([]byte{','})
		}
		out.write(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}))
	}
	out.write(envelope[i+len(slot):])
	return bw.Flush()
}

// indenter writes compact JSON (as json.Marshal makes it), given in
// pieces, indented by two spaces, byte for byte as json.Indent with no
// prefix would: a newline after every opening bracket and comma and
// before every closing bracket, ": " after keys, and empty objects and
// arrays kept as {} and [].
type indenter struct {
	w                 *bufio.Writer
	depth             int
	needIndent        bool // an opening bracket was written; its newline waits
	inString, escaped bool
}

func (d *indenter) newline() {
	d.w.WriteByte('\n')
	for range d.depth {
		d.w.WriteString("  ")
	}
}

func (d *indenter) write(src []byte) {
	for _, c := range src {
		if d.inString {
			d.w.WriteByte(c)
			switch {
			case d.escaped:
				d.escaped = false
			case c == '\\':
				d.escaped = true
			case c == '"':
				d.inString = false
			}
			continue
		}
		if d.needIndent && c != '}' && c != ']' {
			d.needIndent = false
			d.depth++
			d.newline()
		}
		switch c {
		case '"':
			d.inString = true
			d.w.WriteByte(c)
		case '{', '[':
			d.needIndent = true
			d.w.WriteByte(c)
		case ',':
			d.w.WriteByte(c)
			d.newline()
		case ':':
			d.w.WriteString(": ")
		case '}', ']':
			if d.needIndent {
				d.needIndent = false
			} else {
				d.depth--
				d.newline()
			}
			d.w.WriteByte(c)
		default:
			d.w.WriteByte(c)
		}
	}
}

func buildSARIF(in *Input) (*sarif.Report, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, err
	}
	log.Schema = sarifSchemaURI

	// Build the driver by hand: NewRunWithInformationURI would emit
	// "informationUri": "" (not a URI) when none is configured.
	driver := sarif.NewDriver(in.toolName())
	if in.Tool.Version != "" {
		driver.WithVersion(in.Tool.Version)
	}
	if in.Tool.InformationURI != "" {
		driver.WithInformationURI(in.Tool.InformationURI)
	}
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.WithColumnKind("unicodeCodePoints") // graph.Pos columns count characters
	if in.SrcRoot != "" {
		root, err := srcRootURI(in.SrcRoot)
		if err != nil {
			return nil, err
		}
		run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
			srcRootID: sarif.NewSimpleArtifactLocation(root),
		})
	}

	// Every rule goes in before any result: go-sarif computes ruleIndex
	// when a result is added and stores uint(-1), which GitHub rejects,
	// for a rule it does not know yet.
	for _, r := range in.Rules {
		addRule(run, r)
	}
	if in.Category != "" {
		run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(automationID(in.Category)))
	}
	hashes := lineHashCache{read: in.ReadFile}
	kept, cut := keepResults(in.Findings, maxResults)
	for _, i := range kept {
		res := result(in.Findings[i])
		if h := hashes.at(findingRange(in.Findings[i])); h != "" {
			res.PartialFingerprints[lineHashKey] = h
		}
		addState(res, in.Findings[i], in.state(i))
		run.AddResult(res)
	}
	notes := slices.Clone(in.Notes)
	if cut > 0 {
		notes = append(notes, fmt.Sprintf("%d of %d results left out: GitHub code scanning accepts at most %d per run; the most severe were kept", cut, len(in.Findings), maxResults))
	}
	if err := checkRuleIndexes(run); err != nil {
		return nil, err
	}

	addArtifacts(run, in.inputFiles())
	run.AddInvocations(invocation(in, run, notes))
	log.AddRun(run)
	return log, nil
}

// addRule describes r in the driver. GitHub requires shortDescription,
// fullDescription and help.text; go-sarif would write the first as null
// when unset, so all three are always filled.
func addRule(run *sarif.Run, r *rules.Rule) {
	d := run.AddRule(r.ID)
	// name is the slug: SARIF lets tools offer the name "as an alternative
	// to the id, for example to enable or disable rules", which is exactly
	// what the slug is for (rules.Lookup accepts it), and GitHub's rule
	// filter then shows the words users already know.
	d.WithName(r.Slug)
	d.WithShortDescription(sarif.NewMultiformatMessageString(r.Title))
	d.WithFullDescription(sarif.NewMultiformatMessageString(truncateWords(r.Rationale, maxDescription)))
	d.WithTextHelp(helpText(r))
	d.WithMarkdownHelp(helpMarkdown(r))
	d.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity)))
	d.WithProperties(sarif.Properties{
		"tags":              ruleTags(r),
		"precision":         string(r.Precision),
		"security-severity": securitySeverity(r),
		"stride":            strideNames(r),
		"attack":            slices.Clone(nonNil(r.ATTACK)),
	})
}

func result(f rules.Finding) *sarif.Result {
	msg := f.Message
	if msg == "" {
		msg = f.Rule.Title // SARIF requires message text; never emit {}
	}
	addr := f.Resource.Addr
	loc := sarif.NewLocationWithPhysicalLocation(physicalLocation(findingRange(f), true)).
		WithLogicalLocations([]*sarif.LogicalLocation{
			sarif.NewLogicalLocation().
				WithFullyQualifiedName(addr.String()).
				WithName(addr.Name).
				WithKind("resource"),
		})
	res := sarif.NewRuleResult(f.Rule.ID).
		WithLevel(sarifLevel(f.EffectiveSeverity())).
		WithMessage(sarif.NewTextMessage(msg)).
		WithLocations([]*sarif.Location{loc}).
		WithPartialFingerPrints(map[string]any{fingerprintKey: fingerprint(f)})
	if rel := relatedLocations(f.Related); len(rel) > 0 {
		res.WithRelatedLocations(rel)
	}
	if cf := codeFlow(f.Path); cf != nil {
		res.WithCodeFlows([]*sarif.CodeFlow{cf})
	}
	props := sarif.Properties{
		"resourceType": addr.Type,
		"stride":       strideNames(f.Rule),
	}
	if f.Resource.Change != graph.NoChange {
		props["change"] = string(f.Resource.Change)
	}
	if len(f.ATTACK) > 0 {
		props["attack"] = f.ATTACK
	}
	res.Properties = props
	return res
}

// codeFlow renders an attack path as one thread flow whose locations are
// the steps, in order, each pointing at the code that makes it possible,
// with what the attacker does and the step's ATT&CK technique. Steps
// without a file are kept (a path with a hole would mislead) at the top
// of no file: SARIF allows a thread flow location without a physical
// location, and viewers show the message.
func codeFlow(steps []rules.PathStep) *sarif.CodeFlow {
	if len(steps) == 0 {
		return nil
	}
	tf := sarif.NewThreadFlow()
	for i, st := range steps {
		loc := sarif.NewLocation().WithMessage(sarif.NewTextMessage(st.Message))
		if st.Range.Filename != "" {
			loc.WithPhysicalLocation(physicalLocation(st.Range, true))
		}
		if st.Address != "" {
			loc.WithLogicalLocations([]*sarif.LogicalLocation{
				sarif.NewLogicalLocation().WithFullyQualifiedName(st.Address).WithKind("resource"),
			})
		}
		tfl := sarif.NewThreadFlowLocation().WithLocation(loc).WithExecutionOrder(i + 1)
		if st.Technique != "" {
			tfl.Properties = sarif.Properties{"technique": st.Technique}
		}
		tf.AddLocation(tfl)
	}
	return sarif.NewCodeFlow().WithTextMessage(steps[0].Message).WithThreadFlows([]*sarif.ThreadFlow{tf})
}

// relatedLocations keeps the related places that have a file: a SARIF
// location without one is useless to every viewer and GitHub rejects it.
// IDs count from 1 among those kept, so that a message can link them as
// [text](1).
func relatedLocations(rel []rules.Related) []*sarif.Location {
	var out []*sarif.Location
	for _, r := range rel {
		if r.Range.Filename == "" {
			continue
		}
		loc := sarif.NewLocationWithPhysicalLocation(physicalLocation(r.Range, true)).WithId(len(out) + 1)
		text := r.Message
		if text == "" {
			text = r.Address
		}
		if text != "" {
			loc.WithDescriptionText(text)
		}
		if r.Address != "" {
			loc.WithLogicalLocations([]*sarif.LogicalLocation{
				sarif.NewLogicalLocation().WithFullyQualifiedName(r.Address).WithKind("resource"),
			})
		}
		out = append(out, loc)
	}
	return out
}

// physicalLocation points at rg relative to %SRCROOT%. With needLine, an
// unknown line becomes line 1: GitHub shows no result without a startLine,
// and the top of the file is the honest fallback. Diagnostics without a
// line get no region at all, since the schema forbids an empty one.
func physicalLocation(rg graph.Range, needLine bool) *sarif.PhysicalLocation {
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(artifactLocation(rg.Filename))
	if reg := region(rg, needLine); reg != nil {
		pl.WithRegion(reg)
	}
	return pl
}

func artifactLocation(file string) *sarif.ArtifactLocation {
	return sarif.NewSimpleArtifactLocation(fileURI(file)).WithUriBaseId(srcRootID)
}

func region(rg graph.Range, needLine bool) *sarif.Region {
	start := rg.Start
	if start.Line < 1 {
		if !needLine {
			return nil
		}
		return sarif.NewRegion().WithStartLine(1)
	}
	reg := sarif.NewRegion().WithStartLine(int(start.Line))
	if start.Column >= 1 {
		reg.WithStartColumn(int(start.Column))
	}
	end := rg.End
	if end.Line < start.Line {
		return reg // unknown or inverted end: the start alone is right
	}
	reg.WithEndLine(int(end.Line))
	// graph ranges end after the last character, as SARIF's endColumn
	// does; an omitted startColumn means column 1.
	if end.Column >= 1 && (end.Line > start.Line || end.Column >= max(start.Column, 1)) {
		reg.WithEndColumn(int(end.Column))
	}
	return reg
}

// fileURI turns a slash-separated relative file name into a URI
// reference: spaces, '#', '%' and non-ASCII characters are
// percent-encoded (GitHub warns on, and other consumers reject, raw ones),
// and a first segment with a colon gets "./" so it is not read as a
// scheme.
func fileURI(file string) string {
	return (&url.URL{Path: filepath.ToSlash(file)}).String()
}

// srcRootURI is the file: URI of the scan root, ending in "/" so that
// relative URIs resolve inside it rather than beside it.
func srcRootURI(root string) (string, error) {
	p := filepath.ToSlash(root)
	if filepath.VolumeName(root) != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/src → /C:/src, as file URIs write drive letters
	}
	if !strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("report: SrcRoot %q is not an absolute path", root)
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String(), nil
}

// checkRuleIndexes makes sure every result names its rule by a valid
// index. check() already guarantees it; this guards the go-sarif
// behaviour, which fails silently with 2^64-1.
func checkRuleIndexes(run *sarif.Run) error {
	rs := run.Tool.Driver.Rules
	for i, res := range run.Results {
		if res.RuleIndex == nil || *res.RuleIndex >= uint(len(rs)) || rs[*res.RuleIndex].ID != *res.RuleID {
			return fmt.Errorf("report: internal error: result %d (%s) has no valid ruleIndex", i, *res.RuleID)
		}
	}
	return nil
}

// addArtifacts lists the scanned files (deduplicated and sorted by
// inputFiles) so that a reader can tell a clean file from one that was
// never looked at.
func addArtifacts(run *sarif.Run, files []string) {
	for _, f := range files {
		a := sarif.NewArtifact().WithLocation(artifactLocation(f)).WithLength(-1).WithRole("analysisTarget")
		run.Artifacts = append(run.Artifacts, a)
	}
}

// invocation records whether the scan was complete. Diagnostics and
// internal errors are execution notifications; nothing that varies from
// run to run (times, host, command line) goes in.
func invocation(in *Input, run *sarif.Run, remarks []string) *sarif.Invocation {
	inv := sarif.NewInvocation().WithExecutionSuccess(in.Successful())
	var notes []*sarif.Notification
	for _, r := range remarks {
		notes = append(notes, sarif.NewNotification().WithLevel("note").WithTextMessage(r))
	}
	for _, d := range in.Diagnostics {
		level := "error"
		if d.Severity == graph.Warning {
			level = "warning"
		}
		n := sarif.NewNotification().WithLevel(level).WithTextMessage(nonEmpty(diagnosticText(d), "unknown problem"))
		if d.Range.Filename != "" {
			n.WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(physicalLocation(d.Range, false))})
		}
		notes = append(notes, n)
	}
	for _, err := range in.Errors {
		n := sarif.NewNotification().WithLevel("error").WithTextMessage(nonEmpty(err.Error(), "internal error"))
		if id := ruleErrorID(err); id != "" {
			ref := sarif.NewReportingDescriptorReference().WithId(id)
			if i := slices.IndexFunc(run.Tool.Driver.Rules, func(d *sarif.ReportingDescriptor) bool { return d.ID == id }); i >= 0 {
				ref.WithIndex(i)
			}
			n.WithAssociatedRule(ref)
		}
		notes = append(notes, n)
	}
	if len(notes) > 0 {
		inv.WithToolExecutionNotifications(notes)
	}
	return inv
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
