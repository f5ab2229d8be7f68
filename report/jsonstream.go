package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
)

// writeJSON writes doc as a json.Encoder with SetIndent("", "  ") and the
// given HTML escaping would, byte for byte, but one member of the top
// object and one element of each of its arrays at a time. A threat model
// or graph of a hundred thousand resources is hundreds of megabytes of
// JSON, which the encoder would hold whole, and once more to indent it.
//
// doc must be a struct or a pointer to one; its members follow
// encoding/json's rules for names, omitempty and embedded struct
// pointers. Anything else is handed to the encoder as it is.
func writeJSON(w io.Writer, doc any, escapeHTML bool) error {
	rv := reflect.ValueOf(doc)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct || reflect.PointerTo(rv.Type()).Implements(marshalerType) {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(escapeHTML)
		return enc.Encode(doc)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	s := &jsonStream{w: bw, escapeHTML: escapeHTML}
	s.raw("{")
	first := true
	for _, m := range jsonMembers(rv) {
		if first {
			s.raw("\n  ")
			first = false
		} else {
			s.raw(",\n  ")
		}
		s.value(m.name, "")
		s.raw(": ")
		if m.val.Kind() == reflect.Slice && !m.val.IsNil() && m.val.Len() > 0 && m.val.Type().Elem().Kind() != reflect.Uint8 {
			s.raw("[")
			for i := range m.val.Len() {
				if i > 0 {
					s.raw(",")
				}
				s.raw("\n    ")
				s.value(m.val.Index(i).Interface(), "    ")
			}
			s.raw("\n  ]")
			continue
		}
		s.value(m.val.Interface(), "  ")
	}
	if !first {
		s.raw("\n")
	}
	s.raw("}\n")
	if s.err != nil {
		return s.err
	}
	return bw.Flush()
}

var marshalerType = reflect.TypeFor[json.Marshaler]()

type jsonStream struct {
	w          *bufio.Writer
	buf        bytes.Buffer
	escapeHTML bool
	err        error
}

func (s *jsonStream) raw(str string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(str)
	}
}

// value writes v indented as it would sit under prefix.
func (s *jsonStream) value(v any, prefix string) {
	if s.err != nil {
		return
	}
	s.buf.Reset()
	enc := json.NewEncoder(&s.buf)
	enc.SetEscapeHTML(s.escapeHTML)
	enc.SetIndent(prefix, "  ")
	if s.err = enc.Encode(v); s.err != nil {
		return
	}
	_, s.err = s.w.Write(bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")))
}

type jsonMember struct {
	name string
	val  reflect.Value
}

// jsonMembers lists the members encoding/json writes for struct value
// rv, in its order: exported fields by their json names, omitempty ones
// left out when empty, the fields of embedded struct pointers in place.
func jsonMembers(rv reflect.Value) []jsonMember {
	var out []jsonMember
	t := rv.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fv := rv.Field(i)
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, jsonMembers(fv)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if strings.Contains(","+opts+",", ",omitempty,") && emptyJSON(fv) {
			continue
		}
		out = append(out, jsonMember{name, fv})
	}
	return out
}

// emptyJSON is encoding/json's notion of empty for omitempty.
func emptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
