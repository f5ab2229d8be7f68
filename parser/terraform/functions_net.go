package terraform

import (
	"fmt"
	"math/big"
	"net/netip"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/gocty"
)

// Terraform's CIDR functions, which network code uses everywhere: without
// them every subnet's range would be unknown.
func init() {
	functions["cidrsubnet"] = cidrSubnetFunc
	functions["cidrhost"] = cidrHostFunc
	functions["cidrnetmask"] = cidrNetmaskFunc
}

var cidrSubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
		return b.NotNull()
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		prefix, err := netip.ParsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "invalid CIDR expression: %s", err)
		}
		var newbits int
		if err := gocty.FromCtyValue(args[1], &newbits); err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(1, err)
		}
		netnum := args[2].AsBigFloat()
		n, acc := netnum.Int(nil)
		if acc != big.Exact || n.Sign() < 0 {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(2, "netnum must be a whole, non-negative number")
		}
		prefix = prefix.Masked()
		bits := prefix.Addr().BitLen()
		newLen := prefix.Bits() + newbits
		if newbits < 0 || newLen > bits {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "prefix extension of %d does not fit in %d bits", newbits, bits-prefix.Bits())
		}
		if n.BitLen() > newbits {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(2, "prefix extension of %d does not accommodate a subnet numbered %s", newbits, n)
		}
		base := new(big.Int).SetBytes(prefix.Addr().AsSlice())
		base.Or(base, new(big.Int).Lsh(n, uint(bits-newLen)))
		addr, err := addrFromInt(base, bits)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		return cty.StringVal(netip.PrefixFrom(addr, newLen).String()), nil
	},
})

var cidrHostFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "hostnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		prefix, err := netip.ParsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "invalid CIDR expression: %s", err)
		}
		n, acc := args[1].AsBigFloat().Int(nil)
		if acc != big.Exact {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "hostnum must be a whole number")
		}
		prefix = prefix.Masked()
		bits := prefix.Addr().BitLen()
		size := new(big.Int).Lsh(big.NewInt(1), uint(bits-prefix.Bits()))
		if n.Sign() < 0 {
			n.Add(n, size) // Terraform counts negative host numbers from the end
		}
		if n.Sign() < 0 || n.Cmp(size) >= 0 {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "prefix of %d bits cannot accommodate host number %s", prefix.Bits(), args[1].AsBigFloat())
		}
		base := new(big.Int).SetBytes(prefix.Addr().AsSlice())
		addr, err := addrFromInt(base.Or(base, n), bits)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		return cty.StringVal(addr.String()), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		prefix, err := netip.ParsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "invalid CIDR expression: %s", err)
		}
		if !prefix.Addr().Is4() {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "only IPv4 prefixes have a netmask")
		}
		mask := new(big.Int).Lsh(big.NewInt(1), 32)
		mask.Sub(mask, new(big.Int).Lsh(big.NewInt(1), uint(32-prefix.Bits())))
		addr, err := addrFromInt(mask, 32)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		return cty.StringVal(addr.String()), nil
	},
})

func addrFromInt(n *big.Int, bits int) (netip.Addr, error) {
	b := n.Bytes()
	if len(b) > bits/8 {
		return netip.Addr{}, fmt.Errorf("address overflows %d bits", bits)
	}
	buf := make([]byte, bits/8)
	copy(buf[len(buf)-len(b):], b)
	addr, ok := netip.AddrFromSlice(buf)
	if !ok {
		return netip.Addr{}, fmt.Errorf("invalid address")
	}
	return addr, nil
}
