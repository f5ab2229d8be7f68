package terraform

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// providerConf is one provider configuration as a resource sees it.
type providerConf struct {
	// addr is the configuration address as Terraform prints it:
	// `provider["registry.terraform.io/hashicorp/aws"].west`, prefixed by
	// the module path of the module that declares it.
	addr    string
	region  cty.Value
	account cty.Value
	rng     hcl.Range
	// instances are the configurations of a provider block with
	// for_each (OpenTofu), by key.
	instances map[string]*providerConf
}

// accountInARN reads the account ID of an IAM role ARN.
var accountInARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):`)

// providerSource is the registry address of a provider by local name,
// from required_providers when the module declares it.
func (m *module) providerSource(name string) string {
	if src, ok := m.requiredProviders[name]; ok {
		if strings.Count(src, "/") == 1 {
			src = "registry.terraform.io/" + src
		}
		return src
	}
	return "registry.terraform.io/hashicorp/" + name
}

// providers returns the provider configurations visible in a module
// instance by local name ("aws", "aws.west"): those the caller passes
// (explicitly with `providers = {}`, or implicitly its defaults), then
// the module's own provider blocks, which win.
func (e *evaluator) providers(s *scope, inherited map[string]*providerConf) map[string]*providerConf {
	out := map[string]*providerConf{}
	for k, v := range inherited {
		out[k] = v
	}
	ctx := e.ctx(s, nil)
	for _, b := range s.mod.providerBlocks {
		name := b.Labels[0]
		attrs := metaAttributes(b.Body)
		key, alias := name, ""
		if a, ok := attrs["alias"]; ok {
			if v := e.eval(a.Expr, ctx); v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
				alias = v.AsString()
				key = name + "." + alias
			}
		}
		addr := "provider[" + strconv.Quote(s.mod.providerSource(name)) + "]"
		if alias != "" {
			addr += "." + alias
		}
		if s.path != "" {
			addr = s.path + "." + addr
		}
		pc := &providerConf{addr: addr, region: cty.UnknownVal(cty.String), account: cty.UnknownVal(cty.String), rng: b.DefRange}
		if a, ok := attrs["for_each"]; ok {
			// OpenTofu's provider for_each: one configuration per key,
			// which a resource picks by index. Without an index, or with
			// an unknown one, region and account stay unknown.
			pc.instances = map[string]*providerConf{}
			for _, inst := range e.expand(s, hcl.Attributes{"for_each": a}, "provider "+key) {
				ek := inst.extra["each"].GetAttr("key")
				if !ek.IsKnown() {
					continue
				}
				ictx := e.ctx(s, inst.extra)
				ipc := &providerConf{addr: addr + inst.key, region: cty.UnknownVal(cty.String), rng: b.DefRange}
				if r, ok := attrs["region"]; ok {
					if v := e.eval(r.Expr, ictx); v.Type() == cty.String || !v.IsKnown() {
						ipc.region = v
					}
				}
				ipc.account = e.providerAccount(b.Body, ictx, attrs)
				pc.instances[ek.AsString()] = ipc
			}
			out[key] = pc
			continue
		}
		if a, ok := attrs["region"]; ok {
			if v := e.eval(a.Expr, ctx); v.Type() == cty.String || !v.IsKnown() {
				pc.region = v
			}
		}
		pc.account = e.providerAccount(b.Body, ctx, attrs)
		out[key] = pc
	}
	return out
}

// providerAccount finds the account a provider configuration acts in:
// the account of the role it assumes, else its only allowed account.
// Without either, the account comes from credentials: unknown.
func (e *evaluator) providerAccount(body hcl.Body, ctx *hcl.EvalContext, attrs hcl.Attributes) cty.Value {
	if sb, ok := body.(*hclsyntax.Body); ok {
		// Several assume_role blocks chain roles; the last one is the
		// identity the provider acts as.
		for i := len(sb.Blocks) - 1; i >= 0; i-- {
			blk := sb.Blocks[i]
			if blk.Type != "assume_role" {
				continue
			}
			if a, ok := blk.Body.Attributes["role_arn"]; ok {
				v := e.eval(a.Expr, ctx)
				if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
					if m := accountInARN.FindStringSubmatch(v.AsString()); m != nil {
						return cty.StringVal(m[1])
					}
				}
				return cty.UnknownVal(cty.String)
			}
		}
	}
	if a, ok := attrs["allowed_account_ids"]; ok {
		v := e.eval(a.Expr, ctx)
		if v.IsWhollyKnown() && !v.IsNull() && v.CanIterateElements() && v.LengthInt() == 1 {
			it := v.ElementIterator()
			it.Next()
			if _, id := it.Element(); id.Type() == cty.String {
				return id
			}
		}
	}
	return cty.UnknownVal(cty.String)
}

// resourceProvider picks the configuration of a resource: its `provider`
// meta-argument, else the default configuration of the provider its type
// belongs to.
func (e *evaluator) resourceProvider(s *scope, attrs hcl.Attributes, typ string, ctx *hcl.EvalContext) *providerConf {
	key, _, _ := strings.Cut(typ, "_")
	a, ok := attrs["provider"]
	if !ok {
		return e.lookupProvider(s, key)
	}
	expr := a.Expr
	var index hcl.Expression
	// OpenTofu selects one instance of a provider with for_each by an
	// index: aws.by_region[each.key].
	if ix, ok := expr.(*hclsyntax.IndexExpr); ok {
		expr, index = ix.Collection, ix.Key
	}
	if tr, diags := hcl.AbsTraversalForExpr(expr); !diags.HasErrors() && len(tr) > 0 {
		key = traversalName(tr)
		if index == nil && len(tr) > 2 {
			if ix, ok := tr[len(tr)-1].(hcl.TraverseIndex); ok {
				index = hcl.StaticExpr(ix.Key, a.Range)
			}
		}
	}
	pc := e.lookupProvider(s, key)
	if index != nil && pc.instances != nil {
		if k := e.eval(index, ctx); k.IsKnown() && !k.IsNull() && k.Type() == cty.String {
			if inst, ok := pc.instances[k.AsString()]; ok {
				return inst
			}
		}
	}
	return pc
}

// lookupProvider finds a configuration by local name ("aws", "aws.west").
func (e *evaluator) lookupProvider(s *scope, key string) *providerConf {
	if pc, ok := s.providers[key]; ok {
		return pc
	}
	local, alias, _ := strings.Cut(key, ".")
	addr := "provider[" + strconv.Quote(s.mod.providerSource(local)) + "]"
	if alias != "" {
		addr += "." + alias
	}
	// A provider with no configuration block still exists, configured
	// from the environment: region and account unknown.
	return &providerConf{addr: addr, region: cty.UnknownVal(cty.String), account: cty.UnknownVal(cty.String)}
}

// childProviders is what a module call passes down: the caller's default
// configurations, replaced wholesale by an explicit `providers` map.
func (e *evaluator) childProviders(s *scope, call *hcl.Block) map[string]*providerConf {
	attrs := metaAttributes(call.Body)
	a, ok := attrs["providers"]
	if !ok {
		out := map[string]*providerConf{}
		for k, v := range s.providers {
			if !strings.Contains(k, ".") {
				out[k] = v
			}
		}
		return out
	}
	out := map[string]*providerConf{}
	pairs, diags := hcl.ExprMap(a.Expr)
	if diags.HasErrors() {
		e.warn(a.Range, "providers must be a map of provider references; ignored", diags.Error())
		return out
	}
	for _, p := range pairs {
		child := hcl.ExprAsKeyword(p.Key)
		if child == "" {
			if tr, d := hcl.AbsTraversalForExpr(p.Key); !d.HasErrors() {
				child = traversalName(tr)
			}
		}
		tr, d := hcl.AbsTraversalForExpr(p.Value)
		if child == "" || d.HasErrors() {
			e.warn(p.Key.Range(), "providers entry is not a provider reference; ignored", "")
			continue
		}
		parent := traversalName(tr)
		if pc, ok := s.providers[parent]; ok {
			out[child] = pc
		} else {
			out[child] = e.lookupProvider(s, parent)
		}
	}
	return out
}

func traversalName(tr hcl.Traversal) string {
	parts := []string{tr.RootName()}
	for _, st := range tr[1:] {
		if a, ok := st.(hcl.TraverseAttr); ok {
			parts = append(parts, a.Name)
		}
	}
	return strings.Join(parts, ".")
}
