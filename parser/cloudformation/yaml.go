package cloudformation

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/strider-sec/strider/graph"
	"gopkg.in/yaml.v3"
)

// Limits on the work one template may cause. YAML aliases let a small file
// describe an exponentially large tree ("billion laughs"), and every visit
// of a node costs time in proportion to its text (a long scalar, a long
// property path, a string an intrinsic function builds), so both the nodes
// visited and the bytes of text handled are capped. A real template, at
// most a megabyte, comes nowhere near either.
const (
	maxNodes = 1_000_000
	maxBytes = 64 << 20
	// maxDepth bounds recursion: yaml.v3 caps the nesting of the text,
	// but a chain of aliases can nest deeper than the text does.
	maxDepth = 1000
	// maxAliasHops bounds alias-to-alias chains, which yaml.v3 never
	// builds but a malformed tree should not loop on.
	maxAliasHops = 32
)

// pair is one key and value of a mapping node.
type pair struct {
	key, val *yaml.Node
	name     string // the key's scalar value
}

// deref follows alias nodes to the node they name. It returns nil for a
// dangling alias.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i == maxAliasHops {
			return nil
		}
		n = n.Alias
	}
	return n
}

// pairs lists the entries of a mapping node in source order, with YAML
// merge keys ("<<: *base") expanded: explicit keys first, then merged keys
// that are not written explicitly, earlier merge sources winning. Keys that
// are not scalars are reported and skipped, since no CloudFormation name
// can be one.
func (p *parser) pairs(n *yaml.Node) []pair {
	return p.pairsRec(n, map[*yaml.Node]bool{})
}

func (p *parser) pairsRec(n *yaml.Node, stack map[*yaml.Node]bool) []pair {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode || stack[n] {
		return nil
	}
	stack[n] = true
	defer delete(stack, n)
	var out, merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k == nil {
			continue
		}
		if !p.tick(k) {
			return out
		}
		if k.Kind != yaml.ScalarNode {
			p.warn(n.Content[i], "mapping key is not a scalar", "the entry is ignored")
			continue
		}
		if k.ShortTag() == "!!merge" {
			merged = append(merged, p.mergeSources(v, stack)...)
			continue
		}
		out = append(out, pair{key: n.Content[i], val: v, name: k.Value})
	}
	if len(merged) == 0 {
		return out
	}
	seen := make(map[string]bool, len(out)+len(merged))
	for _, e := range out {
		seen[e.name] = true
	}
	for _, e := range merged {
		if !seen[e.name] {
			seen[e.name] = true
			out = append(out, e)
		}
	}
	return out
}

// mergeSources reads the value of a merge key: one mapping or a sequence
// of mappings.
func (p *parser) mergeSources(v *yaml.Node, stack map[*yaml.Node]bool) []pair {
	v = deref(v)
	if v == nil {
		return nil
	}
	switch v.Kind {
	case yaml.MappingNode:
		return p.pairsRec(v, stack)
	case yaml.SequenceNode:
		var out []pair
		for _, e := range v.Content {
			out = append(out, p.pairsRec(e, stack)...)
		}
		return out
	}
	p.warn(v, "merge key value is not a mapping", "it is ignored")
	return nil
}

// field returns the value of the first entry named key, or nil.
func field(ps []pair, key string) *yaml.Node {
	for _, e := range ps {
		if e.name == key {
			return e.val
		}
	}
	return nil
}

// fieldPair returns the first entry named key.
func fieldPair(ps []pair, key string) (pair, bool) {
	for _, e := range ps {
		if e.name == key {
			return e, true
		}
	}
	return pair{}, false
}

// clip shortens a name quoted in a diagnostic: names come from the
// template, which may be hostile, and a valid one has at most 255
// characters.
func clip(s string) string {
	const max = 128
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// isString reports whether n is a scalar that YAML reads as a string, so
// that a name such as a logical ID or a type can be taken from it.
func isString(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str"
}

// rangeOf is the position of a node as a point.
func (p *parser) rangeOf(n *yaml.Node) graph.Range {
	if n == nil {
		return graph.Range{Filename: p.name}
	}
	pos := graph.PosAt(n.Line, n.Column)
	return graph.Range{Filename: p.name, Start: pos, End: pos}
}

// keyRange is the span of a mapping key on its line, so that a report can
// underline the name.
func (p *parser) keyRange(k *yaml.Node) graph.Range {
	r := p.rangeOf(k)
	if k == nil || k.Kind != yaml.ScalarNode || k.Line == 0 {
		return r
	}
	w := utf8.RuneCountInString(k.Value)
	switch k.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		w += 2
	case 0, yaml.FlowStyle:
	default:
		return r // literal, folded or tagged: the width is not the value's
	}
	for _, c := range k.Value {
		if c == '\n' {
			return r
		}
	}
	r.End = graph.PosAt(int(r.End.Line), int(r.End.Column)+w)
	return r
}

var errLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the messages of yaml.v3's parser, as opposed to its
// scanner. yaml.v3 prints a parser error's line 0-based and a scanner
// error's 1-based, and omits the line when the 0-based line is 0.
var parserProblems = []string{
	"did not find expected ",
	"found duplicate %",
	"found incompatible YAML document",
	"found undefined tag handle",
	"expected ",
}

// syntaxError turns a yaml.v3 error into a line and a message. yaml.v3
// reports where the enclosing construct starts (the unclosed "[" or the
// mapping an entry does not fit), not the token it choked on, so the line
// is refined from there (see refineLine). JSON input is also read by
// encoding/json, whose offset is the exact place of the error.
func syntaxError(err error, src []byte) (int, string) {
	msg := err.Error()
	line := 1
	if m := errLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if isParserProblem(msg) {
			line++
		}
		line = refineLine(src, line, msg)
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if isReaderProblem(msg) {
			line = badByteLine(src)
		}
	}
	if l, ok := jsonErrorLine(src); ok {
		line = l
	}
	return line, msg
}

func isParserProblem(msg string) bool {
	for _, p := range parserProblems {
		if strings.HasPrefix(msg, p) && !isScannerProblem(msg) {
			return true
		}
	}
	return false
}

// isScannerProblem catches the scanner's "did not find expected ..."
// messages, which share a prefix with the parser's.
func isScannerProblem(msg string) bool {
	for _, s := range []string{
		"did not find expected '!'", "did not find expected alphabetic", "did not find expected comment",
		"did not find expected digit", "did not find expected hexdecimal", "did not find expected tag URI",
		"did not find expected version", "did not find expected whitespace",
	} {
		if strings.HasPrefix(msg, s) {
			return true
		}
	}
	return false
}

// isReaderProblem recognises errors about the bytes themselves, which
// yaml.v3 reports without any position.
func isReaderProblem(msg string) bool {
	return strings.Contains(msg, "UTF-8") || strings.Contains(msg, "UTF-16") ||
		strings.Contains(msg, "control characters") || strings.Contains(msg, "invalid Unicode character")
}

// badByteLine finds the line of the first byte the YAML reader rejects:
// invalid UTF-8, or a control character other than tab and line breaks.
func badByteLine(src []byte) int {
	line := 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		} else if r != '\t' && r != '\r' && r != 0xFEFF && (unicode.Is(unicode.Cc, r) || r == 0xFFFE || r == 0xFFFF) {
			return line
		}
		i += size
	}
	return 1
}

// jsonErrorLine gives the line of a JSON syntax error when src looks like
// a JSON document. At the end of input it is the last line with content.
func jsonErrorLine(src []byte) (int, bool) {
	trimmed := bytes.TrimLeft(src, " \t\r\n\ufeff")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return 0, false
	}
	var serr *json.SyntaxError
	if err := json.Unmarshal(src, new(json.RawMessage)); !errors.As(err, &serr) {
		return 0, false
	}
	off := min(int(serr.Offset), len(src))
	for off > 1 && strings.ContainsRune(" \t\r\n", rune(src[off-1])) {
		off--
	}
	if off > 0 {
		off-- // the byte at fault
	}
	return bytes.Count(src[:off], []byte("\n")) + 1, true
}

// refineLine looks for the line at fault below start, the line where
// yaml.v3 says the failing construct begins. A document cut after a line
// of block YAML is still valid YAML, so the first prefix of the document
// that fails with the same message ends at the offending line; it is
// found by bisection, at the cost of a few parses of a file that is broken
// anyway. When the prefixes do not behave (a flow collection or quoted
// string spanning the cut), start is kept.
func refineLine(src []byte, start int, msg string) int {
	ends := []int{} // ends[i] is the offset just past line i+1
	for i, c := range src {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(src) {
		ends = append(ends, len(src))
	}
	fails := func(line int) bool {
		var n yaml.Node
		err := yaml.Unmarshal(src[:ends[line-1]], &n)
		if err == nil {
			return false
		}
		m := err.Error()
		if sm := errLine.FindStringSubmatch(m); sm != nil {
			m = sm[2]
		}
		return m == msg
	}
	lo, hi := start-1, len(ends)
	if start < 1 || start > hi || (lo >= 1 && fails(lo)) || !fails(hi) {
		return start
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}
