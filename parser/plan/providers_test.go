package plan

import (
	"testing"

	"github.com/strider-sec/strider/graph"
)

// The account of each resource comes from its provider configuration in
// the plan: an assumed role's ARN, a single allowed account, or unknown.
func TestProviderAccount(t *testing.T) {
	src := `{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket", "name": "a", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"bucket": "a"}},
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"bucket": "b"}},
    {"address": "aws_s3_bucket.c", "mode": "managed", "type": "aws_s3_bucket", "name": "c", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"bucket": "c"}},
    {"address": "aws_s3_bucket.d", "mode": "managed", "type": "aws_s3_bucket", "name": "d", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"bucket": "d"}}
  ]}},
  "configuration": {
    "provider_config": {
      "aws": {"name": "aws", "expressions": {"allowed_account_ids": {"constant_value": ["111111111111"]}}},
      "aws.prod": {"name": "aws", "alias": "prod", "expressions": {"assume_role": [
        {"role_arn": {"constant_value": "arn:aws:iam::999999999999:role/first"}},
        {"role_arn": {"constant_value": "arn:aws:iam::222222222222:role/deploy"}}
      ]}},
      "aws.var": {"name": "aws", "alias": "var", "expressions": {"assume_role": [{"role_arn": {"references": ["var.role"]}}]}},
      "aws.env": {"name": "aws", "alias": "env"}
    },
    "root_module": {"resources": [
      {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket", "name": "a", "provider_config_key": "aws"},
      {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "provider_config_key": "aws.prod"},
      {"address": "aws_s3_bucket.c", "mode": "managed", "type": "aws_s3_bucket", "name": "c", "provider_config_key": "aws.var"},
      {"address": "aws_s3_bucket.d", "mode": "managed", "type": "aws_s3_bucket", "name": "d", "provider_config_key": "aws.env"}
    ]}
  }
}`
	rs, diags := Parse([]byte(src), "plan.json")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	want := map[string]graph.Value[string]{
		"aws_s3_bucket.a": {V: "111111111111", State: graph.Set},
		"aws_s3_bucket.b": {V: "222222222222", State: graph.Set},
		"aws_s3_bucket.c": {State: graph.Unknown},
		"aws_s3_bucket.d": {State: graph.Unknown},
	}
	if len(rs) != len(want) {
		t.Fatalf("got %d resources", len(rs))
	}
	for _, r := range rs {
		w := want[r.Addr.String()]
		if r.Account.State != w.State || r.Account.V != w.V {
			t.Errorf("%s: account %+v, want %+v", r.Addr, r.Account, w)
		}
	}
}
