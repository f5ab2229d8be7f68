package graph

import (
	"hash/maphash"
	"math"

	"github.com/zclconf/go-cty/cty"
)

// Interner shares equal attribute values between the resources of one
// parse: the instances of a module, or the resources of a template, repeat
// the same blocks, tag maps and lists, and each copy of a cty object holds
// two maps. Values are immutable, so one copy serves them all. The zero
// value is ready to use; an Interner is not safe for concurrent use.
type Interner struct {
	seed maphash.Seed
	// seen holds the first value of each hash; values whose hashes
	// collide but differ sit side by side.
	seen map[uint64][]cty.Value
}

// maxInternNodes bounds the walk that hashes a value: a huge value is
// rarely repeated, and hashing it would cost more than sharing saves.
const maxInternNodes = 256

// Value returns a value equal to v, the same one for every equal value
// given to this interner. Primitives, unknowns and marked values come back
// as they are: there is nothing to share, or equality would lose meaning.
func (in *Interner) Value(v cty.Value) cty.Value {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() || v.Type().IsPrimitiveType() {
		return v
	}
	if in.seen == nil {
		in.seen = map[uint64][]cty.Value{}
		in.seed = maphash.MakeSeed()
	}
	var h maphash.Hash
	h.SetSeed(in.seed)
	budget := maxInternNodes
	if !hashValue(&h, v, &budget) {
		return v
	}
	k := h.Sum64()
	for _, c := range in.seen[k] {
		if c.RawEquals(v) {
			return c
		}
	}
	in.seen[k] = append(in.seen[k], v)
	return v
}

// hashValue writes v's type and content to h, and reports false when v is
// larger than the budget allows.
func hashValue(h *maphash.Hash, v cty.Value, budget *int) bool {
	if *budget--; *budget < 0 || v.IsMarked() {
		// Marks are not part of RawEquals' answer: never share them.
		return false
	}
	ty := v.Type()
	switch {
	case !v.IsKnown():
		h.WriteByte('?')
		h.WriteString(ty.FriendlyName())
		return true
	case v.IsNull():
		h.WriteByte('~')
		h.WriteString(ty.FriendlyName())
		return true
	case ty == cty.String:
		h.WriteByte('s')
		writeLen(h, len(v.AsString()))
		h.WriteString(v.AsString())
		return true
	case ty == cty.Number:
		h.WriteByte('n')
		if f, acc := v.AsBigFloat().Float64(); acc == 0 {
			writeLen(h, int(math.Float64bits(f)))
		} else {
			h.WriteString(v.AsBigFloat().Text('g', -1))
		}
		return true
	case ty == cty.Bool:
		if v.True() {
			h.WriteByte('t')
		} else {
			h.WriteByte('f')
		}
		return true
	case ty.IsObjectType():
		h.WriteByte('{')
	case ty.IsMapType():
		h.WriteByte('m')
	case ty.IsTupleType():
		h.WriteByte('(')
	case ty.IsListType():
		h.WriteByte('[')
	case ty.IsSetType():
		h.WriteByte('<')
	default:
		// Capsules and whatever else: opaque, not shared.
		return false
	}
	writeLen(h, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if !hashValue(h, k, budget) || !hashValue(h, e, budget) {
			return false
		}
	}
	return true
}

func writeLen(h *maphash.Hash, n int) {
	var b [8]byte
	for i := range b {
		b[i] = byte(n >> (8 * i))
	}
	h.Write(b[:])
}

// Attributes is NewAttributes with each value interned.
func (in *Interner) Attributes(m map[string]cty.Value) Attributes {
	for name, v := range m {
		m[name] = in.Value(v)
	}
	return NewAttributes(m)
}

// AttributesOf is AttributesOf with each value interned.
func (in *Interner) AttributesOf(v cty.Value) Attributes {
	a := AttributesOf(v)
	for i := range a.fields {
		a.fields[i].val = in.Value(a.fields[i].val)
	}
	return a
}
