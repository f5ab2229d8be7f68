package graph

// State records where a facet value came from. Rules must treat Unknown as
// "cannot tell": neither safe nor unsafe.
type State uint8

const (
	// Absent: the code does not set it; the cloud's default applies.
	Absent State = iota
	// Set: written in the code with a known value.
	Set
	// Unknown: written in the code, but its value cannot be known
	// statically (a variable without value, a value known only after apply).
	Unknown
)

func (s State) String() string {
	switch s {
	case Set:
		return "set"
	case Unknown:
		return "unknown"
	}
	return "absent"
}

// Value is one facet field with its provenance and the range that caused
// it, so a finding can point at the exact line.
type Value[T comparable] struct {
	V     T
	State State
	Range Range
}

// Is reports whether the value is set and equal to v.
func (x Value[T]) Is(v T) bool { return x.State == Set && x.V == v }

// Known builds a set value.
func Known[T comparable](v T, r Range) Value[T] { return Value[T]{V: v, State: Set, Range: r} }

// UnknownValue builds a value that is written but cannot be known.
func UnknownValue[T comparable](r Range) Value[T] { return Value[T]{State: Unknown, Range: r} }
