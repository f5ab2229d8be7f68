package iam

import "strings"

// MatchAction reports whether an IAM action pattern ("s3:Get*",
// "iam:PassRole", "*") matches action, case-insensitively, with * for
// any run of characters and ? for exactly one, as IAM evaluates Action
// and NotAction.
func MatchAction(pattern, action string) bool {
	return Glob(strings.ToLower(pattern), strings.ToLower(action))
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
