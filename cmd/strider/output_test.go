package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
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
		})
	}
}

func TestReportOutput(t *testing.T) {
	content := strings.Repeat("report ", outputChunk/3)
	render := func(out *reportOutput) {
		for i := 0; i < len(content); i += 4096 {
			out.WriteString(content[i:min(i+4096, len(content))])
		}
	}
	t.Run("file", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "out.sarif")
		// A longer file already there is replaced, not overwritten in place.
		if err := os.WriteFile(file, bytes.Repeat([]byte("old"), outputChunk), 0o640); err != nil {
			t.Fatal(err)
		}
		out := newReportOutput(nil, file)
		render(out)
		if err := out.close(nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(file); string(got) != content {
			t.Fatalf("file holds %d bytes, want the report's %d", len(got), len(content))
		}
		if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o640 {
			t.Errorf("mode %v, want the replaced file's 0640", fi.Mode().Perm())
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%d files in the directory, want the report alone", len(entries))
		}
	})
	t.Run("failed render", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "out.sarif")
		if err := os.WriteFile(file, []byte("earlier report"), 0o644); err != nil {
			t.Fatal(err)
		}
		out := newReportOutput(nil, file)
		render(out)
		failure := errors.New("render failed")
		if err := out.close(failure); err != failure {
			t.Fatalf("close = %v, want the render's error", err)
		}
		if got, _ := os.ReadFile(file); string(got) != "earlier report" {
			t.Errorf("a failed render changed the file: %q", got[:min(len(got), 20)])
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%d files in the directory, want no temporary file left", len(entries))
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "no", "out.sarif")
		out := newReportOutput(nil, file)
		render(out)
		if err := out.close(nil); err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("close = %v, want an error naming %s", err, file)
		}
	})
	t.Run("standard output", func(t *testing.T) {
		cmd := &cobra.Command{}
		var stdout bytes.Buffer
		cmd.SetOut(&stdout)
		out := newReportOutput(cmd, "")
		render(out)
		if stdout.Len() != 0 {
			t.Fatal("written before the report is complete")
		}
		if err := out.close(nil); err != nil || stdout.String() != content {
			t.Fatalf("close = %v, wrote %d bytes of %d", err, stdout.Len(), len(content))
		}
	})
}
