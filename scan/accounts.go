package scan

import (
	"crypto/sha256"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
)

// AccountConvention attributes the resources of the files under a path to
// an AWS account: the directory layout a landing-zone repository follows
// (accounts/prod/** is the prod account) when its providers do not name
// the account themselves.
type AccountConvention struct {
	// Path is a glob relative to BaseDir, slash-separated: "*" matches
	// within a directory, "**" across directories. A pattern matches a
	// file or any directory above it.
	Path string
	// Account is the 12-digit account ID.
	Account string
	// Name is how reports name the account; optional.
	Name string
}

// Validate reports a convention that cannot be applied.
func (c AccountConvention) Validate() error {
	if strings.TrimSpace(c.Path) == "" {
		return fmt.Errorf("account convention for %q has no path", c.Account)
	}
	if iam.AccountOf(c.Account) != c.Account {
		return fmt.Errorf("account convention for %s: %q is not a 12-digit account ID", c.Path, c.Account)
	}
	return nil
}

// matches reports whether the root (a module directory or a file,
// relative to BaseDir) lies under the convention's path.
func (c AccountConvention) matches(re *regexp.Regexp, file string) bool {
	for f := file; f != "" && f != "."; f = path.Dir(f) {
		if re.MatchString(f) {
			return true
		}
		if !strings.Contains(f, "/") {
			break
		}
	}
	return false
}

// attributeAccounts gives every resource whose provider does not say
// which account it lives in the account its location or its deployment
// says. It runs before the graph is built, so every pass and rule sees
// Resource.Account; a provider's own account (assume_role,
// allowed_account_ids) always wins over a convention.
//
// In order: the resource's own ARN (a plan knows it for what exists
// already), the directory conventions, then the StackSets of the tree
// that deploy a template found in the tree into exactly one account.
func attributeAccounts(rs []*graph.Resource, convs []AccountConvention, templates map[[32]byte]string) {
	res := make([]*regexp.Regexp, len(convs))
	for i, c := range convs {
		res[i] = globPath(strings.TrimSuffix(c.Path, "/"))
	}
	for _, r := range rs {
		if r.Account.State == graph.Set || r.Addr.Mode != graph.Managed {
			continue
		}
		if arn := r.StringAttr("arn"); arn.State == graph.Set {
			if id := arnAccount(arn.V); id != "" {
				r.Account = graph.Known(id, arn.Range)
				continue
			}
		}
		// The root decides, not the file: a module shared by several
		// roots lives in the account of the root that calls it.
		for i, c := range convs {
			if c.matches(res[i], r.Addr.Stack) {
				r.Account = graph.Known(c.Account, graph.Range{Filename: r.Range.Filename})
				break
			}
		}
	}
	for stack, acct := range stackSetAccounts(rs, templates) {
		for _, r := range rs {
			if r.Addr.Stack == stack && r.Account.State != graph.Set {
				r.Account = acct
			}
		}
	}
}

// nameOrgAccounts gives the member accounts the code creates the IDs the
// configuration declares for their names. Without it the account that
// aws_organizations_account creates and the account that a provider
// assumes into are two accounts to every pass, though they are one.
func nameOrgAccounts(rs []*graph.Resource, ids map[string]string) {
	if len(ids) == 0 {
		return
	}
	for _, r := range rs {
		n := r.Facets.OrgNode()
		if n == nil || n.Kind != graph.OrgAccount || n.ID.State == graph.Set || n.Name.State != graph.Set {
			continue
		}
		if id, ok := ids[n.Name.V]; ok {
			n.ID = graph.Known(id, n.Name.Range)
		}
	}
}

// stackSetAccounts maps the stack (template file) a StackSet of the tree
// deploys to the one account it deploys into, when the StackSet's
// template is a file of the tree (Terraform's template_body =
// file(...), compared by content) and its instances name exactly one
// account. A template deployed to several accounts, or to OUs, keeps
// resources whose account is not one value.
func stackSetAccounts(rs []*graph.Resource, templates map[[32]byte]string) map[string]graph.Value[string] {
	out := map[string]graph.Value[string]{}
	if len(templates) == 0 {
		return out
	}
	type target struct {
		stack    string
		accounts []graph.Value[string]
		other    bool // OUs, unknown values
	}
	sets := map[string]*target{} // stack set resource key → target
	byScope := map[string]map[string]*target{}
	for _, r := range rs {
		if r.Addr.Type != "aws_cloudformation_stack_set" {
			continue
		}
		body := r.StringAttr("template_body")
		if body.State != graph.Set {
			continue
		}
		stack, ok := templates[sha256.Sum256([]byte(body.V))]
		if !ok {
			continue
		}
		t := &target{stack: stack}
		sets[r.Addr.Key()] = t
		if byScope[r.Addr.Scope()] == nil {
			byScope[r.Addr.Scope()] = map[string]*target{}
		}
		byScope[r.Addr.Scope()][r.Addr.ConfigAddr()] = t
		if n := r.StringAttr("name"); n.State == graph.Set {
			byScope[r.Addr.Scope()]["name:"+n.V] = t
		}
	}
	for _, r := range rs {
		if r.Addr.Type != "aws_cloudformation_stack_set_instance" {
			continue
		}
		scope := byScope[r.Addr.Scope()]
		var t *target
		for _, ref := range r.Refs {
			if ref.Attr == "stack_set_name" {
				t = scope[strings.TrimSuffix(ref.Target, "[0]")]
			}
		}
		if n := r.StringAttr("stack_set_name"); t == nil && n.State == graph.Set {
			t = scope["name:"+n.V]
		}
		if t == nil {
			continue
		}
		if a := r.StringAttr("account_id"); a.State != graph.Absent {
			t.accounts = append(t.accounts, a)
		}
		if r.HasAttr("deployment_targets") {
			if n, known := r.ListLen("deployment_targets"); !known || n > 0 {
				t.other = true
			}
		}
	}
	for _, t := range sets {
		if t.other || len(t.accounts) == 0 {
			continue
		}
		first := t.accounts[0]
		same := first.State == graph.Set && !slices.ContainsFunc(t.accounts, func(v graph.Value[string]) bool {
			return v.State != graph.Set || v.V != first.V
		})
		if !same {
			continue
		}
		if prev, dup := out[t.stack]; dup && prev.V != first.V {
			// Two StackSets deploy the template into different accounts.
			out[t.stack] = graph.Value[string]{State: graph.Unknown, Range: first.Range}
			continue
		}
		out[t.stack] = first
	}
	for k, v := range out {
		if v.State != graph.Set {
			delete(out, k)
		}
	}
	return out
}

// globPath compiles a path glob: "*" stays within a directory, "**"
// crosses directories, and a trailing "/**" matches the directory itself
// too (accounts/prod/** covers the root module accounts/prod).
func globPath(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	tail := ""
	if g, ok := strings.CutSuffix(glob, "/**"); ok {
		glob, tail = g, "(?:/.*)?"
	}
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; {
		case strings.HasPrefix(glob[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(tail + "$")
	return regexp.MustCompile(b.String())
}

// arnAccount is the account field of an ARN
// (arn:partition:service:region:account:resource), when it is an account
// ID; S3 bucket ARNs, for one, have none.
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && iam.AccountOf(parts[4]) == parts[4] {
		return parts[4]
	}
	return ""
}
