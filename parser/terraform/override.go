package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strider-sec/strider/graph"
	"github.com/zclconf/go-cty/cty"
)

// override merges the blocks of an override file into the module's own,
// as Terraform does: an attribute replaces the attribute of the same name;
// a nested block type replaces every nested block of that type; a local
// replaces the local of the same name. Override files are read after all
// ordinary files, in lexical order, so a later override wins.
func (m *module) override(content *hcl.BodyContent) {
	for _, ob := range content.Blocks {
		switch ob.Type {
		case "locals":
			attrs, diags := ob.Body.JustAttributes()
			m.diags = append(m.diags, convertDiags(diags)...)
			for _, a := range sortedAttrs(attrs) {
				replaced := false
				for i, l := range m.locals {
					if l.Name == a.Name {
						m.locals[i], replaced = a, true
					}
				}
				if !replaced {
					m.noBase(ob, "local."+a.Name)
				}
			}
			continue
		case "terraform":
			m.terraformBlock(ob)
			continue
		}
		list := m.blocksOf(ob.Type)
		if list == nil {
			continue // moved, import, check…: nothing in the graph to merge into
		}
		found := false
		for i, b := range *list {
			if sameBlock(b, ob) {
				(*list)[i], found = mergeBlock(b, ob), true
			}
		}
		if !found {
			m.noBase(ob, ob.Type+" "+strings.Join(ob.Labels, "."))
		}
	}
}

func (m *module) noBase(ob *hcl.Block, what string) {
	m.diags = append(m.diags, graph.Diagnostic{Severity: graph.Warning,
		Summary: "override for " + what + " has no block to override; ignored",
		Detail:  "Terraform requires the overridden block to exist in an ordinary file",
		Range:   RangeOf(ob.DefRange)})
}

func (m *module) blocksOf(typ string) *[]*hcl.Block {
	switch typ {
	case "resource":
		return &m.resources
	case "data":
		return &m.data
	case "variable":
		return &m.variables
	case "module":
		return &m.calls
	case "output":
		return &m.outputs
	case "provider":
		return &m.providerBlocks
	}
	return nil
}

func sameBlock(a, b *hcl.Block) bool {
	if a.Type != b.Type || strings.Join(a.Labels, "\x00") != strings.Join(b.Labels, "\x00") {
		return false
	}
	if a.Type == "provider" {
		return literalAlias(a) == literalAlias(b)
	}
	return true
}

func literalAlias(b *hcl.Block) string {
	attrs := metaAttributes(b.Body)
	if a, ok := attrs["alias"]; ok {
		if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsKnown() && !v.IsNull() {
			if v.Type() == cty.String {
				return v.AsString()
			}
		}
	}
	return ""
}

// mergeBlock returns base with over merged in. Both must be native
// syntax to merge attribute by attribute; a JSON override replaces the
// whole body, which is what it means in the common case of a JSON file
// overriding a generated block.
func mergeBlock(base, over *hcl.Block) *hcl.Block {
	bb, ok1 := base.Body.(*hclsyntax.Body)
	ob, ok2 := over.Body.(*hclsyntax.Body)
	out := *base
	if !ok1 || !ok2 {
		out.Body = over.Body
		return &out
	}
	merged := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: bb.SrcRange, EndRange: bb.EndRange}
	for n, a := range bb.Attributes {
		merged.Attributes[n] = a
	}
	for n, a := range ob.Attributes {
		merged.Attributes[n] = a
	}
	replaced := map[string]bool{}
	for _, b := range ob.Blocks {
		t := b.Type
		if t == "dynamic" && len(b.Labels) == 1 {
			t = b.Labels[0]
		}
		replaced[t] = true
	}
	for _, b := range bb.Blocks {
		t := b.Type
		if t == "dynamic" && len(b.Labels) == 1 {
			t = b.Labels[0]
		}
		if !replaced[t] {
			merged.Blocks = append(merged.Blocks, b)
		}
	}
	merged.Blocks = append(merged.Blocks, ob.Blocks...)
	out.Body = merged
	return &out
}
