package iam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Tri is a three-valued answer: a question about a document whose parts
// are unknown may have no answer yet.
type Tri uint8

const (
	// No: the document does not do it.
	No Tri = iota
	// Yes: the document does it.
	Yes
	// Maybe: an unknown part decides it.
	Maybe
)

// String names the answer: "no", "yes" or "maybe".
func (t Tri) String() string {
	switch t {
	case Yes:
		return "yes"
	case Maybe:
		return "maybe"
	}
	return "no"
}

// Strings is a string-or-list field of a statement, normalized to a list.
type Strings struct {
	// Values are the known elements, in the order written.
	Values []string
	// Unknown: some elements (or the whole field) cannot be known.
	Unknown bool
	// Present: the field is written.
	Present bool
}

// Any reports whether some known element satisfies f.
func (s Strings) Any(f func(string) bool) bool {
	for _, v := range s.Values {
		if f(v) {
			return true
		}
	}
	return false
}

// Principal is a Principal or NotPrincipal element.
type Principal struct {
	// Wildcard is the bare "*" form: everyone, authenticated or not.
	Wildcard bool
	// AWS are account IDs, account root ARNs, role, user and session ARNs
	// (or "*").
	AWS Strings
	// Service are service principals ("lambda.amazonaws.com").
	Service Strings
	// Federated are identity providers: OIDC provider ARNs or host names,
	// SAML provider ARNs, "cognito-identity.amazonaws.com".
	Federated Strings
	// CanonicalUser are S3 canonical user IDs.
	CanonicalUser Strings
	// Unknown: the principal, or one of its kinds, cannot be known.
	Unknown bool
}

// Public reports whether the principal is anyone: "*" or {"AWS": "*"}.
func (p *Principal) Public() bool {
	if p == nil {
		return false
	}
	return p.Wildcard || p.AWS.Any(func(s string) bool { return s == "*" })
}

// Condition is one key of one condition operator.
type Condition struct {
	// Operator as written ("StringEquals", "ForAnyValue:StringLike",
	// "StringEqualsIfExists").
	Operator string
	// Key as written ("aws:PrincipalOrgID", "token.actions.githubusercontent.com:sub").
	Key string
	// Values are the known values, numbers and booleans in their JSON
	// spelling.
	Values []string
	// Unknown: some values cannot be known.
	Unknown bool
}

// Statement is one normalized statement.
type Statement struct {
	// Index is the statement's position in the document, from 0.
	Index int
	Sid   string
	// Effect is "Allow" or "Deny" as written (IAM is case-sensitive
	// here); empty when unknown or missing.
	Effect        string
	EffectUnknown bool
	// Principal and NotPrincipal are nil when not written.
	Principal    *Principal
	NotPrincipal *Principal
	Action       Strings
	NotAction    Strings
	Resource     Strings
	NotResource  Strings
	// Conditions are sorted by operator, then key.
	Conditions []Condition
	// ConditionUnknown: the Condition block, or an operator in it, cannot
	// be known.
	ConditionUnknown bool
}

// Document is a normalized policy document.
type Document struct {
	Version    string
	Statements []Statement
	// Unknown: the statement list, or whole statements, cannot be known;
	// Statements holds those that can.
	Unknown bool
}

// Unknown is the placeholder FromAny accepts for a value that cannot be
// known statically.
type Unknown struct{}

// Parse reads a policy document from its JSON text.
func Parse(text string) (*Document, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("policy is not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("policy is not valid JSON: text after the document")
	}
	return FromAny(v)
}

// FromAny reads a policy document from a decoded JSON tree: maps with
// string keys, slices, strings, json.Number, float64, bool, nil, and
// Unknown for parts that cannot be known.
func FromAny(v any) (*Document, error) {
	if _, ok := v.(Unknown); ok {
		return &Document{Unknown: true}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("policy is a %s, not an object", kind(v))
	}
	d := &Document{}
	if s, ok := scalar(m["Version"]); ok {
		d.Version = s
	}
	st, ok := m["Statement"]
	if !ok {
		return nil, errors.New("policy has no Statement")
	}
	var list []any
	switch st := st.(type) {
	case Unknown:
		d.Unknown = true
	case nil:
		// Older provider versions rendered a document without statements
		// with a null list: it grants nothing.
	case []any:
		list = st
	case map[string]any:
		list = []any{st}
	default:
		return nil, fmt.Errorf("Statement is a %s, not a list or an object", kind(st))
	}
	for i, e := range list {
		switch e := e.(type) {
		case Unknown:
			d.Unknown = true
		case map[string]any:
			s, err := statement(e)
			if err != nil {
				return nil, fmt.Errorf("statement %d: %w", i+1, err)
			}
			s.Index = i
			d.Statements = append(d.Statements, s)
		default:
			return nil, fmt.Errorf("statement %d is a %s, not an object", i+1, kind(e))
		}
	}
	return d, nil
}

