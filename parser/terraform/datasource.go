package terraform

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

// dataSource adds what a data source exposes that the scanner can know
// without calling the provider: the rendered policy document, and the
// account, region and partition of the provider configuration. Anything
// else a data source reads stays unknown.
func (e *evaluator) dataSource(r *graph.Resource, pc *providerConf) graph.Attributes {
	m := r.Attrs.Map()
	if m == nil {
		return r.Attrs
	}
	switch r.Type() {
	case "aws_iam_policy_document":
		js, err := renderPolicyDocument(r.Attrs.Object())
		if err != nil {
			e.diags = append(e.diags, graph.Diagnostic{Severity: graph.Warning,
				Summary: "policy document cannot be rendered; treated as unknown", Detail: err.Error(), Range: r.Range})
		}
		m["json"] = js
		m["minified_json"] = cty.UnknownVal(cty.String)
		if js.IsKnown() {
			m["minified_json"] = cty.StringVal(minify(js.AsString()))
		}
	case "aws_caller_identity":
		m["account_id"] = pc.account
		m["id"] = pc.account
	case "aws_region":
		if _, set := m["name"]; !set {
			m["name"] = pc.region
		}
		m["region"] = m["name"]
		m["id"] = m["name"]
	case "aws_partition":
		m["partition"] = partitionOf(pc.region)
		m["id"] = m["partition"]
		m["dns_suffix"] = cty.UnknownVal(cty.String)
		if p := m["partition"]; p.IsKnown() {
			m["dns_suffix"] = cty.StringVal(map[string]string{"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com"}[p.AsString()])
		}
	default:
		return r.Attrs
	}
	return e.values.Attributes(m)
}

// partitionOf derives the partition from a known region.
func partitionOf(region cty.Value) cty.Value {
	if !region.IsKnown() || region.IsNull() || region.Type() != cty.String {
		return cty.UnknownVal(cty.String)
	}
	switch r := region.AsString(); {
	case strings.HasPrefix(r, "cn-"):
		return cty.StringVal("aws-cn")
	case strings.HasPrefix(r, "us-gov-"):
		return cty.StringVal("aws-us-gov")
	case strings.HasPrefix(r, "us-iso"), strings.HasPrefix(r, "eu-isoe"):
		return cty.UnknownVal(cty.String) // isolated partitions: not guessed
	default:
		return cty.StringVal("aws")
	}
}

// minify compacts the rendered JSON, as the provider's minified_json.
func minify(js string) string {
	var b strings.Builder
	inString, escaped := false, false
	for _, c := range js {
		switch {
		case inString:
			b.WriteRune(c)
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
			b.WriteRune(c)
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}
