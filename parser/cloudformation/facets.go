package cloudformation

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

// Resource types with facets, as CloudFormation spells them.
const (
	typeInstance            = "AWS::EC2::Instance"
	typeLaunchTemplate      = "AWS::EC2::LaunchTemplate"
	typeLaunchConfiguration = "AWS::AutoScaling::LaunchConfiguration"
)

// fillFacets sets the facets of r that its type carries, from its
// evaluated properties.
func fillFacets(r *graph.Resource, st *resState) {
	switch r.Addr.Type {
	case typeLaunchTemplate:
		m := imds(r, "LaunchTemplateData.MetadataOptions")
		m.TemplateName = stringAt(r, "LaunchTemplateName")
		r.Facets.IMDS = m
	case typeLaunchConfiguration:
		r.Facets.IMDS = imds(r, "MetadataOptions")
	case typeInstance:
		// AWS::EC2::Instance has no MetadataOptions property: only a
		// launch template (or an account default) can require tokens.
		r.Facets.IMDS = &graph.IMDS{
			TokensName: "HttpTokens",
			Tokens:     graph.Value[string]{Range: r.Range},
			Endpoint:   graph.Value[string]{Range: r.Range},
			HopLimit:   graph.Value[int]{Range: r.Range},
			Block:      r.Range,
			Settable:   false,
		}
		r.Facets.IMDS.LaunchTemplate = templateLink(r, st)
	}
}

// imds reads the metadata options block at path.
func imds(r *graph.Resource, block string) *graph.IMDS {
	m := &graph.IMDS{
		Tokens:     stringAt(r, block+".HttpTokens"),
		TokensName: "HttpTokens",
		Endpoint:   stringAt(r, block+".HttpEndpoint"),
		HopLimit:   intAt(r, block+".HttpPutResponseHopLimit"),
		Settable:   true,
		BlockSet:   get(r.Attrs, block) != cty.NilVal,
		Block:      r.Range,
	}
	if m.BlockSet {
		m.Block = rangeAt(r, block)
	}
	return m
}

// templateLink reads an instance's LaunchTemplate property. The link names
// a resource only when LaunchTemplateId or LaunchTemplateName is, as a
// whole, a Ref or Fn::GetAtt to it: a reference inside a string or an
// undecided Fn::If does not say which template is used.
func templateLink(r *graph.Resource, st *resState) *graph.TemplateLink {
	const block = "LaunchTemplate"
	if get(r.Attrs, block) == cty.NilVal {
		return nil
	}
	l := &graph.TemplateLink{
		Name:  stringAt(r, block+".LaunchTemplateName"),
		Range: rangeAt(r, block),
	}
	for _, attr := range []string{"LaunchTemplateId", "LaunchTemplateName"} {
		if ref, ok := st.direct[block+"."+attr]; ok {
			l.Ref = &ref
			break
		}
	}
	return l
}

// get walks a dotted path through objects and tuples. It returns
// cty.NilVal when a step is missing or null, and cty.DynamicVal as soon as
// it meets an unknown value: the path may exist once it is known.
func get(v cty.Value, path string) cty.Value {
	for _, step := range strings.Split(path, ".") {
		if v == cty.NilVal || v.IsNull() {
			return cty.NilVal
		}
		if !v.IsKnown() {
			return cty.DynamicVal
		}
		ty := v.Type()
		switch {
		case ty.IsObjectType():
			if !ty.HasAttribute(step) {
				return cty.NilVal
			}
			v = v.GetAttr(step)
		case ty.IsTupleType() || ty.IsListType():
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= v.LengthInt() {
				return cty.NilVal
			}
			v = v.Index(cty.NumberIntVal(int64(i)))
		default:
			return cty.NilVal
		}
	}
	if v != cty.NilVal && v.IsNull() {
		return cty.NilVal
	}
	return v
}

// rangeAt is the range of path, or of its nearest written ancestor, or of
// the resource: where to point when the value is absent or unknown.
func rangeAt(r *graph.Resource, path string) graph.Range {
	for {
		if rg, ok := r.AttrRanges[path]; ok {
			return rg
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return r.Range
		}
		path = path[:i]
	}
}

// stringAt reads a string property as a facet value. Numbers and bools
// are accepted in their string form, as CloudFormation does.
func stringAt(r *graph.Resource, path string) graph.Value[string] {
	v := get(r.Attrs, path)
	rg := rangeAt(r, path)
	if v == cty.NilVal {
		return graph.Value[string]{Range: rg}
	}
	if s, ok := asString(v); ok {
		return graph.Known(s, rg)
	}
	return graph.UnknownValue[string](rg)
}

// intAt reads a whole-number property, written as a number or a string.
func intAt(r *graph.Resource, path string) graph.Value[int] {
	v := get(r.Attrs, path)
	rg := rangeAt(r, path)
	switch {
	case v == cty.NilVal:
		return graph.Value[int]{Range: rg}
	case !v.IsWhollyKnown():
		return graph.UnknownValue[int](rg)
	}
	switch v.Type() {
	case cty.String:
		if n, err := strconv.Atoi(strings.TrimSpace(v.AsString())); err == nil {
			return graph.Known(n, rg)
		}
	case cty.Number:
		if f := v.AsBigFloat(); f.IsInt() {
			if n, acc := f.Int64(); acc == big.Exact && int64(int(n)) == n {
				return graph.Known(int(n), rg)
			}
		}
	}
	return graph.UnknownValue[int](rg)
}