func statement(m map[string]any) (Statement, error) {
	var s Statement
	s.Sid, _ = scalar(m["Sid"])
	switch e := m["Effect"].(type) {
	case Unknown:
		s.EffectUnknown = true
	case string:
		s.Effect = e
	case nil:
	default:
		return s, fmt.Errorf("Effect is a %s, not a string", kind(e))
	}
	var err error
	if s.Principal, err = principal(m, "Principal"); err != nil {
		return s, err
	}
	if s.NotPrincipal, err = principal(m, "NotPrincipal"); err != nil {
		return s, err
	}
	for name, dst := range map[string]*Strings{
		"Action": &s.Action, "NotAction": &s.NotAction,
		"Resource": &s.Resource, "NotResource": &s.NotResource,
	} {
		v, ok := m[name]
		if !ok {
			continue
		}
		if *dst, err = strs(v); err != nil {
			return s, fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := conditions(&s, m["Condition"]); err != nil {
		return s, err
	}
	return s, nil
}

func principal(m map[string]any, name string) (*Principal, error) {
	v, ok := m[name]
	if !ok {
		return nil, nil
	}
	p := &Principal{}
	switch v := v.(type) {
	case Unknown:
		p.Unknown = true
	case string:
		if v != "*" {
			return nil, fmt.Errorf("%s is the string %q; only \"*\" may be written bare", name, v)
		}
		p.Wildcard = true
	case map[string]any:
		for _, k := range sortedKeys(v) {
			ss, err := strs(v[k])
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", name, k, err)
			}
			switch k {
			case "AWS":
				p.AWS = ss
			case "Service":
				p.Service = ss
			case "Federated":
				p.Federated = ss
			case "CanonicalUser":
				p.CanonicalUser = ss
			default:
				return nil, fmt.Errorf("%s has unknown kind %q", name, k)
			}
			p.Unknown = p.Unknown || ss.Unknown
		}
	default:
		return nil, fmt.Errorf("%s is a %s", name, kind(v))
	}
	return p, nil
}

func conditions(s *Statement, v any) error {
	switch v := v.(type) {
	case nil:
		return nil
	case Unknown:
		s.ConditionUnknown = true
		return nil
	case map[string]any:
		for _, op := range sortedKeys(v) {
			keys, ok := v[op].(map[string]any)
			if !ok {
				if _, unk := v[op].(Unknown); unk {
					s.ConditionUnknown = true
					continue
				}
				return fmt.Errorf("Condition.%s is a %s, not an object", op, kind(v[op]))
			}
			for _, k := range sortedKeys(keys) {
				ss, err := strs(keys[k])
				if err != nil {
					return fmt.Errorf("Condition.%s.%s: %w", op, k, err)
				}
				s.Conditions = append(s.Conditions, Condition{Operator: op, Key: k, Values: ss.Values, Unknown: ss.Unknown})
			}
		}
		return nil
	}
	return fmt.Errorf("Condition is a %s, not an object", kind(v))
}

// strs normalizes a string-or-list field.
func strs(v any) (Strings, error) {
	out := Strings{Present: true}
	switch v := v.(type) {
	case Unknown:
		out.Unknown = true
	case []any:
		for _, e := range v {
			if _, ok := e.(Unknown); ok {
				out.Unknown = true
				continue
			}
			s, ok := scalar(e)
			if !ok {
				return out, fmt.Errorf("element is a %s, not a string", kind(e))
			}
			out.Values = append(out.Values, s)
		}
	default:
		s, ok := scalar(v)
		if !ok {
			return out, fmt.Errorf("a %s, not a string or a list", kind(v))
		}
		out.Values = []string{s}
	}
	return out, nil
}

// scalar renders a JSON scalar as IAM compares it: as a string.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case float64:
		b, _ := json.Marshal(v)
		return string(bytes.TrimSpace(b)), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "list"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case Unknown:
		return "unknown value"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
