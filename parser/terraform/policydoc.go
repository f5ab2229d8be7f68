package terraform

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/zclconf/go-cty/cty"
)

// This file renders data "aws_iam_policy_document" to the JSON the AWS
// provider produces, so that `data.aws_iam_policy_document.x.json` is the
// exact policy AWS would receive. The provider's documented behaviour:
//   - a list of one string is written as a bare string; longer lists of
//     actions, resources, principal identifiers and condition values are
//     sorted in reverse lexical order;
//   - Effect defaults to "Allow", Version to "2012-10-17"; Sid is omitted
//     when empty;
//   - source_policy_documents are merged first, then the statements of the
//     block, then override_policy_documents in order: a statement whose
//     Sid matches an earlier one replaces it, any other is appended;
//   - the document is indented by two spaces, with Go's JSON escaping.

type policyDoc struct {
	Version    string             `json:",omitempty"`
	ID         string             `json:"Id,omitempty"`
	Statements []*policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid           string       `json:",omitempty"`
	Effect        string       `json:",omitempty"`
	Actions       any          `json:"Action,omitempty"`
	NotActions    any          `json:"NotAction,omitempty"`
	Resources     any          `json:"Resource,omitempty"`
	NotResources  any          `json:"NotResource,omitempty"`
	Principals    principalSet `json:"Principal,omitempty"`
	NotPrincipals principalSet `json:"NotPrincipal,omitempty"`
	Conditions    conditionSet `json:"Condition,omitempty"`
}

type principal struct {
	Type        string
	Identifiers any // string or []string
}

type principalSet []principal

// MarshalJSON writes principals by type; a lone "*" of type "*" is the
// bare "*" (anyone), which is what the provider emits for it.
func (ps principalSet) MarshalJSON() ([]byte, error) {
	raw := map[string]any{}
	for _, p := range ps {
		switch ids := p.Identifiers.(type) {
		case []string:
			prev := toStrings(raw[p.Type])
			ids = slices.Clone(ids)
			sort.Sort(sort.Reverse(sort.StringSlice(ids)))
			raw[p.Type] = append(prev, ids...)
		case string:
			if prev, ok := raw[p.Type]; ok {
				raw[p.Type] = append(toStrings(prev), ids)
			} else {
				raw[p.Type] = ids
			}
		}
	}
	if v, ok := raw["*"]; ok && len(raw) == 1 && v == "*" {
		return json.Marshal("*")
	}
	return json.Marshal(raw)
}

func toStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	}
	return nil
}

type condition struct {
	Test, Variable string
	Values         any
}

type conditionSet []condition

// MarshalJSON writes conditions by operator, then key; values of the same
// operator and key are combined.
func (cs conditionSet) MarshalJSON() ([]byte, error) {
	raw := map[string]map[string]any{}
	for _, c := range cs {
		if raw[c.Test] == nil {
			raw[c.Test] = map[string]any{}
		}
		switch v := c.Values.(type) {
		case []string:
			raw[c.Test][c.Variable] = append(toStrings(raw[c.Test][c.Variable]), v...)
		case string:
			if prev, ok := raw[c.Test][c.Variable]; ok {
				raw[c.Test][c.Variable] = append(toStrings(prev), v)
			} else {
				raw[c.Test][c.Variable] = v
			}
		}
	}
	return json.Marshal(raw)
}

// merge adds the statements of next, replacing those with the same Sid.
func (d *policyDoc) merge(next *policyDoc) {
	if next.ID != "" {
		d.ID = next.ID
	}
	if next.Version > d.Version {
		d.Version = next.Version
	}
	for _, st := range next.Statements {
		i := -1
		if st.Sid != "" {
			i = slices.IndexFunc(d.Statements, func(x *policyStatement) bool { return x.Sid == st.Sid })
		}
		if i >= 0 {
			d.Statements[i] = st
		} else {
			d.Statements = append(d.Statements, st)
		}
	}
}

