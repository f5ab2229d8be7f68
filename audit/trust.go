package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
)

// Kinds of trust source.
const (
	SourceAccount = "account"
	// SourceAny: "*" or {"AWS": "*"}: any principal of any account.
	SourceAny = "any"
	// SourceOIDC and SourceSAML: an identity provider's users.
	SourceOIDC = "oidc"
	SourceSAML = "saml"
)

// Any is the source key of a trust that admits any principal.
const Any = "*"

// TrustEdge says that principals of From may assume Role in To.
type TrustEdge struct {
	// From is an account key, Any, or the identity provider (its ARN or
	// host) for federated trust.
	From     string
	FromKind string
	// Principal is the principal as written.
	Principal string
	// To is the key of the role's account; "" when it cannot be told.
	To string
	// Role is the role's address; RoleName its name when known. For an
	// implicit role, Role is the resource that creates the account.
	Role     string
	RoleName string
	// Conditions constrain the trust, as "Operator key=value,value".
	Conditions []string
	// Guarded says a condition narrows who may assume beyond the
	// account: an external ID, an organization, a principal ARN, an MFA
	// requirement, an OIDC subject.
	Guarded bool
	// Implicit marks a role that exists without being in the code:
	// OrganizationAccountAccessRole, created by Organizations in every
	// account it creates.
	Implicit bool
	Note     string
}

// Reach is what the principals of one account can reach by assuming
// roles, directly or through roles in other accounts.
type Reach struct {
	From string
	// Accounts are the account keys reachable, sorted; each with the
	// first hop that reaches it.
	Accounts []string
	Via      map[string]string
}

// guardKeys are the condition keys that narrow a trust below "any
// principal of the account" (or of any account).
var guardKeys = []string{
	"sts:ExternalId", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn", "aws:PrincipalAccount",
	"aws:SourceIdentity", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:userid",
}

// assumeActions are the ways to assume a role.
var assumeActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"}

func (b *builder) trust() {
	var unknown []string
	for _, r := range b.g.Resources {
		ro := r.Facets.Role()
		if ro == nil || r.Addr.Mode != graph.Managed || ro.Trust == nil {
			continue
		}
		if !ro.Trust.Known() {
			unknown = append(unknown, r.Addr.String())
			continue
		}
		to := b.accountOf(r)
		if to == "" && ro.ARN.State == graph.Set {
			if id := iam.AccountOf(ro.ARN.V); id != "" {
				to = b.keyOfID(id)
			}
		}
		name := ""
		if ro.Name.State == graph.Set {
			name = ro.Name.V
		}
		if ro.Trust.Doc.Unknown {
			unknown = append(unknown, r.Addr.String())
		}
		// Who the trust admits is classified once, by the graph; the
		// audit adds the accounts' names and the conditions as people
		// read them.
		for _, t := range b.g.Trustees(r) {
			s := &ro.Trust.Doc.Statements[t.Statement]
			if s.EffectUnknown || t.Kind == iam.TrustUnknown {
				unknown = append(unknown, r.Addr.String())
				continue
			}
			if !assumes(s) {
				continue
			}
			conds, guarded := describeConditions(s)
			edge := func(from, kind, principal string) {
				b.rep.Trust = append(b.rep.Trust, TrustEdge{From: from, FromKind: kind, Principal: principal,
					To: to, Role: r.Addr.String(), RoleName: name, Conditions: conds, Guarded: guarded})
			}
			switch t.Kind {
			case iam.TrustAnyPrincipal:
				edge(Any, SourceAny, "*")
			case iam.TrustAccount:
				if t.Account == "" {
					continue
				}
				if from := b.keyOfID(t.Account); from != to {
					edge(from, SourceAccount, t.Principal)
				}
			case iam.TrustSAML:
				edge(t.Principal, SourceSAML, t.Principal)
			case iam.TrustOIDC:
				edge(t.Provider, SourceOIDC, t.Principal)
			}
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("the trust policies of %s name principals that cannot be known statically; the trust map leaves those principals out",
			strings.Join(slices.Compact(unknown), ", ")))
	}
	b.implicitAccess()
	slices.SortFunc(b.rep.Trust, func(x, y TrustEdge) int {
		return cmp.Or(cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To), cmp.Compare(x.Role, y.Role), cmp.Compare(x.Principal, y.Principal))
	})
	b.rep.Trust = slices.CompactFunc(b.rep.Trust, func(x, y TrustEdge) bool {
		return x.From == y.From && x.To == y.To && x.Role == y.Role && x.Principal == y.Principal && slices.Equal(x.Conditions, y.Conditions)
	})
	b.reach()
}

