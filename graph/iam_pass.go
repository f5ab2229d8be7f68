package graph

import (
	"fmt"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
)

// PolicyFrom: a policy that takes its document from a data source.
const PolicyFrom EdgeKind = "policy-from"

// iamPass gives every policy whose document is a reference to a rendered
// policy document in the graph (data.aws_iam_policy_document.x.json) that
// document.
func iamPass(g *Graph, _ []*Resource) Diagnostics {
	mergePolicyDocuments(g)
	for _, r := range g.Resources {
		if ip := r.Facets.IdentityPolicy(); ip != nil {
			ip.Users = g.dedupeLinks(r, ip.Users)
			ip.Groups = g.dedupeLinks(r, ip.Groups)
		}
		if gm := r.Facets.GroupMembership(); gm != nil {
			gm.Users = g.dedupeLinks(r, gm.Users)
			gm.Groups = g.dedupeLinks(r, gm.Groups)
		}
	}
	for _, r := range g.Resources {
		for _, p := range r.policies() {
			if p.State != Unknown || p.DocRef == nil || !strings.HasPrefix(p.DocRef.Target, "data.") {
				continue
			}
			if r.distinctRefs(p.DocRef.Attr) != 1 {
				// The attribute mixes several references (a merge, a
				// condition): which document results cannot be told.
				continue
			}
			ts := g.Resolve(r, p.DocRef.Target)
			if len(ts) != 1 || ts[0].Facets.PolicyDocument() == nil {
				continue
			}
			src := ts[0].Facets.PolicyDocument()
			p.Doc, p.State, p.Err, p.Via = src.Doc, src.State, src.Err, ts[0]
			g.Edges = append(g.Edges, Edge{From: r, To: ts[0], Kind: PolicyFrom, Range: p.DocRef.Range})
		}
	}
	return nil
}

// dedupeLinks drops a link by name when a link by reference in the same
// list resolves to the user or group of that name: `users =
// [aws_iam_user.ops.name]` evaluates to the name and records the
// reference, and both describe one principal.
func (g *Graph) dedupeLinks(from *Resource, ls []PrincipalLink) []PrincipalLink {
	byRef := map[string]bool{}
	for _, l := range ls {
		if l.Ref == nil {
			continue
		}
		for _, t := range g.Resolve(from, l.Ref.Target) {
			if u := t.Facets.User(); u != nil && u.Name.State == Set {
				byRef[u.Name.V] = true
			}
			if gr := t.Facets.Group(); gr != nil && gr.Name.State == Set {
				byRef[gr.Name.V] = true
			}
		}
	}
	if len(byRef) == 0 {
		return ls
	}
	return slices.DeleteFunc(ls, func(l PrincipalLink) bool {
		return l.Ref == nil && l.Name.State == Set && byRef[l.Name.V]
	})
}

// distinctRefs counts the resources the attribute attr refers to.
func (r *Resource) distinctRefs(attr string) int {
	seen := map[string]bool{}
	for _, ref := range r.Refs {
		if ref.Attr == attr {
			seen[ref.Target] = true
		}
	}
	return len(seen)
}

// policies lists every policy document r carries, in a fixed order.
func (r *Resource) policies() []*Policy {
	f := &r.Facets
	var out []*Policy
	add := func(p *Policy) {
		if p != nil {
			out = append(out, p)
		}
	}
	if f.Role() != nil {
		add(f.Role().Trust)
		for _, p := range f.Role().Inline {
			add(p)
		}
	}
	if f.User() != nil {
		for _, p := range f.User().Inline {
			add(p)
		}
	}
	if f.Group() != nil {
		for _, p := range f.Group().Inline {
			add(p)
		}
	}
	if f.IdentityPolicy() != nil {
		add(f.IdentityPolicy().Policy)
	}
	if f.ResourcePolicy() != nil {
		add(f.ResourcePolicy().Policy)
	}
	if f.KMSKey() != nil {
		add(f.KMSKey().Policy)
	}
	if f.SCP() != nil {
		add(f.SCP().Policy)
	}
	return out
}

