package cloudformation

import (
	"encoding/json"
	"maps"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

// schemas are goformation's generated types for the resource types whose
// facets Strider computes. For these a misspelled property is not just
// ignored: it reads as "not set" and flips a verdict, so it deserves a
// warning at its line. Other types are not checked, because goformation's
// copy of the specification lags behind AWS and would flag new, valid
// properties. Only these subpackages are imported: the registry of all
// types (cloudformation.AllResources) would add some 10 MB to the binary.
var schemas = map[string]reflect.Type{
	typeInstance:            reflect.TypeFor[ec2.Instance](),
	typeLaunchTemplate:      reflect.TypeFor[ec2.LaunchTemplate](),
	typeLaunchConfiguration: reflect.TypeFor[autoscaling.LaunchConfiguration](),
}

// newerProperties are properties AWS added after goformation's copy of the
// specification was generated; they are checked against these shapes.
var newerProperties = map[string]map[string]reflect.Type{
	// AWS::EC2::Instance accepts MetadataOptions directly since 2025.
	typeInstance: {"MetadataOptions": reflect.TypeFor[instanceMetadataOptions]()},
}

// instanceMetadataOptions is AWS::EC2::Instance MetadataOptions.
type instanceMetadataOptions struct {
	HttpEndpoint            *string `json:"HttpEndpoint,omitempty"`
	HttpProtocolIpv6        *string `json:"HttpProtocolIpv6,omitempty"`
	HttpPutResponseHopLimit *int    `json:"HttpPutResponseHopLimit,omitempty"`
	HttpTokens              *string `json:"HttpTokens,omitempty"`
	InstanceMetadataTags    *string `json:"InstanceMetadataTags,omitempty"`
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// fieldCache maps a goformation struct type to its properties by name.
var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// fieldsOf lists the properties of a goformation struct: its fields with a
// JSON name, which is the CloudFormation property name. Fields tagged "-"
// carry resource attributes (DependsOn, Condition), not properties.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		fields[name] = f.Type
	}
	fieldCache.Store(t, fields)
	return fields
}

// checkSchema warns about properties of r that its type does not have, and
// about a resource type that differs from a checked one only in case.
func (p *parser) checkSchema(r *graph.Resource, properties cty.Value) {
	t, ok := schemas[r.Addr.Type]
	if !ok {
		for name := range schemas {
			if strings.EqualFold(name, r.Addr.Type) {
				p.diags = append(p.diags, graph.Diagnostic{
					Severity: graph.Warning,
					Summary:  "unknown resource type " + clip(r.Addr.Type),
					Detail:   "did you mean " + name + "? Resource types are case-sensitive; this resource is not checked",
					Range:    r.Range,
				})
			}
		}
		return
	}
	p.checkValue(r, t, properties, "", true)
}

// checkValue walks v alongside the goformation type t. Unknown values,
// free-form maps and interface{} fields (policy documents) accept
// anything; so do types with their own JSON decoding (unions), whose shape
// the Go type does not tell.
func (p *parser) checkValue(r *graph.Resource, t reflect.Type, v cty.Value, path string, top bool) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return
	}
	// Values share structure (a list parameter referenced many times), so
	// walking them may cost more than evaluating them did. The check is a
	// courtesy: past the budget it silently stops.
	if p.schemaVisits++; p.schemaVisits > maxNodes {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if !top && reflect.PointerTo(t).Implements(unmarshalerType) {
		return
	}
	ty := v.Type()
	switch t.Kind() {
	case reflect.Struct:
		if !ty.IsObjectType() {
			return
		}
		fields := fieldsOf(t)
		if extra := newerProperties[r.Addr.Type]; top && extra != nil {
			fields = maps.Clone(fields)
			maps.Copy(fields, extra)
		}
		names := make([]string, 0, len(ty.AttributeTypes()))
		for name := range ty.AttributeTypes() {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			child := name
			if path != "" {
				child = path + "." + name
			}
			ft, ok := fields[name]
			if !ok {
				p.unknownProperty(r, fields, name, child)
				continue
			}
			p.checkValue(r, ft, v.GetAttr(name), child, false)
		}
	case reflect.Slice, reflect.Array:
		if !ty.IsTupleType() && !ty.IsListType() {
			return
		}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			p.checkValue(r, t.Elem(), e, path+"."+strconv.Itoa(i), false)
		}
	}
}

func (p *parser) unknownProperty(r *graph.Resource, fields map[string]reflect.Type, name, path string) {
	detail := "it is not in the resource specification Strider knows (goformation's); " +
		"CloudFormation rejects unsupported properties, and Strider does not read it"
	for f := range fields {
		if strings.EqualFold(f, name) {
			detail = "did you mean " + f + "? Property names are case-sensitive; " + detail
			break
		}
	}
	p.diags = append(p.diags, graph.Diagnostic{
		Severity: graph.Warning,
		Summary:  "unknown property " + clip(path) + " of " + r.Addr.Type + " " + clip(r.Addr.Name),
		Detail:   detail,
		Range:    r.AttrRange(path),
	})
}
