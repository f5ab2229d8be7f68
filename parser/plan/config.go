package plan

import (
	"slices"
	"strconv"

	tfjson "github.com/hashicorp/terraform-json"
)

// configIndex finds the configuration of a resource instance. The
// configuration describes module calls, not module instances, so it is
// keyed by the call path (instance keys stripped) and the module-relative
// address: every instance of module.app["a"].aws_instance.web[0] shares
// the entry of module.app / aws_instance.web.
type configIndex struct {
	// present is true when the plan has a configuration section at all.
	present   bool
	resources map[configKey]*configResource
}

type configKey struct {
	callPath string
	addr     string
}

type configResource struct {
	res  *tfjson.ConfigResource
	refs []configRef
}

// configRef is a reference from one attribute of a configured resource,
// in the attribute path convention of package tfschema.
type configRef struct {
	target string
	attr   string
}

// maxModuleDepth bounds the walk of nested module calls, as a guard
// against hostile input; real configurations stay far below it.
const maxModuleDepth = 100

func indexConfig(c *tfjson.Config) configIndex {
	idx := configIndex{resources: map[configKey]*configResource{}}
	if c == nil || c.RootModule == nil {
		return idx
	}
	idx.present = true
	idx.walk(c.RootModule, "", 0)
	return idx
}

func (idx configIndex) walk(m *tfjson.ConfigModule, callPath string, depth int) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	for _, r := range m.Resources {
		if r == nil {
			continue
		}
		addr := r.Address
		if addr == "" {
			addr = r.Type + "." + r.Name
			if r.Mode == tfjson.DataResourceMode {
				addr = "data." + addr
			}
		}
		k := configKey{callPath, addr}
		if _, dup := idx.resources[k]; !dup {
			idx.resources[k] = &configResource{res: r, refs: expressionRefs(r.Expressions, "", nil)}
		}
	}
	for name, call := range m.ModuleCalls {
		if call == nil {
			continue
		}
		p := "module." + name
		if callPath != "" {
			p = callPath + "." + p
		}
		idx.walk(call.Module, p, depth+1)
	}
}

// lookup returns the configuration of a, or nil when the plan has none
// for it (no configuration section, or a resource whose configuration was
// removed, which is why it is being deleted).
func (idx configIndex) lookup(a address) *configResource {
	return idx.resources[configKey{a.callPath(), a.configAddr()}]
}

// expressionRefs lists the resource references of a block's expressions,
// in attribute order, deduplicated per attribute. Nested blocks appear in
// the configuration as lists of expression maps, so a reference in the
// first launch_template block's id gets the path "launch_template.0.id".
func expressionRefs(exprs map[string]*tfjson.Expression, prefix string, out []configRef) []configRef {
	keys := make([]string, 0, len(exprs))
	for k := range exprs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e := exprs[k]
		if e == nil || e.ExpressionData == nil {
			continue
		}
		path := prefix + k
		for i, b := range e.NestedBlocks {
			out = expressionRefs(b, path+"."+strconv.Itoa(i)+".", out)
		}
		out = appendRefs(out, e.References, path)
	}
	return out
}

// appendRefs adds the resource targets of one references list.
// Terraform unwraps each reference into every significant step and, for
// a keyed instance, adds the unkeyed resource right after it:
// ["aws_subnet.a[0].id", "aws_subnet.a[0]", "aws_subnet.a"]. That
// trailing unkeyed form is Terraform's convenience, not a reference to
// every instance, so it is dropped when it directly follows its keyed form.
func appendRefs(out []configRef, refs []string, attr string) []configRef {
	seen := map[string]bool{}
	prev, prevKeyed := "", false
	for _, r := range refs {
		t, keyed, ok := refTarget(r)
		if !ok {
			prev, prevKeyed = "", false
			continue
		}
		companion := !keyed && prevKeyed && len(prev) > len(t) && prev[:len(t)] == t && prev[len(t)] == '['
		prev, prevKeyed = t, keyed
		if companion || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, configRef{target: t, attr: attr})
	}
	return out
}
