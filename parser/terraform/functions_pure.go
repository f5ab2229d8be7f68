package terraform

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"gopkg.in/yaml.v3"
)

// Terraform's pure functions that go-cty's standard library lacks, written
// from Terraform's documented behaviour. Functions whose result depends on
// the moment or on chance (uuid, timestamp, bcrypt) are unknown: a scanner
// must not invent a value Terraform would only know at apply time.
func init() {
	for name, f := range map[string]function.Function{
		"base64encode":     base64EncodeFunc,
		"base64decode":     base64DecodeFunc,
		"md5":              hashFunc(md5.New, hex.EncodeToString),
		"sha1":             hashFunc(sha1.New, hex.EncodeToString),
		"sha256":           hashFunc(sha256.New, hex.EncodeToString),
		"sha512":           hashFunc(sha512.New, hex.EncodeToString),
		"base64sha256":     hashFunc(sha256.New, base64.StdEncoding.EncodeToString),
		"base64sha512":     hashFunc(sha512.New, base64.StdEncoding.EncodeToString),
		"startswith":       stringPredicate(strings.HasPrefix),
		"endswith":         stringPredicate(strings.HasSuffix),
		"strcontains":      stringPredicate(strings.Contains),
		"urlencode":        urlEncodeFunc,
		"one":              oneFunc,
		"alltrue":          boolFold(true),
		"anytrue":          boolFold(false),
		"sum":              sumFunc,
		"index":            stdlib.IndexFunc,
		"coalescelist":     stdlib.CoalesceListFunc,
		"yamlencode":       yamlEncodeFunc,
		"yamldecode":       yamlDecodeFunc,
		"uuid":             unknownFunc(cty.String),
		"timestamp":        unknownFunc(cty.String),
		"plantimestamp":    unknownFunc(cty.String),
		"bcrypt":           unknownVariadicFunc(cty.String),
		"tobool":           stdlib.MakeToFunc(cty.Bool),
		"nonsensitive":     identityFunc,
		"sensitive":        identityFunc,
		"textencodebase64": unknownVariadicFunc(cty.String),
	} {
		functions[name] = f
	}
}

var identityFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

func unknownFunc(ty cty.Type) function.Function {
	return function.New(&function.Spec{
		Type: function.StaticReturnType(ty),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return cty.UnknownVal(ty), nil },
	})
}

func unknownVariadicFunc(ty cty.Type) function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true},
		Type:     function.StaticReturnType(ty),
		Impl:     func([]cty.Value, cty.Type) (cty.Value, error) { return cty.UnknownVal(ty), nil },
	})
}

var base64EncodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(args[0].AsString()))), nil
	},
})

var base64DecodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		b, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "invalid base64: %s", err)
		}
		if !utf8.Valid(b) {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "the decoded bytes are not UTF-8")
		}
		return cty.StringVal(string(b)), nil
	},
})

func hashFunc(h func() hash.Hash, enc func([]byte) string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			d := h()
			d.Write([]byte(args[0].AsString()))
			return cty.StringVal(enc(d.Sum(nil))), nil
		},
	})
}

func stringPredicate(f func(s, x string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "x", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var urlEncodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(url.QueryEscape(args[0].AsString())), nil
	},
})

// oneFunc is Terraform's one(): null for an empty collection, the element
// for a single one, an error otherwise.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch len(ty.TupleElementTypes()) {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return ty.TupleElementTypes()[0], nil
			}
			return cty.NilType, function.NewArgErrorf(0, "must have no more than one element")
		}
		return cty.NilType, function.NewArgErrorf(0, "must be a list, set or tuple")
	},
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsKnown() {
			return cty.UnknownVal(ty), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(ty), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.UnknownVal(ty), function.NewArgErrorf(0, "must have no more than one element")
	},
})

func boolFold(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			for it := args[0].ElementIterator(); it.Next(); {
				_, e := it.Element()
				if !e.IsKnown() {
					return cty.UnknownVal(cty.Bool), nil
				}
				if e.IsNull() {
					if all {
						return cty.False, nil
					}
					continue
				}
				if e.True() != all {
					return cty.BoolVal(!all), nil
				}
			}
			return cty.BoolVal(all), nil
		},
	})
}

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Number)}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if args[0].LengthInt() == 0 {
			return cty.UnknownVal(cty.Number), function.NewArgErrorf(0, "cannot sum an empty list")
		}
		total := cty.Zero
		for it := args[0].ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.IsNull() {
				return cty.UnknownVal(cty.Number), function.NewArgErrorf(0, "cannot sum null values")
			}
			total = total.Add(e)
		}
		return total, nil
	},
})

