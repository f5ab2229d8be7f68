package terraform

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strider-sec/strider/graph"
)

// maxNesting bounds brackets, braces, parentheses and template
// interpolations open at once. The HCL parser recurses per level, and a
// hostile file nested a few hundred thousand deep exhausts the goroutine
// stack, which no recover can catch; real configurations stay below 30.
const maxNesting = 500

// DefaultMaxFileSize is the largest configuration file read when Options
// give none.
const DefaultMaxFileSize = 50 << 20

// checkSource refuses, before parsing, what would make the parser flood
// the user with diagnostics or exhaust the machine: an oversized file,
// bytes that are not UTF-8 text, nesting past maxNesting. It reports one
// diagnostic naming the file, so the rest of the module is still read.
func checkSource(src []byte, name string, maxSize int64) *graph.Diagnostic {
	at := func(line int) graph.Range { return graph.Range{Filename: name, Start: graph.PosAt(line, 0)} }
	if int64(len(src)) > maxSize {
		return &graph.Diagnostic{Severity: graph.Error,
			Summary: fmt.Sprintf("file larger than %d bytes not read", maxSize), Range: at(0)}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 || !utf8.Valid(src) {
		if i < 0 {
			i = firstInvalidUTF8(src)
		}
		return &graph.Diagnostic{Severity: graph.Error, Summary: "not a text file",
			Detail: "Terraform configuration must be UTF-8 text; this file holds binary data or another encoding",
			Range:  at(1 + bytes.Count(src[:i], []byte{'\n'}))}
	}
	depth, line := nesting(src, name)
	if depth > maxNesting {
		return &graph.Diagnostic{Severity: graph.Error, Summary: "nesting too deep",
			Detail: fmt.Sprintf("more than %d levels of brackets or interpolations; the file is not read", maxNesting),
			Range:  at(line)}
	}
	return nil
}

func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(src)
}

// nesting returns the deepest nesting in src and the line where it first
// passes maxNesting. Native syntax is lexed (linear, no recursion), so
// brackets inside strings and comments do not count; JSON is scanned with
// its string rules.
func nesting(src []byte, name string) (int, int) {
	if bytes.HasSuffix([]byte(name), []byte(".json")) {
		return jsonNesting(src)
	}
	tokens, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	depth, deepest, line := 0, 0, 0
	for _, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
			if depth > deepest {
				deepest = depth
				if deepest == maxNesting+1 {
					line = t.Range.Start.Line
				}
			}
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
			depth--
		}
	}
	return deepest, line
}

func jsonNesting(src []byte) (int, int) {
	depth, deepest, line, lines := 0, 0, 0, 1
	inString, escaped := false, false
	for _, c := range src {
		switch {
		case c == '\n':
			lines++
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > deepest {
				deepest = depth
				if deepest == maxNesting+1 {
					line = lines
				}
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest, line
}