// renderPolicyDocument returns the JSON of a policy document data source
// from its evaluated attributes, or an unknown string when any input is
// unknown, with the reason when the input is invalid.
func renderPolicyDocument(attrs cty.Value) (cty.Value, error) {
	if !attrs.IsWhollyKnown() {
		return cty.UnknownVal(cty.String), nil
	}
	merged := &policyDoc{}
	for _, src := range listOf(attrs, "source_policy_documents") {
		doc, err := parsePolicyJSON(src)
		if err != nil {
			return cty.UnknownVal(cty.String), fmt.Errorf("source_policy_documents: %w", err)
		}
		merged.merge(doc)
	}
	doc := &policyDoc{Version: "2012-10-17"}
	if v := stringAttr(attrs, "version"); v != "" {
		doc.Version = v
	}
	doc.ID = stringAttr(attrs, "policy_id")
	sids := map[string]bool{}
	for _, st := range blocksOf(attrs, "statement") {
		ps := &policyStatement{Sid: stringAttr(st, "sid"), Effect: stringAttr(st, "effect")}
		if ps.Effect == "" {
			ps.Effect = "Allow"
		}
		if ps.Sid != "" {
			if sids[ps.Sid] {
				return cty.UnknownVal(cty.String), fmt.Errorf("duplicate sid %q", ps.Sid)
			}
			sids[ps.Sid] = true
		}
		ps.Actions = decodeList(listOf(st, "actions"))
		ps.NotActions = decodeList(listOf(st, "not_actions"))
		ps.Resources = decodeList(listOf(st, "resources"))
		ps.NotResources = decodeList(listOf(st, "not_resources"))
		ps.Principals = principalsOf(st, "principals")
		ps.NotPrincipals = principalsOf(st, "not_principals")
		for _, c := range blocksOf(st, "condition") {
			ps.Conditions = append(ps.Conditions, condition{
				Test: stringAttr(c, "test"), Variable: stringAttr(c, "variable"),
				Values: decodeList(listOf(c, "values"))})
		}
		doc.Statements = append(doc.Statements, ps)
	}
	merged.merge(doc)
	for _, src := range listOf(attrs, "override_policy_documents") {
		over, err := parsePolicyJSON(src)
		if err != nil {
			return cty.UnknownVal(cty.String), fmt.Errorf("override_policy_documents: %w", err)
		}
		merged.merge(over)
	}
	// The provider writes a document without statements with an empty
	// list, never null.
	if merged.Statements == nil {
		merged.Statements = []*policyStatement{}
	}
	// MarshalIndent, like the provider: <, > and & are escaped as
	// \u003c, \u003e and \u0026, which is the same JSON to AWS.
	js, err := json.MarshalIndent(merged, "", "  ")
	if err != nil {
		return cty.UnknownVal(cty.String), err
	}
	return cty.StringVal(string(js)), nil
}

// decodeList is the provider's rendering of a string list: nothing when
// empty, a bare string for one, reverse-sorted otherwise.
func decodeList(l []string) any {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	out := slices.Clone(l)
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

func principalsOf(st cty.Value, name string) principalSet {
	var out principalSet
	for _, p := range blocksOf(st, name) {
		ids := listOf(p, "identifiers")
		var v any = ids
		if len(ids) == 1 {
			v = ids[0]
		}
		out = append(out, principal{Type: stringAttr(p, "type"), Identifiers: v})
	}
	return out
}

// parsePolicyJSON reads a policy document as the provider does, keeping
// strings as strings and lists as lists.
func parsePolicyJSON(src string) (*policyDoc, error) {
	var raw struct {
		Version   string
		ID        string `json:"Id"`
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(src), &raw); err != nil {
		return nil, err
	}
	doc := &policyDoc{Version: raw.Version, ID: raw.ID}
	var stmts []map[string]json.RawMessage
	if len(raw.Statement) > 0 && raw.Statement[0] == '{' {
		var one map[string]json.RawMessage
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			return nil, err
		}
		stmts = append(stmts, one)
	} else if len(raw.Statement) > 0 {
		if err := json.Unmarshal(raw.Statement, &stmts); err != nil {
			return nil, err
		}
	}
	for _, m := range stmts {
		st := &policyStatement{}
		var err error
		str := func(k string) string {
			var s string
			if v, ok := m[k]; ok && err == nil {
				err = json.Unmarshal(v, &s)
			}
			return s
		}
		st.Sid, st.Effect = str("Sid"), str("Effect")
		st.Actions, err = stringOrList(m["Action"], err)
		st.NotActions, err = stringOrList(m["NotAction"], err)
		st.Resources, err = stringOrList(m["Resource"], err)
		st.NotResources, err = stringOrList(m["NotResource"], err)
		st.Principals, err = principalJSON(m["Principal"], err)
		st.NotPrincipals, err = principalJSON(m["NotPrincipal"], err)
		st.Conditions, err = conditionJSON(m["Condition"], err)
		if err != nil {
			return nil, err
		}
		doc.Statements = append(doc.Statements, st)
	}
	return doc, nil
}