// dumpIAM writes the IAM facets of r for Graph.Dump.
func dumpIAM(b *strings.Builder, r *Resource) {
	pol := func(name string, p *Policy) {
		if p == nil {
			return
		}
		fmt.Fprintf(b, "  %s %s=%s", name, p.Attr, p.State)
		if p.Doc != nil {
			fmt.Fprintf(b, " statements=%d", len(p.Doc.Statements))
			if p.Doc.Unknown {
				b.WriteString(" partial")
			}
		}
		if p.Err != "" {
			fmt.Fprintf(b, " err=%q", p.Err)
		}
		if p.Via != nil {
			fmt.Fprintf(b, " via=%s", p.Via.Addr)
		}
		b.WriteByte('\n')
	}
	f := &r.Facets
	if f.Role() != nil {
		pol("role-trust", f.Role().Trust)
		for _, p := range f.Role().Inline {
			pol("role-inline", p)
		}
	}
	if f.User() != nil {
		fmt.Fprintf(b, "  user name=%s\n", dumpValue(f.User().Name))
	}
	if c := f.Credential(); c != nil {
		fmt.Fprintf(b, "  credential %s user=%s", c.Kind, dumpValue(c.User.Name))
		if c.User.Ref != nil {
			fmt.Fprintf(b, " ref=%s", c.User.Ref.Target)
		}
		b.WriteByte('\n')
	}
	if ip := f.IdentityPolicy(); ip != nil {
		pol("identity-policy", ip.Policy)
		if ip.PolicyARN.State != Absent {
			fmt.Fprintf(b, "  attachment policy_arn=%s\n", dumpValue(ip.PolicyARN))
		}
	}
	if rp := f.ResourcePolicy(); rp != nil {
		pol("resource-policy("+rp.Service+")", rp.Policy)
	}
	if k := f.KMSKey(); k != nil {
		pol("key-policy", k.Policy)
	}
	if lp := f.LambdaPermission(); lp != nil {
		fmt.Fprintf(b, "  lambda-permission principal=%s source_arn=%s source_account=%s\n",
			dumpValue(lp.Principal), dumpValue(lp.SourceArn), dumpValue(lp.SourceAccount))
	}
	if g := f.Group(); g != nil {
		fmt.Fprintf(b, "  group name=%s\n", dumpValue(g.Name))
		for _, p := range g.Inline {
			pol("group-inline", p)
		}
	}
	if gm := f.GroupMembership(); gm != nil {
		fmt.Fprintf(b, "  group-membership users=%s groups=%s\n", dumpLinks(gm.Users), dumpLinks(gm.Groups))
	}
	pol("policy-document", f.PolicyDocument())
}

func dumpLinks(ls []PrincipalLink) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = dumpValue(l.Name)
		if l.Ref != nil {
			parts[i] = "ref:" + l.Ref.Target
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// mergePolicyDocuments computes the rendered documents that merge others,
// repeatedly, so that a merge of merges resolves in any order. A part
// that cannot be read, or a cycle, leaves the document unknown.
func mergePolicyDocuments(g *Graph) {
	for progress := true; progress; {
		progress = false
		for _, r := range g.Resources {
			p := r.Facets.PolicyDocument()
			if p == nil || p.Merge == nil || p.State != Unknown {
				continue
			}
			sources, ok1, wait1 := g.mergeDocs(r, p.Merge.Sources)
			overrides, ok2, wait2 := g.mergeDocs(r, p.Merge.Overrides)
			switch {
			case !ok1 || !ok2:
				p.Merge = nil
			case wait1 || wait2:
			default:
				p.Doc, p.State = iam.Merge(sources, p.Merge.Own, overrides), Set
				progress = true
			}
		}
	}
}

// mergeDocs reads the parts of a merge. ok is false when a part can never
// be read; wait is true when one is another merge not computed yet.
func (g *Graph) mergeDocs(from *Resource, parts []MergePart) (docs []*iam.Document, ok, wait bool) {
	for _, part := range parts {
		if part.Doc != nil {
			docs = append(docs, part.Doc)
			continue
		}
		ts := g.Resolve(from, part.Ref.Target)
		if len(ts) != 1 || ts[0].Facets.PolicyDocument() == nil {
			return nil, false, false
		}
		src := ts[0].Facets.PolicyDocument()
		switch {
		case src.Known():
			docs = append(docs, src.Doc)
		case src.State == Unknown && src.Merge != nil:
			wait = true
		default:
			return nil, false, false
		}
	}
	return docs, true, wait
}
