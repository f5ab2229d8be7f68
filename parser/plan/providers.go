package plan

import (
	"regexp"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/strider-sec/strider/graph"
)

// roleAccount reads the account ID of an IAM role ARN.
var roleAccount = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):`)

// providerAccount is the account the provider configuration of a resource
// acts in, from the plan's configuration section: the account of the role
// its last assume_role block assumes, else its only allowed account ID.
// Values the configuration computes (a variable, a reference) and
// configurations without either are unknown: the account comes from
// credentials.
func (b *builder) providerAccount(cr *configResource) graph.Value[string] {
	if cr == nil || b.plan.Config == nil {
		return graph.Value[string]{}
	}
	pc := b.plan.Config.ProviderConfigs[cr.res.ProviderConfigKey]
	if pc == nil {
		return graph.UnknownValue[string](graph.Range{Filename: b.name})
	}
	rg := graph.Range{Filename: b.name}
	if e := pc.Expressions["assume_role"]; e != nil && len(e.NestedBlocks) > 0 {
		last := e.NestedBlocks[len(e.NestedBlocks)-1]
		if arn, ok := constantString(last["role_arn"]); ok {
			if m := roleAccount.FindStringSubmatch(arn); m != nil {
				return graph.Known(m[1], rg)
			}
		}
		return graph.UnknownValue[string](rg)
	}
	if e := pc.Expressions["allowed_account_ids"]; e != nil {
		if ids, ok := e.ConstantValue.([]any); ok && len(ids) == 1 {
			if id, ok := ids[0].(string); ok {
				return graph.Known(id, rg)
			}
		}
	}
	return graph.UnknownValue[string](rg)
}

func constantString(e *tfjson.Expression) (string, bool) {
	if e == nil {
		return "", false
	}
	s, ok := e.ConstantValue.(string)
	return s, ok
}