func stringOrList(raw json.RawMessage, err error) (any, error) {
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, fmt.Errorf("expected a string or a list of strings: %s", raw)
	}
	return l, nil
}

func principalJSON(raw json.RawMessage, err error) (principalSet, error) {
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return principalSet{{Type: "*", Identifiers: s}}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("invalid Principal: %s", raw)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out principalSet
	for _, k := range keys {
		ids, err := stringOrList(m[k], nil)
		if err != nil {
			return nil, err
		}
		out = append(out, principal{Type: k, Identifiers: ids})
	}
	return out, nil
}

func conditionJSON(raw json.RawMessage, err error) (conditionSet, error) {
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	var m map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("invalid Condition: %s", raw)
	}
	var out conditionSet
	for _, test := range sortedKeys(m) {
		for _, variable := range sortedKeys(m[test]) {
			v, err := stringOrList(m[test][variable], nil)
			if err != nil {
				return nil, err
			}
			out = append(out, condition{Test: test, Variable: variable, Values: v})
		}
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// stringAttr reads a known string attribute of an object, "" otherwise.
func stringAttr(obj cty.Value, name string) string {
	if obj.IsNull() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return ""
	}
	v := obj.GetAttr(name)
	if v.IsNull() || !v.IsKnown() {
		return ""
	}
	if v.Type() == cty.Bool || v.Type() == cty.Number {
		v, _ = convertToString(v)
	}
	if v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

func convertToString(v cty.Value) (cty.Value, error) {
	if v.Type() == cty.Bool {
		if v.True() {
			return cty.StringVal("true"), nil
		}
		return cty.StringVal("false"), nil
	}
	return cty.StringVal(v.AsBigFloat().Text('f', -1)), nil
}

// listOf reads a list, set or tuple of strings (numbers and bools written
// as strings, as the provider's schema converts them).
func listOf(obj cty.Value, name string) []string {
	if obj.IsNull() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return nil
	}
	v := obj.GetAttr(name)
	if v.IsNull() || !v.CanIterateElements() {
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			continue
		}
		if e.Type() != cty.String {
			var err error
			if e.Type() != cty.Bool && e.Type() != cty.Number {
				continue
			}
			if e, err = convertToString(e); err != nil {
				continue
			}
		}
		out = append(out, e.AsString())
	}
	if v.Type().IsSetType() {
		slices.Sort(out)
	}
	return out
}

// blocksOf reads nested blocks, which the loader stores as a tuple of
// objects (or a JSON-syntax object for a single block).
func blocksOf(obj cty.Value, name string) []cty.Value {
	if obj.IsNull() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return nil
	}
	v := obj.GetAttr(name)
	if v.IsNull() {
		return nil
	}
	if v.Type().IsObjectType() {
		return []cty.Value{v}
	}
	if !v.CanIterateElements() {
		return nil
	}
	var out []cty.Value
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if !e.IsNull() && e.Type().IsObjectType() {
			out = append(out, e)
		}
	}
	return out
}
