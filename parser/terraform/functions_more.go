package terraform

import (
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/netip"
	"path"
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/gocty"
)

// More of Terraform's pure functions, written from its documentation.
func init() {
	for name, f := range map[string]function.Function{
		"basename":        pathFunc(path.Base),
		"dirname":         pathFunc(path.Dir),
		"cidrsubnets":     cidrSubnetsFunc,
		"matchkeys":       matchKeysFunc,
		"transpose":       transposeFunc,
		"timecmp":         timeCmpFunc,
		"uuidv5":          uuidV5Func,
		"base64gzip":      base64GzipFunc,
		"issensitive":     function.New(&function.Spec{Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true}}, Type: function.StaticReturnType(cty.Bool), Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return cty.False, nil }}),
		"ephemeralasnull": identityFunc,
		// Secrets and the host's file system are never read.
		"rsadecrypt": unknownVariadicFunc(cty.String),
		"abspath":    unknownVariadicFunc(cty.String),
		"pathexpand": unknownVariadicFunc(cty.String),
	} {
		functions[name] = f
	}
}

func pathFunc(f func(string) string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(f(args[0].AsString())), nil
		},
	})
}

// cidrSubnetsFunc allocates consecutive subnets of the given sizes, each
// the next one after the previous, as Terraform's cidrsubnets does.
var cidrSubnetsFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam: &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		prefix, err := netip.ParsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(0, "invalid CIDR expression: %s", err)
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		prefix = prefix.Masked()
		bits := prefix.Addr().BitLen()
		network := new(big.Int).SetBytes(prefix.Addr().AsSlice())
		ones := func(n int) *big.Int { return new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(n)), big.NewInt(1)) }
		var out []cty.Value
		var cur *big.Int
		for i, a := range args[1:] {
			var nb int
			if err := gocty.FromCtyValue(a, &nb); err != nil {
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgError(i+1, err)
			}
			l := prefix.Bits() + nb
			if nb < 1 || l > bits {
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(i+1, "must extend the prefix by 1 to %d bits", bits-prefix.Bits())
			}
			if cur == nil {
				cur = new(big.Int).Set(network)
			} else {
				// The subnet of this length holding the last address
				// so far, then the one after it.
				last := new(big.Int).AndNot(cur, ones(bits-l))
				last.Or(last, ones(bits-l))
				cur = last.Add(last, big.NewInt(1))
				if cur.BitLen() > bits || new(big.Int).Rsh(cur, uint(bits-prefix.Bits())).Cmp(new(big.Int).Rsh(network, uint(bits-prefix.Bits()))) != 0 {
					return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(i+1, "not enough remaining address space for a subnet with a prefix of %d bits after %s", l, out[len(out)-1].AsString())
				}
			}
			addr, err := addrFromInt(cur, bits)
			if err != nil {
				return cty.UnknownVal(cty.List(cty.String)), err
			}
			out = append(out, cty.StringVal(netip.PrefixFrom(addr, l).String()))
			// Continue from the last address of this subnet.
			cur = new(big.Int).Or(cur, ones(bits-l))
		}
		return cty.ListVal(out), nil
	},
})

// matchKeysFunc keeps the values whose key, at the same index, is in
// searchset.
var matchKeysFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType)},
	},
	Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		if args[0].LengthInt() != args[1].LengthInt() {
			return cty.UnknownVal(ty), function.NewArgErrorf(1, "length of keys and values should be equal")
		}
		if !args[1].IsWhollyKnown() || !args[2].IsWhollyKnown() {
			return cty.UnknownVal(ty), nil
		}
		vals, keys, search := args[0].AsValueSlice(), args[1].AsValueSlice(), args[2].AsValueSlice()
		var out []cty.Value
		for i, k := range keys {
			for _, s := range search {
				if k.Type().Equals(s.Type()) && k.Equals(s).True() {
					out = append(out, vals[i])
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(ty.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

// transposeFunc swaps the keys and values of a map of lists of strings.
var transposeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		out := map[string][]cty.Value{}
		for _, k := range sortedKeys(args[0].AsValueMap()) {
			for _, v := range args[0].AsValueMap()[k].AsValueSlice() {
				if v.IsNull() {
					return cty.DynamicVal, function.NewArgErrorf(0, "lists must not contain null values")
				}
				out[v.AsString()] = append(out[v.AsString()], cty.StringVal(k))
			}
		}
		m := map[string]cty.Value{}
		for k, l := range out {
			m[k] = cty.ListVal(l)
		}
		if len(m) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		return cty.MapVal(m), nil
	},
})

var timeCmpFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "a", Type: cty.String}, {Name: "b", Type: cty.String}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		a, err := time.Parse(time.RFC3339, args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.Number), function.NewArgError(0, err)
		}
		b, err := time.Parse(time.RFC3339, args[1].AsString())
		if err != nil {
			return cty.UnknownVal(cty.Number), function.NewArgError(1, err)
		}
		return cty.NumberIntVal(int64(a.Compare(b))), nil
	},
})

// uuidV5Func is RFC 4122 version 5: deterministic, so it can be known.
var uuidV5Func = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "namespace", Type: cty.String}, {Name: "name", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ns := map[string]string{
			"dns": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "url": "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
			"oid": "6ba7b812-9dad-11d1-80b4-00c04fd430c8", "x500": "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
		}[args[0].AsString()]
		if ns == "" {
			ns = args[0].AsString()
		}
		var nsBytes []byte
		for _, c := range ns {
			if c == '-' {
				continue
			}
			nsBytes = append(nsBytes, byte(c))
		}
		raw := make([]byte, 16)
		if len(nsBytes) != 32 {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "namespace must be dns, url, oid, x500 or a UUID")
		}
		if _, err := fmt.Sscanf(string(nsBytes), "%32x", &raw); err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "namespace must be dns, url, oid, x500 or a UUID")
		}
		h := sha1.New()
		h.Write(raw)
		h.Write([]byte(args[1].AsString()))
		u := h.Sum(nil)[:16]
		u[6] = (u[6] & 0x0f) | 0x50
		u[8] = (u[8] & 0x3f) | 0x80
		return cty.StringVal(fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])), nil
	},
})

var base64GzipFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		if _, err := w.Write([]byte(args[0].AsString())); err != nil {
			return cty.UnknownVal(cty.String), err
		}
		if err := w.Close(); err != nil {
			return cty.UnknownVal(cty.String), err
		}
		return cty.StringVal(base64.StdEncoding.EncodeToString(buf.Bytes())), nil
	},
})
