package main

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

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

// reportOutput receives a report as it is rendered. A report for a file
// goes to a temporary file beside it, renamed over it once complete; one
// for standard output is held until complete. Either way a failure never
// leaves half a report behind, and a report for a file is never held
// whole in memory: the SARIF of a large tree is tens of megabytes, and it
// is written when the scan's memory peaks.
type reportOutput struct {
	cmd  *cobra.Command
	name string
	tmp  *os.File
	w    *bufio.Writer
	buf  outputBuffer
	err  error
}

// newReportOutput starts a report for the file name, or for standard
// output when name is empty.
func newReportOutput(cmd *cobra.Command, name string) *reportOutput {
	o := &reportOutput{cmd: cmd, name: name}
	if name == "" {
		return o
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		// Said of the file asked for, not of the temporary one.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		o.err = &fs.PathError{Op: "open", Path: name, Err: err}
		return o
	}
	o.tmp, o.w = f, bufio.NewWriterSize(f, outputChunk)
	return o
}

// Write appends p to the report.
func (o *reportOutput) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if o.w == nil {
		return o.buf.Write(p)
	}
	n, err := o.w.Write(p)
	o.err = err
	return n, err
}

// WriteString appends s to the report.
func (o *reportOutput) WriteString(s string) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if o.w == nil {
		return o.buf.WriteString(s)
	}
	n, err := o.w.WriteString(s)
	o.err = err
	return n, err
}

// close completes the report, or, when rendering failed (renderErr) or
// a write did, discards it and leaves any earlier file as it was.
func (o *reportOutput) close(renderErr error) error {
	err := renderErr
	if err == nil {
		err = o.err
	}
	if o.tmp == nil {
		if err == nil && o.name == "" {
			_, err = o.buf.WriteTo(o.cmd.OutOrStdout())
		}
		return err
	}
	if err == nil {
		err = o.w.Flush()
	}
	if err == nil {
		// CreateTemp makes the file private; a report is as a file
		// written by os.WriteFile would be, or as the one it replaces.
		mode := os.FileMode(0o644)
		if fi, statErr := os.Stat(o.name); statErr == nil {
			mode = fi.Mode().Perm()
		}
		err = o.tmp.Chmod(mode)
	}
	if cerr := o.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.name)
	}
	if err != nil {
		os.Remove(o.tmp.Name())
	}
	return err
}
