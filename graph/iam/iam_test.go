package iam

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"*", "iam:PassRole", true},
		{"iam:*", "iam:PassRole", true},
		{"IAM:passrole", "iam:PassRole", true},
		{"iam:Pass*", "iam:PassRole", true},
		{"iam:Pass?ole", "iam:PassRole", true},
		{"iam:Pass?", "iam:PassRole", false},
		{"s3:*", "iam:PassRole", false},
		{"*:*", "iam:PassRole", true},
		{"iam:*Role", "iam:PassRole", true},
		{"iam:*Role", "iam:PassRoles", false},
		{"i*m:P*R*e", "iam:PassRole", true},
		{"", "", true},
		{"", "x", false},
		{"**", "", true},
		{"kms:Decrypt", "kms:Decrypt", true},
		{"kms:Decrypt", "kms:DecryptX", false},
		{"?", "é", true},
	}
	for _, tt := range tests {
		if got := MatchAction(tt.pattern, tt.action); got != tt.want {
			t.Errorf("MatchAction(%q, %q) = %v, want %v", tt.pattern, tt.action, got, tt.want)
		}
	}
}

func TestParseNormalizes(t *testing.T) {
	doc, err := Parse(`{
	  "Version": "2012-10-17",
	  "Statement": {
	    "Sid": "One", "Effect": "Allow",
	    "Principal": {"AWS": "arn:aws:iam::111122223333:root", "Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]},
	    "Action": "sts:AssumeRole",
	    "NotResource": ["arn:aws:s3:::a"],
	    "Condition": {"StringEquals": {"sts:ExternalId": "x", "aws:MultiFactorAuthAge": 3600}, "Bool": {"aws:SecureTransport": false}}
	  }
	}`)
	if err != nil {
		t.Fatal(err)
	}
	want := &Document{
		Version: "2012-10-17",
		Statements: []Statement{{
			Sid: "One", Effect: "Allow",
			Principal: &Principal{
				AWS:     Strings{Values: []string{"arn:aws:iam::111122223333:root"}, Present: true},
				Service: Strings{Values: []string{"ec2.amazonaws.com", "lambda.amazonaws.com"}, Present: true},
			},
			Action:      Strings{Values: []string{"sts:AssumeRole"}, Present: true},
			NotResource: Strings{Values: []string{"arn:aws:s3:::a"}, Present: true},
			Conditions: []Condition{
				{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"false"}},
				{Operator: "StringEquals", Key: "aws:MultiFactorAuthAge", Values: []string{"3600"}},
				{Operator: "StringEquals", Key: "sts:ExternalId", Values: []string{"x"}},
			},
		}},
	}
	if d := cmp.Diff(want, doc); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestParseErrors(t *testing.T) {
	for _, text := range []string{
		``, `[]`, `{}`, `{"Statement": 3}`, `{"Statement": [3]}`,
		`{"Statement": [{"Principal": "arn:aws:iam::111122223333:root"}]}`,
		`{"Statement": [{"Principal": {"Bogus": "x"}}]}`,
		`{"Statement": [{"Action": {"a": 1}}]}`,
		`{"Statement": [{"Condition": {"StringEquals": "x"}}]}`,
		`{"Statement": []} trailing`,
	} {
		if _, err := Parse(text); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", text)
		}
	}
}

func TestFromValueUnknowns(t *testing.T) {
	v := cty.ObjectVal(map[string]cty.Value{
		"Statement": cty.TupleVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{
				"Effect":    cty.StringVal("Allow"),
				"Principal": cty.ObjectVal(map[string]cty.Value{"AWS": cty.UnknownVal(cty.String)}),
				"Action":    cty.TupleVal([]cty.Value{cty.StringVal("s3:GetObject"), cty.UnknownVal(cty.String)}),
				"Resource":  cty.UnknownVal(cty.String),
				"Condition": cty.UnknownVal(cty.DynamicPseudoType),
			}),
			cty.UnknownVal(cty.DynamicPseudoType),
		}),
	})
	doc, err := FromValue(v)
	if err != nil {
		t.Fatal(err)
	}
	if !doc.Unknown || len(doc.Statements) != 1 {
		t.Fatalf("got %+v, want one known statement and an unknown one", doc)
	}
	s := doc.Statements[0]
	if !s.Principal.Unknown || !s.Action.Unknown || !s.Resource.Unknown || !s.ConditionUnknown {
		t.Errorf("unknown parts not marked: %+v", s)
	}
	if got := s.CoversAction("s3:GetObject"); got != Yes {
		t.Errorf("CoversAction(known) = %s, want yes", got)
	}
	if got := s.CoversAction("iam:PassRole"); got != Maybe {
		t.Errorf("CoversAction(other) = %s, want maybe", got)
	}
	if got := s.AllResources(); got != Maybe {
		t.Errorf("AllResources = %s, want maybe", got)
	}

	if doc, err := FromValue(cty.StringVal(`{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`)); err != nil || len(doc.Statements) != 1 {
		t.Errorf("FromValue(JSON string) = %+v, %v", doc, err)
	}
	if doc, err := FromValue(cty.UnknownVal(cty.String)); err != nil || !doc.Unknown {
		t.Errorf("FromValue(unknown) = %+v, %v; want an unknown document", doc, err)
	}
}

