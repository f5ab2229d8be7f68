package iam

import (
	"net/netip"
	"strings"
)

// Decision is the outcome of evaluating a request against policies.
type Decision uint8

const (
	// ImplicitDeny: no statement allows the request.
	ImplicitDeny Decision = iota
	// Allow: a statement allows it and none denies it.
	Allow
	// Deny: a statement denies it; an explicit deny wins over any allow.
	Deny
	// Conditional: the answer depends on something that cannot be known
	// statically: a condition on a key the request does not decide, or an
	// unknown part of a policy.
	Conditional
)

// String names the decision.
func (d Decision) String() string {
	switch d {
	case Allow:
		return "allow"
	case Deny:
		return "deny"
	case Conditional:
		return "conditional"
	}
	return "implicit-deny"
}

// Context holds the request's condition keys. Keys are compared
// case-insensitively, as IAM does.
type Context struct {
	values map[string][]string
	absent map[string]bool
}

// Set records the values of a key the request carries.
func (c *Context) Set(key string, values ...string) *Context {
	if c.values == nil {
		c.values = map[string][]string{}
	}
	c.values[strings.ToLower(key)] = values
	return c
}

// SetAbsent records that the request does not carry key: a condition on
// it is decided (IfExists and negated operators hold, others fail).
func (c *Context) SetAbsent(key string) *Context {
	if c.absent == nil {
		c.absent = map[string]bool{}
	}
	c.absent[strings.ToLower(key)] = true
	return c
}

// Clone returns a copy that can be changed without changing c.
func (c *Context) Clone() *Context {
	out := &Context{values: make(map[string][]string, len(c.values)+1), absent: make(map[string]bool, len(c.absent))}
	for k, v := range c.values {
		out.values[k] = v
	}
	for k, v := range c.absent {
		out.absent[k] = v
	}
	return out
}

// Get returns the values of key and whether the request decides it.
func (c *Context) Get(key string) (vals []string, present, decided bool) {
	if c == nil {
		return nil, false, false
	}
	k := strings.ToLower(key)
	if v, ok := c.values[k]; ok {
		return v, true, true
	}
	return nil, false, c.absent[k]
}

// Request is one API call to decide: an action on a resource, with the
// condition keys that are known.
type Request struct {
	Action string
	// Resource is the ARN acted on; "*" asks whether some resource is
	// covered, whatever it is.
	Resource string
	Context  *Context
	// UnknownResource decides a statement whose Resource list has
	// elements that cannot be known and none of the known ones matched:
	// nil answers Maybe.
	UnknownResource func(s *Statement) Tri
}

// Match is one statement that applies to a request.
type Match struct {
	// Doc is the index of the statement's document in the evaluated list.
	Doc       int
	Statement *Statement
	// Certain is false when the statement applies only maybe (a
	// condition or a part that cannot be decided).
	Certain bool
}

// Result is the evaluation of a request against a list of documents.
type Result struct {
	Decision Decision
	// Allows are the Allow statements that apply, certain ones first.
	Allows []Match
	// Denies are the Deny statements that apply or may apply.
	Denies []Match
	// Why says, for a Conditional decision, what could not be decided.
	Why string
}

// Evaluate decides req against docs as IAM evaluates one policy type: an
// explicit Deny that applies wins; otherwise an Allow that applies
// allows; otherwise the request is implicitly denied. Statements that may
// apply (undecidable conditions, unknown parts) make the decision
// Conditional where they could change it.
func Evaluate(docs []*Document, req Request) Result {
	var res Result
	maybeAllow, maybeDeny := false, false
	for di, d := range docs {
		if d == nil {
			continue
		}
		if d.Unknown {
			maybeDeny, maybeAllow = true, true
			if res.Why == "" {
				res.Why = "part of a policy cannot be known"
			}
		}
		for i := range d.Statements {
			s := &d.Statements[i]
			t, why := s.Applies(req)
			if t == No {
				continue
			}
			if s.EffectUnknown {
				t = Maybe
				why = "the statement's effect cannot be known"
			}
			m := Match{Doc: di, Statement: s, Certain: t == Yes}
			switch {
			case s.Effect == "Deny" || s.EffectUnknown:
				res.Denies = append(res.Denies, m)
				if t == Maybe {
					maybeDeny = true
					if res.Why == "" {
						res.Why = why
					}
				}
				if s.EffectUnknown {
					maybeAllow = true
				}
			case s.Allows():
				res.Allows = append(res.Allows, m)
				if t == Maybe {
					maybeAllow = true
					if res.Why == "" {
						res.Why = why
					}
				}
			}
		}
	}
	certainDeny, certainAllow := false, false
	for _, m := range res.Denies {
		certainDeny = certainDeny || (m.Certain && m.Statement.Effect == "Deny")
	}
	for _, m := range res.Allows {
		certainAllow = certainAllow || m.Certain
	}
	// Certain allows first, so that evidence names what decides.
	sortMatches(res.Allows)
	switch {
	case certainDeny:
		res.Decision, res.Why = Deny, ""
	case certainAllow && !maybeDeny:
		res.Decision, res.Why = Allow, ""
	case certainAllow || maybeAllow:
		res.Decision = Conditional
	default:
		res.Decision, res.Why = ImplicitDeny, ""
	}
	return res
}

