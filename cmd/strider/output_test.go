package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOutputBuffer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		pieces []string
	}{
		{"empty", nil},
		{"small", []string{"a", "bc", ""}},
		{"exactly one chunk", []string{strings.Repeat("x", outputChunk)}},
		{"across chunks", []string{strings.Repeat("y", outputChunk-3), "12345", strings.Repeat("z", 2*outputChunk+7)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b outputBuffer
			var want bytes.Buffer
			for i, p := range tc.pieces {
				// Alternate the two ways report writers append.
				var n int
				if i%2 == 0 {
					n, _ = b.Write([]byte(p))
				} else {
					n, _ = b.WriteString(p)
				}
				if n != len(p) {
					t.Fatalf("wrote %d of %d bytes", n, len(p))
				}
				want.WriteString(p)
			}
			if b.Len() != want.Len() {
				t.Fatalf("Len = %d, want %d", b.Len(), want.Len())
			}
			for _, c := range b.chunks {
				if len(c) > outputChunk {
					t.Fatalf("chunk of %d bytes", len(c))
				}
			}
			var got bytes.Buffer
			if _, err := b.WriteTo(&got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("content differs: got %d bytes, want %d", got.Len(), want.Len())
			}
			file := filepath.Join(t.TempDir(), "out")
			// A longer file already there is replaced, not overwritten in place.
			if err := os.WriteFile(file, bytes.Repeat([]byte("old"), outputChunk), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := writeOutput(nil, file, &b); err != nil {
				t.Fatal(err)
			}
			onDisk, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(onDisk, want.Bytes()) {
				t.Fatalf("file differs: got %d bytes, want %d", len(onDisk), want.Len())
			}
		})
	}
}
