package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/strider-sec/strider/graph"
)

// normalize returns src as UTF-8 without byte order mark. PowerShell's
// `terraform show -json > plan.json` writes UTF-16 with a BOM, and some
// editors add a UTF-8 BOM; neither is valid JSON as is, and both are
// common enough that refusing them would only confuse users.
func normalize(src []byte) []byte {
	switch {
	case bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF}):
		return src[3:]
	case len(src) >= 2 && src[0] == 0xFF && src[1] == 0xFE:
		return fromUTF16(src[2:], false)
	case len(src) >= 2 && src[0] == 0xFE && src[1] == 0xFF:
		return fromUTF16(src[2:], true)
	}
	return src
}

func fromUTF16(b []byte, bigEndian bool) []byte {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// pending is a diagnostic whose place is known only after the position
// scan: the top-level member it concerns.
type pending struct {
	diag   graph.Diagnostic
	member string
}

// fatalError is a problem that leaves nothing to read: the input is not
// JSON, or not a JSON object. offset is where it was found.
type fatalError struct {
	summary string
	offset  int64
	err     error
}

func (e *fatalError) Error() string { return e.err.Error() }

func syntaxError(err error) (*fatalError, bool) {
	se, ok := errors.AsType[*json.SyntaxError](err)
	if !ok {
		return nil, false
	}
	return &fatalError{summary: "invalid JSON", offset: se.Offset, err: err}, true
}

// decode reads the plan with terraform-json. The error, if any, is a
// *fatalError. tfjson.Plan refuses format
// versions outside the range it knows, and one malformed section fails the
// whole document; a scanner should still read what it can, so those cases
// fall back to decoding the sections Strider needs one by one into the
// same tfjson types. Only a syntax error is fatal.
func decode(src []byte) (*tfjson.Plan, []pending, error) {
	var diags []pending
	fv, found := topLevelString(src, "format_version")
	switch {
	case !found:
		diags = append(diags, pending{member: "format_version", diag: graph.Diagnostic{
			Severity: graph.Error,
			Summary:  "not a Terraform plan: format_version is missing",
			Detail:   "expected the output of `terraform show -json PLANFILE`; reading it anyway",
		}})
	case (&tfjson.Plan{FormatVersion: fv}).Validate() != nil:
		diags = append(diags, pending{member: "format_version", diag: graph.Diagnostic{
			Severity: graph.Warning,
			Summary:  fmt.Sprintf("unsupported plan format_version %q", fv),
			Detail:   "Strider reads plan format 1.x; it reads this plan as if it were 1.x, and may miss or misread parts of it",
		}})
	default:
		p := new(tfjson.Plan)
		p.UseJSONNumber(true)
		err := json.Unmarshal(src, p)
		if err == nil {
			return p, diags, nil
		}
		if fe, ok := syntaxError(err); ok {
			return nil, nil, fe
		}
		// A section has an unexpected shape; read the others.
	}
	p, more, err := decodeSections(src)
	if err != nil {
		return nil, nil, err
	}
	return p, append(diags, more...), nil
}

// decodeSections is the lenient decode: each section that Strider reads
// is decoded on its own, so a malformed one costs only itself.
func decodeSections(src []byte) (*tfjson.Plan, []pending, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(src, &top); err != nil {
		if fe, ok := syntaxError(err); ok {
			return nil, nil, fe
		}
		return nil, nil, &fatalError{summary: "not a Terraform plan", err: errors.New("the document is not a JSON object")}
	}
	p := &tfjson.Plan{}
	var diags []pending
	bad := func(member string, err error) {
		diags = append(diags, pending{member: member, diag: graph.Diagnostic{
			Severity: graph.Error,
			Summary:  "cannot read " + member,
			Detail:   err.Error(),
		}})
	}
	_ = json.Unmarshal(top["format_version"], &p.FormatVersion)
	_ = json.Unmarshal(top["terraform_version"], &p.TerraformVersion)
	if raw, ok := top["planned_values"]; ok {
		// Outputs are not needed and carry cty types that may not
		// decode, so only the module tree is read.
		var pv struct {
			RootModule *tfjson.StateModule `json:"root_module"`
		}
		if err := decodeNumbers(raw, &pv); err != nil {
			bad("planned_values", err)
		} else {
			p.PlannedValues = &tfjson.StateValues{RootModule: pv.RootModule}
		}
	}
	if raw, ok := top["resource_changes"]; ok {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			bad("resource_changes", err)
		}
		var failed int
		var first error
		for _, el := range list {
			var rc tfjson.ResourceChange
			if err := decodeNumbers(el, &rc); err != nil {
				if failed == 0 {
					first = err
				}
				failed++
				continue
			}
			p.ResourceChanges = append(p.ResourceChanges, &rc)
		}
		if failed > 0 {
			bad("resource_changes", fmt.Errorf("%d of %d entries skipped; the first: %w", failed, len(list), first))
		}
	}
	if raw, ok := top["configuration"]; ok {
		var c tfjson.Config
		if err := json.Unmarshal(raw, &c); err != nil {
			bad("configuration", fmt.Errorf("%w; references are not resolved and computed values stay unknown", err))
		} else {
			p.Config = &c
		}
	}
	return p, diags, nil
}

// decodeNumbers decodes keeping numbers as json.Number, so that large
// integers and exact decimals survive into cty unchanged.
func decodeNumbers(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(v)
}

// skipValue consumes one JSON value without building it.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

// topLevelMembers walks the members of the top-level object, calling fn
// with each key until fn returns false. fn may consume the member's value
// only when it returns false. It reports whether src starts as an object.
// It stops quietly at the first syntax error: callers only want to know
// what is there before it.
func topLevelMembers(src []byte, fn func(key string, dec *json.Decoder) bool) bool {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return true
		}
		key, _ := tok.(string)
		if !fn(key, dec) {
			return true
		}
		if err := dec.Decode(&skipValue{}); err != nil {
			return true
		}
	}
	return true
}

// topLevelString returns the value of a top-level member. Terraform writes
// format_version first, so this reads only the head of a plan.
func topLevelString(src []byte, member string) (string, bool) {
	var val string
	var found bool
	topLevelMembers(src, func(key string, dec *json.Decoder) bool {
		if key != member {
			return true
		}
		var raw json.RawMessage
		if dec.Decode(&raw) == nil {
			found = true
			if json.Unmarshal(raw, &val) != nil {
				val = string(raw)
			}
		}
		return false
	})
	return val, found
}