func sortMatches(ms []Match) {
	// Stable partition: certain first, in document order.
	out := make([]Match, 0, len(ms))
	for _, m := range ms {
		if m.Certain {
			out = append(out, m)
		}
	}
	for _, m := range ms {
		if !m.Certain {
			out = append(out, m)
		}
	}
	copy(ms, out)
}

// Applies says whether the statement applies to req, whatever its
// effect: its action, resource and conditions all match. The string says
// why when the answer is Maybe.
func (s *Statement) Applies(req Request) (Tri, string) {
	a := s.CoversAction(req.Action)
	if a == No {
		return No, ""
	}
	r := s.CoversResource(req)
	if r == No {
		return No, ""
	}
	c, why := s.ConditionsHold(req.Context)
	if c == No {
		return No, ""
	}
	switch {
	case a == Maybe:
		return Maybe, "the statement's actions cannot all be known"
	case r == Maybe:
		return Maybe, "the statement's resources cannot all be known"
	case c == Maybe:
		return Maybe, why
	}
	return Yes, ""
}

// CoversResource says whether the statement's Resource (or NotResource)
// covers the request's resource. Resource "*" in the request asks whether
// the statement covers some resource at all.
func (s *Statement) CoversResource(req Request) Tri {
	match := func(p string) Tri {
		if req.Resource == "*" {
			return Yes
		}
		return MatchARN(p, req.Resource, req.Context)
	}
	switch {
	case s.Resource.Present:
		out := No
		for _, p := range s.Resource.Values {
			switch match(p) {
			case Yes:
				return Yes
			case Maybe:
				out = Maybe
			}
		}
		if s.Resource.Unknown {
			if req.Resource == "*" {
				return Yes
			}
			if req.UnknownResource != nil {
				if t := req.UnknownResource(s); t != No {
					return t
				}
				return out
			}
			return Maybe
		}
		return out
	case s.NotResource.Present:
		if req.Resource == "*" {
			return Yes
		}
		out := Yes
		for _, p := range s.NotResource.Values {
			switch MatchARN(p, req.Resource, req.Context) {
			case Yes:
				return No
			case Maybe:
				out = Maybe
			}
		}
		if s.NotResource.Unknown {
			return Maybe
		}
		return out
	}
	// A statement of an identity policy without Resource is invalid;
	// resource policies and trust policies apply to themselves.
	return Yes
}

// MatchARN matches an ARN pattern of a policy against an ARN: * and ?
// wildcards, case-sensitive, with policy variables (${aws:username})
// replaced by the request's values. A variable the request does not
// decide makes the answer Maybe.
func MatchARN(pattern, arn string, ctx *Context) Tri {
	if IsWildcard(pattern) {
		return Yes
	}
	if strings.Contains(pattern, "${") {
		p, ok := substitute(pattern, ctx)
		if !ok {
			return Maybe
		}
		pattern = p
	}
	// An ARN built without its region or account (the code does not
	// tell them) matches whatever region and account the pattern names;
	// so does a pattern written without them (a template's
	// ${AWS::AccountId}: the deploying account) whatever the ARN's are.
	if a, ok := ARNFields(arn); ok {
		if p, ok := ARNFields(pattern); ok && (a[3] == "" || a[4] == "" || p[3] == "" || p[4] == "") {
			if a[3] == "" || p[3] == "" {
				a[3], p[3] = "", ""
			}
			if a[4] == "" || p[4] == "" {
				a[4], p[4] = "", ""
			}
			var pb, ab [256]byte
			if glob(appendARN(pb[:0], p), appendARN(ab[:0], a)) {
				return Yes
			}
			return No
		}
	}
	if Glob(pattern, arn) {
		return Yes
	}
	return No
}

