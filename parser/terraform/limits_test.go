package terraform

import (
	"strings"
	"testing"
)

func TestCheckSource(t *testing.T) {
	tests := []struct {
		name, file, src string
		max             int64
		want            string // summary, empty for accepted
		line            int
	}{
		{"ordinary", "main.tf", "resource \"a\" \"b\" {\n  x = [{ y = \"${z}\" }]\n}\n", 1 << 20, "", 0},
		{"brackets inside strings and comments do not count", "main.tf",
			"# " + strings.Repeat("(", 2000) + "\nlocals { x = \"" + strings.Repeat("[", 2000) + "\" }\n", 1 << 20, "", 0},
		{"too large", "main.tf", "locals {}\n", 5, "file larger than 5 bytes not read", 0},
		{"NUL byte", "main.tf", "locals {}\n\n\x00", 1 << 20, "not a text file", 3},
		{"invalid UTF-8", "main.tf", "a = 1\nb = \"\xff\"\n", 1 << 20, "not a text file", 2},
		{"deep parentheses", "main.tf", "x = \n" + strings.Repeat("(", 600) + "1" + strings.Repeat(")", 600), 1 << 20, "nesting too deep", 2},
		{"deep interpolation", "main.tf", "x = " + strings.Repeat("\"${", 501) + "1" + strings.Repeat("}\"", 501), 1 << 20, "nesting too deep", 1},
		{"deep JSON", "main.tf.json", "{\n\"x\": " + strings.Repeat("[", 501) + strings.Repeat("]", 501) + "}", 1 << 20, "nesting too deep", 2},
		{"JSON brackets in strings", "main.tf.json", `{"x": "` + strings.Repeat("[", 2000) + `\"["}`, 1 << 20, "", 0},
	}
	for _, tt := range tests {
		d := checkSource([]byte(tt.src), tt.file, tt.max)
		switch {
		case tt.want == "" && d != nil:
			t.Errorf("%s: refused: %v", tt.name, d)
		case tt.want != "" && d == nil:
			t.Errorf("%s: accepted, want %q", tt.name, tt.want)
		case d != nil && (d.Summary != tt.want || int(d.Range.Start.Line) != tt.line || d.Range.Filename != tt.file):
			t.Errorf("%s: got %q at %s, want %q at line %d", tt.name, d.Summary, d.Range, tt.want, tt.line)
		}
	}
}
