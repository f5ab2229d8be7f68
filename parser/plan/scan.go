package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/strider-sec/strider/graph"
)

// positions are the source places the plan JSON holds for what Strider
// reports on. terraform-json keeps no offsets, so a second, streaming pass
// over the tokens finds them.
type positions struct {
	// top holds the top-level members, for diagnostics about a section.
	top map[string]graph.Pos
	// planned holds the resources of planned_values by address.
	planned map[string]*objectPos
	// changes holds the current-object entries of resource_changes by
	// address; only those in the scanner's need set carry attributes.
	changes map[string]*objectPos
}

// objectPos is where a resource object is, and where each attribute path
// (tfschema convention) of its values is.
type objectPos struct {
	rng    graph.Range
	values map[string]graph.Range // planned_values values
	before map[string]graph.Range // resource_changes change.before
	after  map[string]graph.Range // resource_changes change.after
}

// lineCounter turns byte offsets into lines and columns. It counts forward
// from the last offset asked for, so a scan that asks in increasing order
// costs one pass over the file however many positions it wants — the plan
// JSON Terraform writes is a single line, where counting from the line
// start every time would be quadratic. An earlier offset restarts the
// count; the scanner never asks for one.
type lineCounter struct {
	src            []byte
	off, line, col int
}

func newLineCounter(src []byte) *lineCounter {
	return &lineCounter{src: src, line: 1, col: 1}
}

func (l *lineCounter) pos(off int) graph.Pos {
	off = min(max(off, 0), len(l.src))
	if off < l.off {
		l.off, l.line, l.col = 0, 1, 1
	}
	for l.off < off {
		c := l.src[l.off]
		if c < utf8.RuneSelf {
			l.off++
			if c == '\n' {
				l.line++
				l.col = 1
			} else {
				l.col++
			}
			continue
		}
		_, size := utf8.DecodeRune(l.src[l.off:])
		l.off += size
		l.col++
	}
	return graph.PosAt(l.line, l.col)
}

// scanner is the streaming pass. It walks the token stream with
// encoding/json's Decoder and reads offsets with InputOffset; values it
// has no use for are skipped whole.
type scanner struct {
	src   []byte
	name  string
	dec   *json.Decoder
	lines *lineCounter
	// need names the resource_changes entries whose before/after
	// attribute positions are wanted: those not in planned_values.
	need map[string]bool
	out  positions
}

// maxValueDepth bounds the recursion into attribute values, as a guard
// against hostile input; deeper values are skipped, their attributes then
// point at the nearest recorded parent.
const maxValueDepth = 200

var errShape = errors.New("unexpected JSON token")

// scanPositions runs the position pass over src, which must be valid JSON.
func scanPositions(src []byte, name string, need map[string]bool) (positions, error) {
	s := &scanner{
		src:   src,
		name:  name,
		dec:   json.NewDecoder(bytes.NewReader(src)),
		lines: newLineCounter(src),
		need:  need,
		out: positions{
			top:     map[string]graph.Pos{},
			planned: map[string]*objectPos{},
			changes: map[string]*objectPos{},
		},
	}
	s.dec.UseNumber()
	if c, _ := s.peek(); c != '{' {
		return s.out, errShape
	}
	err := s.object(func(key string, off int) error {
		if _, dup := s.out.top[key]; !dup {
			s.out.top[key] = s.lines.pos(off)
		}
		switch key {
		case "planned_values":
			return s.ifObject(func() error {
				return s.object(func(k string, _ int) error {
					if k == "root_module" {
						return s.ifObject(func() error { return s.module(0) })
					}
					return s.skip()
				})
			})
		case "resource_changes":
			return s.ifArray(func() error {
				return s.array(func(int, int) error { return s.ifObject(s.change) })
			})
		}
		return s.skip()
	})
	return s.out, err
}

// peek returns the next significant byte and its offset, looking past the
// separators the decoder has not consumed yet.
func (s *scanner) peek() (byte, int) {
	i := int(s.dec.InputOffset())
	for i < len(s.src) {
		switch c := s.src[i]; c {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
		default:
			return c, i
		}
	}
	return 0, i
}

func (s *scanner) skip() error { return s.dec.Decode(&skipValue{}) }

func (s *scanner) ifObject(fn func() error) error {
	if c, _ := s.peek(); c == '{' {
		return fn()
	}
	return s.skip()
}

func (s *scanner) ifArray(fn func() error) error {
	if c, _ := s.peek(); c == '[' {
		return fn()
	}
	return s.skip()
}

// object consumes an object, calling fn for each member with the key and
// the offset of the key's opening quote; fn consumes the member's value.
func (s *scanner) object(fn func(key string, off int) error) error {
	if _, err := s.dec.Token(); err != nil {
		return err
	}
	for s.dec.More() {
		_, off := s.peek()
		tok, err := s.dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return errShape
		}
		if err := fn(key, off); err != nil {
			return err
		}
	}
	_, err := s.dec.Token()
	return err
}

