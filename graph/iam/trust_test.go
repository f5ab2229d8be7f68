package iam

import (
	"fmt"
	"strings"
	"testing"
)

func TestClassifyTrust(t *testing.T) {
	tests := []struct {
		name, doc, own string
		want           []string
	}{
		{"service", `{"Statement":{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}}`, "111111111111",
			[]string{"service ec2.amazonaws.com", "service lambda.amazonaws.com"}},
		{"same account", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}}`, "111111111111",
			[]string{"account arn:aws:iam::111111111111:root same=yes"}},
		{"other account with external id", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}}`, "111111111111",
			[]string{"account 222222222222 same=no external-id"}},
		{"other account in org", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/ci"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}}`, "",
			[]string{"account arn:aws:iam::222222222222:role/ci same=maybe org-id"}},
		{"negated external id does not count", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"sts:ExternalId":"x"}}}}`, "111111111111",
			[]string{"account 222222222222 same=no narrowed"}},
		{"deploying account, known", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam:::root"},"Action":"sts:AssumeRole"}}`, "111111111111",
			[]string{"account arn:aws:iam:::root same=yes"}},
		{"deploying account, unknown", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam:::root"},"Action":"sts:AssumeRole"}}`, "",
			[]string{"account arn:aws:iam:::root same=yes"}},
		{"any principal", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}}`, "",
			[]string{"any-principal *"}},
		{"any AWS principal", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}}`, "",
			[]string{"any-principal *"}},
		{"github oidc", `{"Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity",
			"Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/app:*"}}}}`, "",
			[]string{"oidc token.actions.githubusercontent.com account=111111111111 sub=1 aud=1 narrowed"}},
		{"oidc without conditions", `{"Statement":{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}}`, "",
			[]string{"oidc cognito-identity.amazonaws.com"}},
		{"saml", `{"Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:saml-provider/okta"},"Action":"sts:AssumeRoleWithSAML"}}`, "",
			[]string{"saml okta account=111111111111"}},
		{"deny and other actions ignored", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}]}`, "",
			nil},
		{"unknown principal", `{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"x"}}}`, "",
			[]string{"account x same=maybe"}},
		{"not principal", `{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"222222222222"},"Action":"sts:*"}}`, "",
			[]string{"any-principal *"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tr := range ClassifyTrust(d, tt.own) {
				got = append(got, describe(tr))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestClassifyTrustUnknownPrincipal(t *testing.T) {
	d, err := FromAny(map[string]any{"Statement": []any{map[string]any{
		"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"AWS": Unknown{}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	got := ClassifyTrust(d, "")
	if len(got) != 1 || got[0].Kind != TrustUnknown {
		t.Errorf("got %+v, want one unknown trustee", got)
	}
	d, err = FromAny(map[string]any{"Statement": []any{map[string]any{
		"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": map[string]any{"Federated": Unknown{}},
		"Condition": map[string]any{"StringLike": map[string]any{"token.actions.githubusercontent.com:sub": "repo:o/r:*", "aws:SourceIp": "10.0.0.0/8"}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	got = ClassifyTrust(d, "")
	if len(got) != 1 || got[0].Kind != TrustUnknown || len(got[0].Subject) != 1 || len(got[0].Audience) != 0 {
		t.Errorf("unknown provider: got %+v, want its sub claim kept", got)
	}
	if ClassifyTrust(nil, "") != nil {
		t.Error("nil document admits someone")
	}
}

func describe(t Trustee) string {
	s := t.Kind.String()
	switch t.Kind {
	case TrustOIDC, TrustSAML:
		s += " " + t.Provider
		if t.Account != "" {
			s += " account=" + t.Account
		}
		if len(t.Subject) > 0 || len(t.Audience) > 0 {
			s += fmt.Sprintf(" sub=%d aud=%d", len(t.Subject), len(t.Audience))
		}
	default:
		s += " " + t.Principal
	}
	if t.Kind == TrustAccount {
		s += " same=" + t.Same.String()
	}
	switch {
	case t.ExternalID:
		s += " external-id"
	case t.OrgID:
		s += " org-id"
	case t.Narrowed():
		s += " narrowed"
	}
	return s
}
