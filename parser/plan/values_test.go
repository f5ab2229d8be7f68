package plan

import (
	"bytes"
	"encoding/json"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
)

// jsonValue decodes a JSON literal the way the plan is decoded.
func jsonValue(t *testing.T, s string) any {
	t.Helper()
	if s == "" {
		return nil
	}
	var v any
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

// jsonConfig decodes a resource's "expressions" object with terraform-json.
func jsonConfig(t *testing.T, s string) blockConfig {
	t.Helper()
	if s == "" {
		return blockConfig{}
	}
	var cr tfjson.ConfigResource
	if err := json.Unmarshal([]byte(`{"expressions":`+s+`}`), &cr); err != nil {
		t.Fatalf("bad test config %s: %v", s, err)
	}
	return resourceConfig(&cr)
}

func TestPlanValue(t *testing.T) {
	tests := []struct {
		name    string
		values  string
		unknown string
		config  string // expressions; empty for "no configuration section"
		want    cty.Value
	}{
		{
			name:   "scalars and containers",
			values: `{"s":"x","n":1.5,"big":12345678901234567890,"b":true,"z":null,"l":["a",1],"o":{"k":"v"},"e":[],"m":{}}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"s": cty.StringVal("x"), "n": cty.NumberFloatVal(1.5),
				"big": cty.MustParseNumberVal("12345678901234567890"), "b": cty.True,
				"z": cty.NullVal(cty.DynamicPseudoType),
				"l": cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(1)}),
				"o": cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("v")}),
				"e": cty.EmptyTupleVal, "m": cty.EmptyObjectVal,
			}),
		},
		{
			name:    "unknowns without configuration stay unknown",
			values:  `{"ami":"ami-1"}`,
			unknown: `{"id":true,"metadata_options":true,"tags":{}}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"ami": cty.StringVal("ami-1"), "id": cty.DynamicVal, "metadata_options": cty.DynamicVal,
				"tags": cty.NullVal(cty.DynamicPseudoType),
			}),
		},
		{
			name:    "computed defaults the configuration does not write become null",
			values:  `{"ami":"ami-1","vpc_security_group_ids":null}`,
			unknown: `{"id":true,"metadata_options":true,"vpc_security_group_ids":true}`,
			config:  `{"ami":{"constant_value":"ami-1"},"vpc_security_group_ids":{"references":["aws_security_group.a.id","aws_security_group.a"]}}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"ami": cty.StringVal("ami-1"), "id": cty.NullVal(cty.DynamicPseudoType),
				"metadata_options":       cty.NullVal(cty.DynamicPseudoType),
				"vpc_security_group_ids": cty.DynamicVal,
			}),
		},
		{
			name:    "inside a written block, unwritten computed attributes become null",
			values:  `{"metadata_options":[{"http_tokens":"optional"}]}`,
			unknown: `{"metadata_options":[{"http_endpoint":true,"http_put_response_hop_limit":true}]}`,
			config:  `{"metadata_options":[{"http_tokens":{"constant_value":"optional"}}]}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"metadata_options": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
					"http_tokens":                 cty.StringVal("optional"),
					"http_endpoint":               cty.NullVal(cty.DynamicPseudoType),
					"http_put_response_hop_limit": cty.NullVal(cty.DynamicPseudoType),
				})}),
			}),
		},
		{
			name:    "a block attribute written with a reference stays unknown",
			values:  `{"launch_template":[{"version":"$Latest"}]}`,
			unknown: `{"launch_template":[{"id":true,"name":true}]}`,
			config:  `{"launch_template":[{"id":{"references":["aws_launch_template.lt.id","aws_launch_template.lt"]},"version":{"constant_value":"$Latest"}}]}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"launch_template": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
					"id": cty.DynamicVal, "name": cty.NullVal(cty.DynamicPseudoType), "version": cty.StringVal("$Latest"),
				})}),
			}),
		},
		{
			name:    "sibling blocks are pooled: a set may come back in another order",
			values:  `{"ingress":[{"from_port":80},{"from_port":443}]}`,
			unknown: `{"ingress":[{"description":true},{"description":true,"cidr":true}]}`,
			config:  `{"ingress":[{"from_port":{"constant_value":443},"description":{"references":["var.d"]}},{"from_port":{"constant_value":80}}]}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"ingress": cty.TupleVal([]cty.Value{
					cty.ObjectVal(map[string]cty.Value{"from_port": cty.NumberIntVal(80), "description": cty.DynamicVal}),
					cty.ObjectVal(map[string]cty.Value{"from_port": cty.NumberIntVal(443), "description": cty.DynamicVal,
						"cidr": cty.NullVal(cty.DynamicPseudoType)}),
				}),
			}),
		},
		{
			name:    "unknown list elements are null in values and true in after_unknown",
			values:  `{"statement":[{"resources":[null,"arn:x"]}]}`,
			unknown: `{"statement":[{"resources":[true,false]}]}`,
			config:  `{"statement":[{"resources":{"references":["aws_s3_bucket.b.arn","aws_s3_bucket.b"]}}]}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"statement": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
					"resources": cty.TupleVal([]cty.Value{cty.DynamicVal, cty.StringVal("arn:x")}),
				})}),
			}),
		},
		{
			name:    "an object-valued attribute is one expression: its contents are not pruned",
			values:  `{"tags":{"a":"1"}}`,
			unknown: `{"tags":{"b":true}}`,
			config:  `{"tags":{"references":["var.t"]}}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"tags": cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("1"), "b": cty.DynamicVal}),
			}),
		},
		{
			name:    "partially unknown values are kept even when not written",
			values:  `{"root_block_device":[{"volume_type":"gp3"}]}`,
			unknown: `{"root_block_device":[{"volume_id":true}]}`,
			config:  `{}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"root_block_device": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
					"volume_type": cty.StringVal("gp3"), "volume_id": cty.DynamicVal,
				})}),
			}),
		},
		{
			name:    "an omitted key described in depth by after_unknown",
			values:  `{}`,
			unknown: `{"x":[{"y":true}]}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"x": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"y": cty.DynamicVal})}),
			}),
		},
		{
			name:    "mismatched shapes are ignored",
			values:  `{"a":"s","b":[1]}`,
			unknown: `{"a":{"x":true},"b":{"y":true}}`,
			want: cty.ObjectVal(map[string]cty.Value{
				"a": cty.StringVal("s"), "b": cty.TupleVal([]cty.Value{cty.NumberIntVal(1)}),
			}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := planValue(jsonValue(t, tt.values), jsonValue(t, tt.unknown), jsonConfig(t, tt.config))
			if !got.RawEquals(tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}