// yamlDecodeFunc decodes YAML through JSON, so the result has the same
// types jsondecode would give the equivalent document.
var yamlDecodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "src", Type: cty.String}},
	Type:   function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var doc any
		if err := yaml.Unmarshal([]byte(args[0].AsString()), &doc); err != nil {
			return cty.DynamicVal, function.NewArgErrorf(0, "invalid YAML: %s", err)
		}
		js, err := json.Marshal(doc)
		if err != nil {
			return cty.DynamicVal, function.NewArgErrorf(0, "YAML that JSON cannot represent: %s", err)
		}
		ty, err := ctyjson.ImpliedType(js)
		if err != nil {
			return cty.DynamicVal, err
		}
		return ctyjson.Unmarshal(js, ty)
	},
})

// yamlEncodeFunc writes YAML in the layout Terraform's yamlencode
// documents: block style, keys and strings double-quoted, keys sorted,
// sequence items at their key's indentation.
var yamlEncodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(cty.String), nil
		}
		var b strings.Builder
		yamlNode(&b, args[0], 0, false)
		return cty.StringVal(b.String()), nil
	},
})

// yamlNode writes v at indent; inline says the cursor is already after
// "- " or "key: " on a line, so a scalar goes on it.
func yamlNode(b *strings.Builder, v cty.Value, indent int, inline bool) {
	pad := strings.Repeat(" ", indent)
	ty := v.Type()
	switch {
	case v.IsNull() || !(ty.IsMapType() || ty.IsObjectType() || ty.IsListType() || ty.IsSetType() || ty.IsTupleType()) || v.LengthInt() == 0:
		b.WriteString(yamlScalar(v))
		b.WriteByte('\n')
	case ty.IsMapType() || ty.IsObjectType():
		first := true
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if !(first && inline) {
				b.WriteString(pad)
			}
			first = false
			b.WriteString(yamlQuote(k.AsString()) + ":")
			yamlChild(b, e, indent)
		}
	default:
		first := true
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if !(first && inline) {
				b.WriteString(pad)
			}
			first = false
			b.WriteString("- ")
			yamlNode(b, e, indent+2, true)
		}
	}
}

// yamlChild writes the value of a mapping key: scalars and empty
// collections on the key's line, mappings indented below, sequences at
// the key's own indentation.
func yamlChild(b *strings.Builder, e cty.Value, indent int) {
	ty := e.Type()
	if e.IsNull() || !(ty.IsMapType() || ty.IsObjectType() || ty.IsListType() || ty.IsSetType() || ty.IsTupleType()) || e.LengthInt() == 0 {
		b.WriteByte(' ')
		yamlNode(b, e, indent, true)
		return
	}
	b.WriteByte('\n')
	if ty.IsMapType() || ty.IsObjectType() {
		yamlNode(b, e, indent+2, false)
	} else {
		yamlNode(b, e, indent, false)
	}
}

func yamlScalar(v cty.Value) string {
	ty := v.Type()
	switch {
	case v.IsNull():
		return "null"
	case ty == cty.String:
		return yamlQuote(v.AsString())
	case ty == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case ty == cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	case ty.IsMapType() || ty.IsObjectType():
		return "{}"
	}
	return "[]"
}

// yamlQuote writes a YAML double-quoted scalar; JSON's escapes are valid
// in it.
func yamlQuote(s string) string {
	js, _ := json.Marshal(s)
	return string(js)
}

// lookupFunc is Terraform's lookup, which, unlike go-cty's, accepts a null
// default: `lookup(ingress.value, "self", null)` is common in modules.
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType},
		{Name: "key", Type: cty.String},
	},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if len(args) > 3 {
			return cty.DynamicVal, function.NewArgErrorf(3, "lookup takes at most three arguments")
		}
		m, key := args[0], args[1].AsString()
		ty := m.Type()
		if !(ty.IsMapType() || ty.IsObjectType()) {
			return cty.DynamicVal, function.NewArgErrorf(0, "lookup needs a map or an object")
		}
		if !m.IsKnown() {
			return cty.DynamicVal, nil
		}
		if !m.IsNull() {
			if ty.IsObjectType() && ty.HasAttribute(key) {
				return m.GetAttr(key), nil
			}
			if ty.IsMapType() {
				if k := cty.StringVal(key); m.HasIndex(k).True() {
					return m.Index(k), nil
				}
			}
		}
		if len(args) == 3 {
			return args[2], nil
		}
		return cty.DynamicVal, function.NewArgErrorf(1, "the map has no element %q and no default is given", key)
	},
})
