package iam

import (
	"strings"
	"unicode/utf8"
)

// MatchAction reports whether an IAM action pattern ("s3:Get*",
// "iam:PassRole", "*") matches action, case-insensitively, with * for
// any run of characters and ? for exactly one, as IAM evaluates Action
// and NotAction.
func MatchAction(pattern, action string) bool {
	if isASCII(pattern) && isASCII(action) {
		return globFold(pattern, action)
	}
	return Glob(strings.ToLower(pattern), strings.ToLower(action))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// globFold is Glob over ASCII bytes with ASCII case folding: the hot
// path of action matching, without allocating.
func globFold(p, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && (p[pi] == '?' || lowerASCII(p[pi]) == lowerASCII(s[si])):
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// Glob matches s against pattern with * and ? wildcards, case-sensitively;
// both are UTF-8 text, as policies are.
// It runs in O(len(pattern)·len(s)) without recursion, so hostile input
// cannot make it slow, and without allocating: it is asked millions of
// times on a large tree.
func Glob(pattern, s string) bool { return glob(pattern, s) }

// glob is Glob over strings or bytes. It compares bytes, so a literal
// UTF-8 sequence matches byte for byte, while ? takes a whole rune and *
// gives back one rune at a time: the answer is the one over runes.
func glob[P, S ~string | ~[]byte](p P, s S) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			// Before the literal case: a * in the text is no reason
			// to stop being a wildcard.
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == '?':
			pi++
			si += runeLen(s, si)
		case pi < len(p) && p[pi] == s[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark += runeLen(s, mark)
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// runeLen is the length of the UTF-8 sequence at s[i]; 1 for ASCII and
// for bytes that start none.
func runeLen[S ~string | ~[]byte](s S, i int) int {
	if s[i] < utf8.RuneSelf {
		return 1
	}
	var b [utf8.UTFMax]byte
	n := copy(b[:], s[i:min(i+utf8.UTFMax, len(s))])
	_, w := utf8.DecodeRune(b[:n])
	return w
}

// LiteralPrefix is the start of pattern before its first wildcard or
// policy variable: every string the pattern matches begins with it.
func LiteralPrefix(pattern string) string {
	if i := strings.IndexAny(pattern, "*?$"); i >= 0 {
		return pattern[:i]
	}
	return pattern
}

// ARNFields splits an ARN into its six fields (arn, partition, service,
// region, account, resource) without allocating; ok is false when it has
// fewer. The resource keeps any further colons.
func ARNFields(arn string) (f [6]string, ok bool) {
	rest := arn
	for i := 0; i < 5; i++ {
		var found bool
		f[i], rest, found = strings.Cut(rest, ":")
		if !found {
			return f, false
		}
	}
	f[5] = rest
	return f, true
}

// appendARN joins fields back into an ARN.
func appendARN(b []byte, f [6]string) []byte {
	for i, s := range f {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, s...)
	}
	return b
}

// IsWildcard reports whether a pattern is a bare "*" (or only stars),
// the form that stands for everything.
func IsWildcard(pattern string) bool {
	return pattern != "" && strings.Trim(pattern, "*") == ""
}
