package graph

import (
	"fmt"
	"math"
)

// Pos is a 1-based line and column in a source file. Column counts
// Unicode characters; zero means "unknown". The fields are 32-bit because
// a scan holds millions of ranges and no file read reaches 2^31 lines.
type Pos struct {
	Line   int32 `json:"line"`
	Column int32 `json:"column,omitempty"`
}

// PosAt is the position at line and column, clamped to what Pos holds.
func PosAt(line, column int) Pos { return Pos{Line: clamp32(line), Column: clamp32(column)} }

func clamp32(n int) int32 {
	return int32(max(min(n, math.MaxInt32), math.MinInt32))
}

// Range is a span in one source file. Filename is slash-separated and
// relative to the scan root the file was read from, so that a range is the
// same value on every machine.
type Range struct {
	Filename string `json:"file"`
	Start    Pos    `json:"start"`
	End      Pos    `json:"end"`
}

// IsZero reports whether r names no place at all.
func (r Range) IsZero() bool { return r.Filename == "" && r.Start.Line == 0 }

// String renders r the way compilers do: file:line:col.
func (r Range) String() string {
	if r.Start.Column > 0 {
		return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
	}
	if r.Start.Line > 0 {
		return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
	}
	return r.Filename
}

// Less orders ranges by file, then position.
func (r Range) Less(o Range) bool {
	if r.Filename != o.Filename {
		return r.Filename < o.Filename
	}
	if r.Start.Line != o.Start.Line {
		return r.Start.Line < o.Start.Line
	}
	return r.Start.Column < o.Start.Column
}
