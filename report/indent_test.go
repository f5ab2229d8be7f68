package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
)

// TestIndenter holds the streaming indenter to json.Indent, which
// json.Encoder's SetIndent used to produce the SARIF bytes.
func TestIndenter(t *testing.T) {
	for _, v := range []any{
		map[string]any{},
		[]any{},
		map[string]any{"a": []any{}, "b": map[string]any{}, "c": []any{map[string]any{}, []any{[]any{}}}},
		map[string]any{"quote \" and {[,:]}": `back\slash \" "{"`, "n": 1.5, "t": true, "z": nil},
		[]any{"\\", "\\\"", "a,b", "ATT&CK <x>", "ünïcode\u2028", 0, -3e-9, []any{1, []any{2, map[string]any{"k": "v"}}}},
		"just a string",
		42,
	} {
		var compact bytes.Buffer
		enc := json.NewEncoder(&compact)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		bw := bufio.NewWriter(&got)
		// Given in pieces of every size, as WriteSARIF gives it.
		d := &indenter{w: bw}
		src := compact.Bytes()
		for n := 1; len(src) > 0; n++ {
			k := min(n, len(src))
			d.write(src[:k])
			src = src[k:]
		}
		bw.Flush()
		if got.String() != want.String() {
			t.Errorf("%s:\ngot  %q\nwant %q", compact.Bytes(), got.String(), want.String())
		}
	}
}