// array consumes an array, calling fn for each element with its index and
// start offset; fn consumes the element.
func (s *scanner) array(fn func(i, off int) error) error {
	if _, err := s.dec.Token(); err != nil {
		return err
	}
	for i := 0; s.dec.More(); i++ {
		_, off := s.peek()
		if err := fn(i, off); err != nil {
			return err
		}
	}
	_, err := s.dec.Token()
	return err
}

// str consumes a string value, or skips any other value and reports false.
func (s *scanner) str() (string, bool, error) {
	if c, _ := s.peek(); c != '"' {
		return "", false, s.skip()
	}
	tok, err := s.dec.Token()
	v, ok := tok.(string)
	return v, ok, err
}

// objectStart is the position of the object about to be read.
func (s *scanner) objectStart() graph.Pos {
	_, off := s.peek()
	return s.lines.pos(off)
}

// addressMember reads the "address" member of a resource object whose key
// is at off. A resource's range starts at its address, which Terraform
// writes first; when it is not first (an edited file), the range stays at
// the object's start so that positions are still asked in file order.
func (s *scanner) addressMember(off, nth int, start *graph.Pos) (string, bool, error) {
	if nth == 1 {
		*start = s.lines.pos(off)
	}
	return s.str()
}

// module walks a module of planned_values: its resources and children.
func (s *scanner) module(depth int) error {
	return s.object(func(k string, _ int) error {
		switch {
		case k == "resources":
			return s.ifArray(func() error {
				return s.array(func(int, int) error { return s.ifObject(s.resource) })
			})
		case k == "child_modules" && depth < maxModuleDepth:
			return s.ifArray(func() error {
				return s.array(func(int, int) error {
					return s.ifObject(func() error { return s.module(depth + 1) })
				})
			})
		}
		return s.skip()
	})
}

// resource walks one resource object of planned_values.
func (s *scanner) resource() error {
	var (
		addr     string
		haveAddr bool
		values   map[string]graph.Range
	)
	start := s.objectStart()
	members := 0
	err := s.object(func(k string, off int) error {
		members++
		switch k {
		case "address":
			v, ok, err := s.addressMember(off, members, &start)
			if ok {
				addr, haveAddr = v, true
			}
			return err
		case "values":
			if c, off := s.peek(); c == '{' {
				values = map[string]graph.Range{}
				return s.value("", off, values, 0)
			}
		}
		return s.skip()
	})
	if err != nil {
		return err
	}
	end := s.lines.pos(int(s.dec.InputOffset()))
	if _, dup := s.out.planned[addr]; haveAddr && !dup {
		s.out.planned[addr] = &objectPos{rng: graph.Range{Filename: s.name, Start: start, End: end}, values: values}
	}
	return nil
}

// change walks one entry of resource_changes. The attribute positions of
// before and after are recorded only for entries in the need set; since
// Terraform writes the address first, others are skipped without cost.
func (s *scanner) change() error {
	var (
		addr          string
		haveAddr      bool
		deposed       bool
		before, after map[string]graph.Range
	)
	want := func() bool { return !haveAddr || s.need[addr] }
	start := s.objectStart()
	members := 0
	err := s.object(func(k string, off int) error {
		members++
		switch k {
		case "address":
			v, ok, err := s.addressMember(off, members, &start)
			if ok {
				addr, haveAddr = v, true
			}
			return err
		case "deposed":
			v, _, err := s.str()
			deposed = v != ""
			return err
		case "change":
			if !want() {
				return s.skip()
			}
			return s.ifObject(func() error {
				return s.object(func(k string, _ int) error {
					c, off := s.peek()
					switch {
					case c != '{' || !want():
					case k == "before":
						before = map[string]graph.Range{}
						return s.value("", off, before, 0)
					case k == "after":
						after = map[string]graph.Range{}
						return s.value("", off, after, 0)
					}
					return s.skip()
				})
			})
		}
		return s.skip()
	})
	if err != nil {
		return err
	}
	end := s.lines.pos(int(s.dec.InputOffset()))
	if _, dup := s.out.changes[addr]; haveAddr && !deposed && !dup {
		op := &objectPos{rng: graph.Range{Filename: s.name, Start: start, End: end}}
		if s.need[addr] {
			op.before, op.after = before, after
		}
		s.out.changes[addr] = op
	}
	return nil
}

// value walks an attribute value, recording the range of every nested
// path: from the key of an object member, or the start of an array
// element, to the end of its value.
func (s *scanner) value(path string, off int, out map[string]graph.Range, depth int) error {
	start := s.lines.pos(off)
	c, _ := s.peek()
	var err error
	switch {
	case depth > maxValueDepth:
		err = s.skip()
	case c == '{':
		err = s.object(func(k string, off int) error {
			return s.value(join(path, k), off, out, depth+1)
		})
	case c == '[':
		err = s.array(func(i, off int) error {
			return s.value(join(path, strconv.Itoa(i)), off, out, depth+1)
		})
	default:
		_, err = s.dec.Token()
	}
	if err != nil {
		return err
	}
	if path != "" {
		out[path] = graph.Range{Filename: s.name, Start: start, End: s.lines.pos(int(s.dec.InputOffset()))}
	}
	return nil
}

func join(path, step string) string {
	if path == "" {
		return step
	}
	return path + "." + step
}