func TestStatementQueries(t *testing.T) {
	doc, err := Parse(`{"Statement": [
	  {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
	  {"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": ["arn:aws:iam::111122223333:role/x"]},
	  {"Effect": "Allow", "Action": "*:*", "NotResource": "arn:aws:s3:::a",
	   "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}, "StringLike": {"aws:SourceArn": "arn:*"}}}
	]}`)
	if err != nil {
		t.Fatal(err)
	}
	s := doc.Statements
	tests := []struct {
		name string
		got  Tri
		want Tri
	}{
		{"notaction covers s3", s[0].CoversAction("s3:GetObject"), Yes},
		{"notaction excludes iam", s[0].CoversAction("iam:PassRole"), No},
		{"notaction is not all actions", s[0].AllActions(), No},
		{"notaction on *", s[0].AllResources(), Yes},
		{"passrole covered", s[1].CoversAction("iam:passrole"), Yes},
		{"passrole narrow resource", s[1].AllResources(), No},
		{"*:* all actions", s[2].AllActions(), Yes},
		{"notresource is all resources", s[2].AllResources(), Yes},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	rc := s[2].RestrictingConditions()
	if len(rc) != 2 || !rc[1].Negated() || rc[0].Negated() {
		t.Errorf("RestrictingConditions = %+v", rc)
	}
	if !s[2].HasCondition("AWS:principalorgid") {
		t.Error("HasCondition is not case-insensitive")
	}
}

func TestAccountOf(t *testing.T) {
	for in, want := range map[string]string{
		"111122223333":                           "111122223333",
		"arn:aws:iam::111122223333:root":         "111122223333",
		"arn:aws:iam::111122223333:role/x":       "111122223333",
		"arn:aws-cn:sts::111122223333:assumed/x": "111122223333",
		"*":                                      "",
		"ec2.amazonaws.com":                      "",
		"arn:aws:s3:::bucket":                    "",
		"11112222333":                            "",
	} {
		if got := AccountOf(in); got != want {
			t.Errorf("AccountOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrincipalPublic(t *testing.T) {
	for text, want := range map[string]bool{
		`"*"`:                            true,
		`{"AWS": "*"}`:                   true,
		`{"AWS": ["111122223333", "*"]}`: true,
		`{"AWS": "111122223333"}`:        false,
		`{"Service": "*"}`:               false,
	} {
		doc, err := Parse(`{"Statement": {"Effect": "Allow", "Principal": ` + text + `}}`)
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Statements[0].Principal.Public(); got != want {
			t.Errorf("Public(%s) = %v, want %v", text, got, want)
		}
	}
}

// FuzzParse checks that no input makes Parse or the queries on what it
// accepts panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}`,
		`{"Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": ["1", "2"]}, "Condition": {"Bool": {"a": true}}}]}`,
		`{"Version": 1, "Statement": []}`,
		`[`, `null`, `{"Statement": [null]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := Parse(s)
		if err != nil {
			return
		}
		for _, st := range doc.Statements {
			st.CoversAction("iam:PassRole")
			st.AllActions()
			st.AllResources()
			st.RestrictingConditions()
			st.Principal.Public()
		}
		for _, st := range doc.Statements {
			for _, a := range st.Action.Values {
				MatchAction(a, s)
			}
		}
		ctx := (&Context{}).Set("aws:username", s).SetAbsent("aws:MultiFactorAuthPresent")
		for _, res := range []string{"*", "arn:aws:iam::111122223333:role/" + s, "arn:aws:iam:::user/x"} {
			Evaluate([]*Document{doc}, Request{Action: "iam:PassRole", Resource: res, Context: ctx})
		}
	})
}

func TestMerge(t *testing.T) {
	doc := func(text string) *Document {
		t.Helper()
		d, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	src1 := doc(`{"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject"}, {"Effect": "Allow", "Action": "s3:ListBucket"}]}`)
	src2 := doc(`{"Statement": [{"Sid": "B", "Effect": "Allow", "Action": "sqs:SendMessage"}]}`)
	own := doc(`{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Deny", "Action": "s3:GetObject"}, {"Effect": "Allow", "Action": "sns:Publish"}]}`)
	over := doc(`{"Statement": [{"Sid": "B", "Effect": "Allow", "Action": "*"}, {"Sid": "C", "Effect": "Allow", "Action": "kms:Decrypt"}]}`)
	over.Unknown = true
	got := Merge([]*Document{src1, src2}, own, []*Document{over})
	type row struct {
		Index          int
		Sid, Effect, A string
	}
	var rows []row
	for _, s := range got.Statements {
		rows = append(rows, row{s.Index, s.Sid, s.Effect, s.Action.Values[0]})
	}
	want := []row{
		{0, "A", "Deny", "s3:GetObject"},
		{1, "", "Allow", "s3:ListBucket"},
		{2, "B", "Allow", "*"},
		{3, "", "Allow", "sns:Publish"},
		{4, "C", "Allow", "kms:Decrypt"},
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if got.Version != "2012-10-17" || !got.Unknown {
		t.Errorf("Version %q, Unknown %v", got.Version, got.Unknown)
	}
}

func BenchmarkMatchAction(b *testing.B) {
	for b.Loop() {
		MatchAction("iam:*Pass*Role*", "iam:PassRoleToServiceWithAVeryLongActionName")
		MatchAction("s3:Get*", "iam:PassRole")
	}
}

func BenchmarkParse(b *testing.B) {
	text := `{"Version": "2012-10-17", "Statement": [
	  {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "444455556666"]},
	   "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*",
	   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}},
	  {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
	]}`
	for b.Loop() {
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}
