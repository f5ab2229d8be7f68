package iam

import (
	"slices"
	"strings"
)

// TrustKind says what kind of caller a role's trust policy admits.
type TrustKind uint8

// Kinds of trustee, from the narrowest to the widest.
const (
	// TrustUnknown: the principal cannot be known statically.
	TrustUnknown TrustKind = iota
	// TrustService: an AWS service principal ("lambda.amazonaws.com").
	TrustService
	// TrustAccount: an AWS account, or a user, role or session in it.
	// Trustee.Same says whether it is the role's own account.
	TrustAccount
	// TrustOIDC: web identity federation through an OIDC provider
	// (GitHub Actions, EKS service accounts, Cognito, Google).
	TrustOIDC
	// TrustSAML: federation through a SAML provider.
	TrustSAML
	// TrustAnyPrincipal: "*": any AWS principal in any account, narrowed
	// only by the statement's conditions.
	TrustAnyPrincipal
)

func (k TrustKind) String() string {
	switch k {
	case TrustService:
		return "service"
	case TrustAccount:
		return "account"
	case TrustOIDC:
		return "oidc"
	case TrustSAML:
		return "saml"
	case TrustAnyPrincipal:
		return "any-principal"
	}
	return "unknown"
}

// Trustee is one caller a trust policy admits, with what narrows it.
type Trustee struct {
	Kind TrustKind
	// Principal is the principal as written: a service, an account ID or
	// ARN, a provider ARN or host, "*"; empty when unknown.
	Principal string
	// Account is the AWS account of an account trustee, or the account
	// that owns an OIDC or SAML provider named by ARN; "" when the
	// principal does not name one.
	Account string
	// Same says whether an account trustee is the role's own account:
	// Maybe when the role's account is unknown.
	Same Tri
	// Provider is the identity provider of a federated trustee: the OIDC
	// host ("token.actions.githubusercontent.com") or the SAML provider
	// name.
	Provider string
	// ExternalID: a non-negated sts:ExternalId condition is required.
	ExternalID bool
	// OrgID: the caller must belong to an organization
	// (aws:PrincipalOrgID or aws:PrincipalOrgPaths).
	OrgID bool
	// Subject and Audience are the conditions on the provider's sub and
	// aud (or amr) claims of an OIDC trustee.
	Subject, Audience []Condition
	// Conditions are the statement's conditions that narrow who may
	// assume (Statement.RestrictingConditions), and for OIDC the claim
	// conditions too.
	Conditions []Condition
	// Statement is the index of the statement that admits it.
	Statement int
	// Actions are the assume actions the statement allows, as written.
	Actions []string
}

// Narrowed reports whether a condition narrows who may assume beyond the
// principal itself.
func (t Trustee) Narrowed() bool { return len(t.Conditions) > 0 }

// assumeActions are the actions a trust policy grants to let a caller
// take the role.
var assumeActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"}

// ClassifyTrust lists who a role's trust policy lets assume the role:
// every principal of every Allow statement that covers an assume action,
// classified. own is the role's own account ID, "" when unknown. A
// statement whose principal cannot be known yields a TrustUnknown
// trustee rather than nothing, so that callers can say "cannot tell".
func ClassifyTrust(d *Document, own string) []Trustee {
	if d == nil {
		return nil
	}
	var out []Trustee
	for i := range d.Statements {
		s := &d.Statements[i]
		if !s.Allows() && !s.EffectUnknown {
			continue
		}
		var actions []string
		for _, a := range assumeActions {
			if s.CoversAction(a) != No {
				actions = append(actions, a)
			}
		}
		if len(actions) == 0 {
			continue
		}
		base := Trustee{Statement: s.Index, Actions: actions, Conditions: s.RestrictingConditions()}
		for _, c := range base.Conditions {
			if c.Negated() {
				continue
			}
			switch strings.ToLower(c.Key) {
			case "sts:externalid":
				base.ExternalID = true
			case "aws:principalorgid", "aws:principalorgpaths":
				base.OrgID = true
			}
		}
		out = append(out, classifyPrincipal(s, base, own)...)
	}
	return out
}

func classifyPrincipal(s *Statement, base Trustee, own string) []Trustee {
	var out []Trustee
	add := func(t Trustee) { out = append(out, t) }
	switch {
	case s.NotPrincipal != nil:
		// Allow with NotPrincipal admits everyone but the few listed.
		t := base
		t.Kind, t.Principal = TrustAnyPrincipal, "*"
		add(t)
		return out
	case s.Principal == nil:
		return out
	case s.Principal.Wildcard:
		t := base
		t.Kind, t.Principal = TrustAnyPrincipal, "*"
		add(t)
		return out
	}
	p := s.Principal
	for _, v := range p.Service.Values {
		t := base
		t.Kind, t.Principal = TrustService, v
		add(t)
	}
	for _, v := range p.AWS.Values {
		t := base
		t.Principal = v
		if v == "*" {
			t.Kind = TrustAnyPrincipal
			add(t)
			continue
		}
		t.Kind = TrustAccount
		t.Account = AccountOf(v)
		if OwnAccountARN(v) {
			// arn:aws:iam:::root, a template's ${AWS::AccountId}: the
			// account the role is deployed to.
			t.Account, t.Same = own, Yes
			add(t)
			continue
		}
		switch {
		case t.Account == "" || own == "":
			t.Same = Maybe
		case t.Account == own:
			t.Same = Yes
		default:
			t.Same = No
		}
		add(t)
	}
	for _, v := range p.Federated.Values {
		t := base
		t.Principal = v
		switch {
		case strings.Contains(v, ":saml-provider/"):
			t.Kind = TrustSAML
			t.Account = AccountOf(v)
			t.Provider = v[strings.Index(v, ":saml-provider/")+len(":saml-provider/"):]
		default:
			t.Kind = TrustOIDC
			t.Provider = v
			if i := strings.Index(v, ":oidc-provider/"); i >= 0 {
				t.Account = AccountOf(v)
				t.Provider = v[i+len(":oidc-provider/"):]
			}
			claims(s, &t)
		}
		add(t)
	}
	if p.Unknown || (len(out) == 0 && len(p.CanonicalUser.Values) == 0) {
		t := base
		t.Kind = TrustUnknown
		if p.Federated.Unknown {
			// A provider known only after apply: its claims are still
			// the keys that end in :sub and :aud.
			claims(s, &t)
		}
		add(t)
	}
	return out
}

// claims records the conditions on an OIDC provider's claims: keys
// "<provider>:sub", "<provider>:aud" (and Cognito's amr, which plays the
// audience's part of saying which identities are meant).
//
// With no provider known, any key ending in one of those claims counts.
func claims(s *Statement, t *Trustee) {
	prefix := strings.ToLower(t.Provider) + ":"
	for _, c := range s.Conditions {
		k := strings.ToLower(c.Key)
		claim := ""
		switch {
		case t.Provider == "":
			if i := strings.LastIndexByte(k, ':'); i > 0 && !strings.HasPrefix(k, "aws:") {
				claim = k[i+1:]
			}
		case strings.HasPrefix(k, prefix):
			claim = strings.TrimPrefix(k, prefix)
		}
		switch claim {
		case "sub":
			t.Subject = append(t.Subject, c)
		case "aud", "amr", "azp":
			t.Audience = append(t.Audience, c)
		default:
			continue
		}
		if !slices.ContainsFunc(t.Conditions, func(x Condition) bool { return x.Key == c.Key && x.Operator == c.Operator }) {
			t.Conditions = append(t.Conditions, c)
		}
	}
}