// assumes reports whether the statement grants a way to assume the role.
func assumes(s *iam.Statement) bool {
	for _, a := range assumeActions {
		if s.CoversAction(a) == iam.Yes {
			return true
		}
	}
	return false
}

// describeConditions renders a statement's conditions and says whether
// one narrows who may assume.
func describeConditions(s *iam.Statement) ([]string, bool) {
	var out []string
	guarded := false
	for _, c := range s.Conditions {
		vals := strings.Join(c.Values, ",")
		if c.Unknown {
			vals += ",(unknown)"
			vals = strings.TrimPrefix(vals, ",")
		}
		out = append(out, fmt.Sprintf("%s %s=%s", c.Operator, c.Key, vals))
		if c.Negated() {
			continue
		}
		for _, k := range guardKeys {
			if strings.EqualFold(c.Key, k) {
				guarded = true
			}
		}
		if strings.HasSuffix(c.Key, ":sub") {
			guarded = true
		}
	}
	if s.ConditionUnknown {
		out = append(out, "(conditions that cannot be known statically)")
	}
	return out, guarded
}

// implicitAccess adds the role Organizations creates in every account it
// creates: OrganizationAccountAccessRole (or the role_name the code
// sets), trusting the management account with administrator rights.
func (b *builder) implicitAccess() {
	if !b.hasOrg {
		return
	}
	for _, r := range b.g.Resources {
		if r.Addr.Type != "aws_organizations_account" && r.Addr.Type != "AWS::Organizations::Account" || r.Addr.Mode != graph.Managed {
			continue
		}
		role := "OrganizationAccountAccessRole"
		for _, attr := range []string{"role_name", "RoleName"} {
			if v := r.StringAttr(attr); v.State == graph.Set {
				role = v.V
			} else if v.State == graph.Unknown {
				role = "(a role whose name cannot be known statically)"
			}
		}
		to := b.accountKeyOfNode(r)
		b.rep.Trust = append(b.rep.Trust, TrustEdge{From: b.mgmtKey, FromKind: SourceAccount, Principal: "management account",
			To: to, Role: r.Addr.String(), RoleName: role, Implicit: true,
			Note: "created by AWS Organizations with AdministratorAccess when " + r.Addr.String() + " creates the account; not in the scanned code"})
	}
}

// reach computes, for each source, the accounts it reaches through
// chains of trust. A role assumable by any principal is reachable from
// every account.
func (b *builder) reach() {
	next := map[string][]TrustEdge{}
	var sources []string
	for _, e := range b.rep.Trust {
		if e.To == "" {
			continue
		}
		if len(next[e.From]) == 0 {
			sources = append(sources, e.From)
		}
		next[e.From] = append(next[e.From], e)
	}
	slices.Sort(sources)
	for _, src := range sources {
		rc := Reach{From: src, Via: map[string]string{}}
		seen := map[string]bool{src: true}
		queue := []string{src}
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			edges := append(slices.Clone(next[cur]), next[Any]...)
			for _, e := range edges {
				if seen[e.To] {
					continue
				}
				seen[e.To] = true
				via := e.Role
				switch {
				case e.Implicit:
					via = e.RoleName + " (implicit, from " + e.Role + ")"
				case e.RoleName != "":
					via = e.RoleName + " (" + e.Role + ")"
				}
				if cur != src {
					via = rc.Via[cur] + " → " + via
				}
				rc.Via[e.To] = via
				rc.Accounts = append(rc.Accounts, e.To)
				queue = append(queue, e.To)
			}
		}
		slices.Sort(rc.Accounts)
		b.rep.Reach = append(b.rep.Reach, rc)
	}
}
