package iam

import (
	"testing"
	"unicode/utf8"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::Bucket", false},
		{"arn:aws:s3:::b*", "arn:aws:s3:::bucket/key", true},
		{"arn:aws:s3:::*/key", "arn:aws:s3:::bucket/key", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"", "", true},
		{"*", "", true},
		{"?", "", false},
		// ? takes a whole character, * any run of them.
		{"caf?", "café", true},
		{"caf?", "cafés", false},
		{"caf??", "café", false},
		{"*é", "café", true},
		{"a*b", "a€b", true},
		{"a?b", "a€b", true},
		{"€*", "€uro", true},
		{"*??", "€", false},
		{"*??", "x€", true},
		{"*?", "€", true},
		// A * in the text is still text to a * in the pattern.
		{"*", "*x", true},
		{"a*", "a*b", true},
		{"s3:*", "s3:*Object", true},
		{"s3:Get*", "s3:*Object", false},
	}
	for _, tt := range tests {
		if got := Glob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
		if got := glob([]byte(tt.pattern), tt.s); got != tt.want {
			t.Errorf("glob([]byte(%q), %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestARNFields(t *testing.T) {
	f, ok := ARNFields("arn:aws:s3:::bucket/a:b")
	if !ok || f != [6]string{"arn", "aws", "s3", "", "", "bucket/a:b"} {
		t.Errorf("ARNFields = %q, %v", f, ok)
	}
	if _, ok := ARNFields("arn:aws:iam::123"); ok {
		t.Error("ARNFields of four fields reports ok")
	}
	if got := string(appendARN(nil, f)); got != "arn:aws:s3:::bucket/a:b" {
		t.Errorf("appendARN = %q", got)
	}
}

func TestMatchARNDoesNotAllocate(t *testing.T) {
	// A region- and account-less ARN against a pattern that names them is
	// the common case on a tree whose accounts the code does not tell.
	n := testing.AllocsPerRun(100, func() {
		MatchARN("arn:aws:iam::123456789012:role/deploy-*", "arn:aws:iam:::role/deploy-app", nil)
		MatchARN("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key", nil)
	})
	if n != 0 {
		t.Errorf("MatchARN allocates %v times a call", n)
	}
}

func TestMatchActionWildcardInAction(t *testing.T) {
	// A Deny of s3:* covers a statement's s3:*Object.
	if !MatchAction("s3:*", "s3:*Object") || !MatchAction("S3:*", "s3:*object") {
		t.Error("s3:* does not cover s3:*Object")
	}
	if MatchAction("s3:Get*", "s3:*Object") {
		t.Error("s3:Get* covers s3:*Object")
	}
}

// globReference is the definition Glob implements, over runes and by
// dynamic programming: * matches any run of characters, ? exactly one.
func globReference(pattern, s string) bool {
	p, r := []rune(pattern), []rune(s)
	// m[j] says whether p[:i] matches r[:j], row by row.
	m := make([]bool, len(r)+1)
	m[0] = true
	for i := range p {
		next := make([]bool, len(r)+1)
		for j := 0; j <= len(r); j++ {
			switch p[i] {
			case '*':
				next[j] = m[j] || (j > 0 && next[j-1])
			case '?':
				next[j] = j > 0 && m[j-1]
			default:
				next[j] = j > 0 && m[j-1] && p[i] == r[j-1]
			}
		}
		m = next
	}
	return m[len(r)]
}

func FuzzGlob(f *testing.F) {
	for _, seed := range [][2]string{
		{"arn:aws:s3:::b*", "arn:aws:s3:::bucket/key"}, {"*??", "€"}, {"a*", "a*b"},
		{"caf?", "café"}, {"*é*", "xéy"}, {"?*?", "\xff\xfe"}, {"s3:*", "s3:*Object"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 64 || !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return // policy text is JSON, and JSON text is UTF-8
		}
		if got, want := Glob(pattern, s), globReference(pattern, s); got != want {
			t.Errorf("Glob(%q, %q) = %v, want %v", pattern, s, got, want)
		}
	})
}

func TestLiteralPrefix(t *testing.T) {
	for pat, want := range map[string]string{
		"role/ci-*": "role/ci-", "a?c": "a", "role/${aws:username}": "role/", "exact": "exact", "*": "",
	} {
		if got := LiteralPrefix(pat); got != want {
			t.Errorf("LiteralPrefix(%q) = %q, want %q", pat, got, want)
		}
	}
}
