package report

import (
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Vectors published with the reference implementation
// (github/codeql-action src/fingerprints.test.ts), so that a port error in
// any branch (CR handling, the EOF sentinel, duplicate counters) shows.
func TestLineHashesKnownValues(t *testing.T) {
	crlfWant := []string{
		"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
		"b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1",
	}
	tests := []struct {
		name, src string
		want      []string
	}{
		{"empty", "", []string{"c129715d7a2bc9a3:1"}},
		{"blanks", " a\nb\n  \t\tc\n d", []string{"271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"}},
		{"no final newline", " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
			[]string{"8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1", "b86d3392aea1be30:1", "e6ceba753e1a442:1"}},
		{"LF", " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", crlfWant},
		{"CR", " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", crlfWant},
		{"CRLF", " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", crlfWant},
		{"mixed", " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n", crlfWant},
		{"repeated", strings.Repeat("Lorem ipsum dolor sit amet.\n", 10), []string{
			"a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3", "a7f2ff13bc495cf2:4",
			"a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6", "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1",
			"55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, LineHashes([]byte(tt.src))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// refLineHash derives one line's hash from the algorithm's definition
// rather than its rolling form: the window of the 100 characters starting
// at the line (whitespace dropped, the EOF sentinel, then zeros) read as a
// base-37 number modulo 2^64.
func refLineHash(chars []uint64, from int) string {
	mod := new(big.Int).Lsh(big.NewInt(1), 64)
	h := new(big.Int)
	for i := range lineHashBlock {
		var c uint64
		if from+i < len(chars) {
			c = chars[from+i]
		}
		h.Mul(h, big.NewInt(lineHashMod))
		h.Add(h, new(big.Int).SetUint64(c))
		h.Mod(h, mod)
	}
	return h.Text(16)
}

func TestLineHashesMatchDefinition(t *testing.T) {
	src := "resource \"aws_instance\" \"app\" {\n  ami = \"ami-123\"\n\n\tmetadata_options {\n    http_tokens = \"optional\" # é, 😀\n  }\n}\n"
	// The character stream the definition hashes, and where lines start.
	var chars []uint64
	var starts []int
	lineStart := true
	for _, u := range utf16Units(src) {
		if u == ' ' || u == '\t' {
			continue
		}
		if lineStart {
			starts = append(starts, len(chars))
			lineStart = false
		}
		if u == '\n' {
			lineStart = true
		}
		chars = append(chars, u)
	}
	starts = append(starts, len(chars)) // the line the EOF sentinel starts
	chars = append(chars, lineHashEOF)

	got := LineHashes([]byte(src))
	if len(got) != len(starts) {
		t.Fatalf("got %d hashes, want %d", len(got), len(starts))
	}
	seen := map[string]int{}
	for i, s := range starts {
		h := refLineHash(chars, s)
		seen[h]++
		want := h + ":" + itoa(seen[h])
		if got[i] != want {
			t.Errorf("line %d: got %s, want %s", i+1, got[i], want)
		}
	}
}

func utf16Units(s string) []uint64 {
	var out []uint64
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint64(0xD800+(r>>10)), uint64(0xDC00+(r&0x3FF)))
			continue
		}
		out = append(out, uint64(r))
	}
	return out
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// Moving a block down the file keeps its line hash: the hash depends only
// on the text from the line on, not on the line number.
func TestLineHashesSurviveMoves(t *testing.T) {
	block := "resource \"aws_instance\" \"app\" {\n  ami = \"ami-0123456789abcdef0\"\n  instance_type = \"t3.micro\"\n  metadata_options { http_tokens = \"optional\" }\n}\n"
	before := LineHashes([]byte(block))
	after := LineHashes([]byte("variable \"x\" {}\n\n# a comment\n" + block))
	if before[0] != after[3] {
		t.Errorf("hash changed after the move: %s → %s", before[0], after[3])
	}
}

func BenchmarkLineHashes(b *testing.B) {
	src := []byte(strings.Repeat("resource \"aws_instance\" \"app\" {\n  ami = \"ami-123\"\n}\n", 20000))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		LineHashes(src)
	}
}
