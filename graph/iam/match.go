package iam

import "strings"

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
		case pi < len(p) && (p[pi] == '?' || lowerASCII(p[pi]) == lowerASCII(s[si])):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
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

// Glob matches s against pattern with * and ? wildcards, case-sensitively.
// It runs in O(len(pattern)·len(s)) without recursion, so hostile input
// cannot make it slow.
func Glob(pattern, s string) bool {
	p := []rune(pattern)
	r := []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(r) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == r[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
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

// IsWildcard reports whether a pattern is a bare "*" (or only stars),
// the form that stands for everything.
func IsWildcard(pattern string) bool {
	return pattern != "" && strings.Trim(pattern, "*") == ""
}