// substitute replaces policy variables with the request's values.
func substitute(p string, ctx *Context) (string, bool) {
	var b strings.Builder
	for {
		i := strings.Index(p, "${")
		if i < 0 {
			b.WriteString(p)
			return b.String(), true
		}
		b.WriteString(p[:i])
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return "", false
		}
		name := p[i+2 : i+j]
		p = p[i+j+1:]
		switch name {
		case "*", "?", "$":
			// Escapes for a literal character; a literal * or ? in an
			// ARN pattern is not a wildcard, which the glob cannot tell
			// apart, so the answer is kept conservative.
			return "", false
		}
		v, present, _ := ctx.Get(name)
		if !present || len(v) != 1 {
			return "", false
		}
		b.WriteString(v[0])
	}
}

// ConditionsHold evaluates the statement's conditions against ctx: Yes
// when all hold, No when one fails, Maybe when one tests a key the
// request does not decide. The string names the undecided key.
func (s *Statement) ConditionsHold(ctx *Context) (Tri, string) {
	if s.ConditionUnknown {
		return Maybe, "the statement's conditions cannot be known"
	}
	out, why := Yes, ""
	for _, c := range s.Conditions {
		switch t := c.Holds(ctx); t {
		case No:
			return No, ""
		case Maybe:
			if out == Yes {
				out, why = Maybe, "it depends on the condition "+c.Operator+" "+c.Key
			}
		}
	}
	return out, why
}

// Holds evaluates one condition against ctx.
func (c Condition) Holds(ctx *Context) Tri {
	if c.Unknown {
		return Maybe
	}
	op := c.Operator
	forAll := false
	if rest, ok := strings.CutPrefix(op, "ForAnyValue:"); ok {
		op = rest
	} else if rest, ok := strings.CutPrefix(op, "ForAllValues:"); ok {
		op, forAll = rest, true
	}
	ifExists := false
	if rest, ok := strings.CutSuffix(op, "IfExists"); ok {
		op, ifExists = rest, true
	}
	vals, present, decided := ctx.Get(c.Key)
	if !decided {
		return Maybe
	}
	if op == "Null" {
		if len(c.Values) != 1 {
			return Maybe
		}
		switch strings.ToLower(c.Values[0]) {
		case "true":
			return tri(!present)
		case "false":
			return tri(present)
		}
		return Maybe
	}
	if !present {
		// IAM: a missing key makes a condition false, except IfExists
		// forms and negated operators, and ForAllValues, which hold.
		return tri(ifExists || c.Negated() || forAll)
	}
	negated := c.Negated()
	base := strings.Replace(op, "Not", "", 1)
	matchOne := func(v string) Tri {
		out := No
		for _, want := range c.Values {
			t := compare(base, want, v)
			if t == Yes {
				return Yes
			}
			if t == Maybe {
				out = Maybe
			}
		}
		return out
	}
	any, all, maybe := false, true, false
	for _, v := range vals {
		switch matchOne(v) {
		case Yes:
			any = true
		case Maybe:
			maybe = true
			all = false
		default:
			all = false
		}
	}
	if maybe {
		return Maybe
	}
	hit := any
	if forAll {
		hit = all
	}
	if negated {
		return tri(!hit)
	}
	return tri(hit)
}

// compare applies one non-negated operator to a policy value and a
// request value.
func compare(op, want, got string) Tri {
	switch op {
	case "StringEquals":
		return tri(want == got)
	case "ArnEquals", "ArnLike":
		return MatchARN(want, got, nil)
	case "StringEqualsIgnoreCase":
		return tri(strings.EqualFold(want, got))
	case "StringLike":
		return tri(Glob(want, got))
	case "Bool":
		return tri(strings.EqualFold(want, got))
	case "IpAddress":
		pfx, err1 := netip.ParsePrefix(want)
		addr, err2 := netip.ParseAddr(got)
		if err1 != nil || err2 != nil {
			return Maybe
		}
		return tri(pfx.Contains(addr))
	}
	return Maybe
}

func tri(b bool) Tri {
	if b {
		return Yes
	}
	return No
}
