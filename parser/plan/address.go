package plan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/strider-sec/strider/graph"
)

// address is an absolute resource instance address as a plan writes it:
// module.net["a"].aws_subnet.this["x"]. Parsing keeps the module steps
// apart so that the configuration (which knows module calls, not module
// instances) can be matched with instance keys stripped.
type address struct {
	modules []moduleStep
	mode    graph.Mode
	typ     string
	name    string
	// key is the rendered instance key with brackets ("[0]", `["x"]`),
	// exactly as written in the plan, so it compares equal to the keys
	// Terraform writes in references.
	key string
}

// moduleStep is one module.NAME[KEY] step of a module path.
type moduleStep struct {
	name string
	key  string
}

// module is the module instance path: `module.net["a"].module.db`.
func (a address) module() string {
	var b strings.Builder
	for i, m := range a.modules {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString("module.")
		b.WriteString(m.name)
		b.WriteString(m.key)
	}
	return b.String()
}

// callPath is the module path with instance keys stripped: every instance
// of a module shares the configuration of its call.
func (a address) callPath() string {
	var b strings.Builder
	for i, m := range a.modules {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString("module.")
		b.WriteString(m.name)
	}
	return b.String()
}

// configAddr is the module-relative address without instance key, the
// form the configuration section uses.
func (a address) configAddr() string {
	s := a.typ + "." + a.name
	if a.mode == graph.Data {
		s = "data." + s
	}
	return s
}

func (a address) graph(stack string) graph.Address {
	return graph.Address{
		Stack:       stack,
		Kind:        graph.TerraformAddr,
		Module:      a.module(),
		Mode:        a.mode,
		Type:        a.typ,
		Name:        a.name,
		InstanceKey: a.key,
	}
}

// parseAddress parses an absolute resource instance address. It accepts
// the addresses Terraform renders: module steps with optional keys, an
// optional "data." mode prefix, type, name and an optional key. Quoted keys
// may contain dots, brackets and escaped quotes, so the parser scans
// instead of splitting on dots.
func parseAddress(s string) (address, error) {
	var a address
	i := 0
	for strings.HasPrefix(s[i:], "module.") {
		j := i + len("module.")
		name, j := ident(s, j)
		if name == "" {
			return a, fmt.Errorf("missing module name at offset %d", j)
		}
		key, j, err := instanceKey(s, j)
		if err != nil {
			return a, err
		}
		if j >= len(s) || s[j] != '.' {
			return a, errors.New("module path without a resource")
		}
		a.modules = append(a.modules, moduleStep{name: name, key: key})
		i = j + 1
	}
	if strings.HasPrefix(s[i:], "data.") {
		a.mode = graph.Data
		i += len("data.")
	}
	typ, i := ident(s, i)
	if typ == "" {
		return a, fmt.Errorf("missing resource type at offset %d", i)
	}
	if i >= len(s) || s[i] != '.' {
		return a, errors.New("missing resource name")
	}
	name, i := ident(s, i+1)
	if name == "" {
		return a, fmt.Errorf("missing resource name at offset %d", i)
	}
	key, i, err := instanceKey(s, i)
	if err != nil {
		return a, err
	}
	if i != len(s) {
		return a, fmt.Errorf("unexpected %q after the resource address", s[i:])
	}
	a.typ, a.name, a.key = typ, name, key
	return a, nil
}

// ident reads a Terraform identifier (letters, digits, underscores and
// dashes) starting at i and returns it with the offset after it.
func ident(s string, i int) (string, int) {
	start := i
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != '_' && r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		i += size
	}
	return s[start:i], i
}

// instanceKey reads an optional instance key at i: [123] or ["quoted"],
// returned with its brackets. The quoted form uses HCL escapes, so a
// backslash escapes the next byte and a quoted "]" or "." is part of the key.
func instanceKey(s string, i int) (string, int, error) {
	if i >= len(s) || s[i] != '[' {
		return "", i, nil
	}
	start := i
	i++
	switch {
	case i < len(s) && s[i] == '"':
		i++
		for {
			if i >= len(s) {
				return "", i, errors.New("unterminated instance key string")
			}
			c := s[i]
			i++
			if c == '\\' {
				i++
				continue
			}
			if c == '"' {
				break
			}
		}
	case i < len(s) && s[i] >= '0' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return "", i, fmt.Errorf("invalid instance key at offset %d", i)
	}
	if i >= len(s) || s[i] != ']' {
		return "", i, fmt.Errorf("missing ] after instance key at offset %d", start)
	}
	return s[start : i+1], i + 1, nil
}

// notResources are the reference roots that name something other than a
// resource in the same module: variables, locals, module outputs,
// repetition and path values.
var notResources = map[string]bool{
	"var": true, "local": true, "module": true, "each": true, "count": true,
	"path": true, "self": true, "terraform": true, "ephemeral": true,
	"action": true, "list": true, "resource": true, "run": true,
}

// refTarget turns one entry of a configuration expression's "references"
// list into the resource address it names in its module, with the
// instance key when the reference has one: "aws_subnet.a[0].id" gives
// "aws_subnet.a[0]", "data.aws_ami.x.id" gives "data.aws_ami.x". Other
// references (var., local., module. ...) report false.
func refTarget(s string) (target string, keyed bool, ok bool) {
	i := 0
	prefix := ""
	if strings.HasPrefix(s, "data.") {
		prefix, i = "data.", len("data.")
	}
	typ, i := ident(s, i)
	if typ == "" || (prefix == "" && notResources[typ]) {
		return "", false, false
	}
	if i >= len(s) || s[i] != '.' {
		return "", false, false
	}
	name, i := ident(s, i+1)
	if name == "" {
		return "", false, false
	}
	key, _, err := instanceKey(s, i)
	if err != nil {
		// An index that is not a literal key ends the address here.
		key = ""
	}
	return prefix + typ + "." + name + key, key != "", true
}

// fieldsAddress builds an address from the separate fields of a plan
// resource when its address string does not parse. moduleAddr is the
// module instance path the plan gives for the resource.
func fieldsAddress(moduleAddr, mode, typ, name string, index any) (address, error) {
	var a address
	if typ == "" || name == "" {
		return a, errors.New("resource without type or name")
	}
	if moduleAddr != "" {
		m, err := parseAddress(moduleAddr + ".x.y")
		if err != nil {
			return a, fmt.Errorf("module address %q: %w", moduleAddr, err)
		}
		a.modules = m.modules
	}
	if mode == "data" {
		a.mode = graph.Data
	}
	a.typ, a.name = typ, name
	switch k := index.(type) {
	case nil:
	case string:
		a.key = "[" + hclQuote(k) + "]"
	default:
		a.key = "[" + fmt.Sprint(k) + "]"
	}
	return a, nil
}

// hclQuote renders a string key the way Terraform renders instance keys:
// an HCL quoted string, where template sequences are escaped too.
func hclQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case (c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteByte(c)
			b.WriteByte(c)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatUint(uint64(c)>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(c)&0xf, 16))
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
