package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
)

// outputChunk is the size of one piece of an outputBuffer.
const outputChunk = 1 << 20

// outputBuffer holds a whole report until it is known to be complete, so
// that a failure never leaves half a report behind. Unlike bytes.Buffer
// it grows by fixed pieces rather than by doubling and copying: a report
// of a large tree (tens of megabytes) then costs its own size and not up
// to three times that at the moment the scan's memory peaks.
type outputBuffer struct {
	chunks [][]byte
}

// Write appends p; it never fails.
func (b *outputBuffer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(b.chunks) == 0 || len(b.chunks[len(b.chunks)-1]) == outputChunk {
			b.chunks = append(b.chunks, make([]byte, 0, outputChunk))
		}
		last := &b.chunks[len(b.chunks)-1]
		k := min(len(p), outputChunk-len(*last))
		*last = append(*last, p[:k]...)
		p = p[k:]
	}
	return n, nil
}

// WriteString appends s; it never fails.
func (b *outputBuffer) WriteString(s string) (int, error) {
	n := len(s)
	for len(s) > 0 {
		if len(b.chunks) == 0 || len(b.chunks[len(b.chunks)-1]) == outputChunk {
			b.chunks = append(b.chunks, make([]byte, 0, outputChunk))
		}
		last := &b.chunks[len(b.chunks)-1]
		k := min(len(s), outputChunk-len(*last))
		*last = append(*last, s[:k]...)
		s = s[k:]
	}
	return n, nil
}

// Len is the number of bytes held.
func (b *outputBuffer) Len() int {
	n := 0
	for _, c := range b.chunks {
		n += len(c)
	}
	return n
}

// WriteTo writes everything held to w.
func (b *outputBuffer) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, c := range b.chunks {
		k, err := w.Write(c)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// writeOutput writes a complete report to the file named, or to standard
// output when the name is empty.
func writeOutput(cmd *cobra.Command, output string, data *outputBuffer) error {
	if output == "" {
		_, err := data.WriteTo(cmd.OutOrStdout())
		return err
	}
	// As os.WriteFile does, in pieces.
	f, err := os.OpenFile(output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = data.WriteTo(f)
	if err1 := f.Close(); err1 != nil && err == nil {
		err = err1
	}
	return err
}
