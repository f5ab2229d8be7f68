package graph

import (
	"cmp"
	"iter"
	"slices"
)

// AttrRanges maps attribute paths ("metadata_options.0.http_tokens") to
// where they are written. It is a slice kept sorted by path rather than a
// map: a scan holds millions of these, a resource has a few to a few
// hundred, and a map's buckets cost twice the entries they hold.
//
// Parsers add paths in any order; a lookup on a set not yet sorted scans
// it, and Sort (which Build calls on every resource) makes lookups a
// binary search. The zero value is an empty set ready to use.
type AttrRanges struct {
	entries  []attrRange
	unsorted bool
}

type attrRange struct {
	path string
	rng  Range
}

// Set records the range of path; a later Set of the same path wins.
func (a *AttrRanges) Set(path string, rg Range) {
	if n := len(a.entries); n > 0 && !a.unsorted {
		switch last := a.entries[n-1].path; {
		case path == last:
			a.entries[n-1].rng = rg
			return
		case path < last:
			a.unsorted = true
		}
	}
	a.entries = append(a.entries, attrRange{path, rg})
}

// Sort orders the paths for lookup, drops the earlier of any path set
// twice, and gives back the room appending left. Parsers call it once a
// resource is complete.
func (a *AttrRanges) Sort() {
	if a.unsorted {
		// Stable, so that of equal paths the one set last stays last.
		slices.SortStableFunc(a.entries, func(x, y attrRange) int { return cmp.Compare(x.path, y.path) })
		out := a.entries[:0]
		for i, e := range a.entries {
			if i+1 < len(a.entries) && a.entries[i+1].path == e.path {
				continue
			}
			out = append(out, e)
		}
		clear(a.entries[len(out):])
		a.entries = out
		a.unsorted = false
	}
	if cap(a.entries) > len(a.entries) {
		a.entries = slices.Clone(a.entries)
	}
}

// Get returns the range recorded for exactly path.
func (a *AttrRanges) Get(path string) (Range, bool) {
	if a.unsorted {
		// Last match wins, as in Set.
		for i := len(a.entries) - 1; i >= 0; i-- {
			if a.entries[i].path == path {
				return a.entries[i].rng, true
			}
		}
		return Range{}, false
	}
	i, ok := slices.BinarySearchFunc(a.entries, path, func(e attrRange, p string) int { return cmp.Compare(e.path, p) })
	if !ok {
		return Range{}, false
	}
	return a.entries[i].rng, true
}

// Len is the number of paths recorded.
func (a *AttrRanges) Len() int {
	a.Sort()
	return len(a.entries)
}

// All yields every path and its range, sorted by path.
func (a *AttrRanges) All() iter.Seq2[string, Range] {
	a.Sort()
	return func(yield func(string, Range) bool) {
		for _, e := range a.entries {
			if !yield(e.path, e.rng) {
				return
			}
		}
	}
}

// Map rewrites every range through f.
func (a *AttrRanges) Map(f func(path string, rg Range) Range) {
	for i := range a.entries {
		a.entries[i].rng = f(a.entries[i].path, a.entries[i].rng)
	}
}

// AttrRangesOf holds the ranges of m.
func AttrRangesOf(m map[string]Range) AttrRanges {
	var a AttrRanges
	for p, rg := range m {
		a.Set(p, rg)
	}
	a.Sort()
	return a
}
