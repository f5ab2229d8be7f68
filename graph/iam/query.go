package iam

import (
	"strings"
)

// Allows reports whether the statement's effect is Allow.
func (s *Statement) Allows() bool { return s.Effect == "Allow" }

// CoversAction says whether the statement's Action (or NotAction) applies
// to action.
func (s *Statement) CoversAction(action string) Tri {
	switch {
	case s.Action.Present:
		if s.Action.Any(func(p string) bool { return MatchAction(p, action) }) {
			return Yes
		}
		if s.Action.Unknown {
			return Maybe
		}
		return No
	case s.NotAction.Present:
		if s.NotAction.Any(func(p string) bool { return MatchAction(p, action) }) {
			return No
		}
		if s.NotAction.Unknown {
			return Maybe
		}
		return Yes
	}
	return No
}

// AllActions says whether the statement applies to every action: Action
// "*" (or "*:*"), or a NotAction (which applies to all but a few).
func (s *Statement) AllActions() Tri {
	if s.Action.Present {
		if s.Action.Any(func(p string) bool { return IsWildcard(p) || p == "*:*" }) {
			return Yes
		}
		if s.Action.Unknown {
			return Maybe
		}
		return No
	}
	return No
}

// AllResources says whether the statement applies to every resource:
// Resource "*", or a NotResource.
func (s *Statement) AllResources() Tri {
	switch {
	case s.Resource.Present:
		if s.Resource.Any(IsWildcard) {
			return Yes
		}
		if s.Resource.Unknown {
			return Maybe
		}
		return No
	case s.NotResource.Present:
		return Yes
	}
	return No
}

// Condition returns the conditions on key (case-insensitive, as IAM
// compares condition keys), under any operator.
func (s *Statement) Condition(key string) []Condition {
	var out []Condition
	for _, c := range s.Conditions {
		if strings.EqualFold(c.Key, key) {
			out = append(out, c)
		}
	}
	return out
}

// HasCondition reports whether some condition tests key.
func (s *Statement) HasCondition(key string) bool { return len(s.Condition(key)) > 0 }

// Restricting is the list of condition keys that narrow who may use a
// grant to a known set: an organization, an account, a source resource,
// an external ID, a VPC or endpoint, a network range, or an OIDC subject.
var Restricting = []string{
	"aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn",
	"aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner",
	"aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp", "aws:VpceOrgID", "aws:userid", "aws:username",
	"sts:ExternalId", "kms:CallerAccount", "kms:ViaService", "s3:DataAccessPointAccount",
	"elasticfilesystem:AccessPointArn", "elasticfilesystem:AccessedViaMountTarget",
	"lambda:FunctionUrlAuthType", "aws:ResourceOrgID",
}

// RestrictingConditions returns the conditions of s that narrow who may
// use it (see Restricting), in the statement's order. OIDC subject keys
// ("…:sub") count as well.
func (s *Statement) RestrictingConditions() []Condition {
	var out []Condition
	for _, c := range s.Conditions {
		for _, k := range Restricting {
			if strings.EqualFold(c.Key, k) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// Negated reports whether a condition operator matches when the value is
// different (StringNotEquals, ArnNotLike, …): such a condition excludes a
// few callers and admits the rest.
func (c Condition) Negated() bool { return strings.Contains(c.Operator, "Not") }

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// OwnAccountARN reports whether an IAM or STS ARN leaves its account
// empty: the form a template's ${AWS::AccountId} takes in the graph, the
// account the document is deployed to.
func OwnAccountARN(v string) bool {
	parts, ok := ARNFields(v)
	return ok && parts[0] == "arn" && (parts[2] == "iam" || parts[2] == "sts") && parts[4] == "" && parts[5] != ""
}

// AccountOf returns the AWS account ID an AWS principal names: a bare
// account ID or the account field of an IAM or STS ARN. It returns ""
// for "*", service principals and anything else.
func AccountOf(principal string) string {
	if IsAccountID(principal) {
		return principal
	}
	parts, ok := ARNFields(principal)
	if ok && parts[0] == "arn" && (parts[2] == "iam" || parts[2] == "sts") && IsAccountID(parts[4]) {
		return parts[4]
	}
	return ""
}
