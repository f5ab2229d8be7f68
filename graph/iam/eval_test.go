package iam

import "testing"

func mustParse(t *testing.T, text string) *Document {
	t.Helper()
	d, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestEvaluate(t *testing.T) {
	ctx := (&Context{}).Set("aws:username", "alice").Set("iam:PassedToService", "ec2.amazonaws.com").SetAbsent("aws:MultiFactorAuthPresent")
	tests := []struct {
		name, doc, action, resource string
		want                        Decision
	}{
		{"allow", `{"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}}`, "iam:PassRole", "arn:aws:iam::1:role/x", Allow},
		{"case-insensitive action", `{"Statement": {"Effect": "Allow", "Action": "IAM:passrole", "Resource": "*"}}`, "iam:PassRole", "arn:aws:iam::1:role/x", Allow},
		{"implicit deny", `{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}`, "iam:PassRole", "arn:aws:iam::1:role/x", ImplicitDeny},
		{"explicit deny wins", `{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}`, "iam:PassRole", "arn:aws:iam::1:role/x", Deny},
		{"deny elsewhere", `{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "arn:aws:iam::1:role/y"}]}`, "iam:PassRole", "arn:aws:iam::1:role/x", Allow},
		{"notaction", `{"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}`, "iam:PassRole", "*", ImplicitDeny},
		{"notresource", `{"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::1:role/admin*"}}`, "iam:PassRole", "arn:aws:iam::1:role/admin-x", ImplicitDeny},
		{"arn glob ?", `{"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/r?"}}`, "iam:PassRole", "arn:aws:iam::1:role/r1", Allow},
		{"arn case-sensitive", `{"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/R1"}}`, "iam:PassRole", "arn:aws:iam::1:role/r1", ImplicitDeny},
		{"unknown account matches", `{"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/r1"}}`, "iam:PassRole", "arn:aws:iam:::role/r1", Allow},
		{"policy variable", `{"Statement": {"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "arn:aws:iam::*:user/${aws:username}"}}`, "iam:AttachUserPolicy", "arn:aws:iam::1:user/alice", Allow},
		{"policy variable other", `{"Statement": {"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "arn:aws:iam::*:user/${aws:username}"}}`, "iam:AttachUserPolicy", "arn:aws:iam::1:user/bob", ImplicitDeny},
		{"passed to service", `{"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}}`, "iam:PassRole", "*", Allow},
		{"passed to other service", `{"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com"]}}}}`, "iam:PassRole", "*", ImplicitDeny},
		{"passed to service like", `{"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringLike": {"iam:PassedToService": "ec2.*"}}}}`, "iam:PassRole", "*", Allow},
		{"mfa required", `{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}}`, "iam:PassRole", "*", ImplicitDeny},
		{"deny without mfa", `{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}`, "iam:PassRole", "*", Deny},
		{"undecided condition", `{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}}`, "iam:PassRole", "*", Conditional},
		{"undecided deny", `{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}`, "iam:PassRole", "*", Conditional},
		{"negated on missing key holds", `{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:MultiFactorAuthPresent": "true"}}}}`, "iam:PassRole", "*", Allow},
		{"null true on missing key", `{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Null": {"aws:MultiFactorAuthPresent": "true"}}}}`, "iam:PassRole", "*", Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate([]*Document{mustParse(t, tt.doc)}, Request{Action: tt.action, Resource: tt.resource, Context: ctx})
			if got.Decision != tt.want {
				t.Errorf("decision %s (%s), want %s", got.Decision, got.Why, tt.want)
			}
		})
	}
}

func TestEvaluateUnknowns(t *testing.T) {
	d := &Document{Statements: []Statement{{Effect: "Allow", Action: Strings{Values: []string{"iam:PassRole"}, Present: true}, Resource: Strings{Unknown: true, Present: true}}}}
	req := Request{Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/x"}
	if got := Evaluate([]*Document{d}, req).Decision; got != Conditional {
		t.Errorf("unknown resource: %s, want conditional", got)
	}
	req.UnknownResource = func(*Statement) Tri { return Yes }
	if got := Evaluate([]*Document{d}, req).Decision; got != Allow {
		t.Errorf("unknown resource resolved: %s, want allow", got)
	}
	if got := Evaluate([]*Document{{Unknown: true}}, Request{Action: "iam:PassRole", Resource: "*"}).Decision; got != Conditional {
		t.Errorf("unknown document alone: %s, want conditional (its unknown part may allow)", got)
	}
}

func TestManagedTable(t *testing.T) {
	ps := ManagedPolicies()
	if len(ps) < 10 {
		t.Fatalf("only %d managed policies", len(ps))
	}
	for _, p := range ps {
		if len(p.Document.Statements) == 0 {
			t.Errorf("%s has no statements", p.Name)
		}
		if !p.Complete && p.Note == "" {
			t.Errorf("%s is a subset and does not say so", p.Name)
		}
	}
	if LookupManaged("arn:aws-cn:iam::aws:policy/IAMFullAccess") == nil {
		t.Error("partition not ignored")
	}
	if LookupManaged("arn:aws:iam::111122223333:policy/IAMFullAccess") != nil {
		t.Error("a customer policy with an AWS policy's name is not the AWS policy")
	}
	admin := LookupManaged("arn:aws:iam::aws:policy/AdministratorAccess").Document
	pu := LookupManaged("arn:aws:iam::aws:policy/PowerUserAccess").Document
	for _, tc := range []struct {
		doc    *Document
		action string
		want   Decision
	}{
		{admin, "iam:CreateUser", Allow},
		{pu, "iam:CreateUser", ImplicitDeny},
		{pu, "iam:CreateServiceLinkedRole", Allow},
		{pu, "ec2:RunInstances", Allow},
	} {
		if got := Evaluate([]*Document{tc.doc}, Request{Action: tc.action, Resource: "*"}).Decision; got != tc.want {
			t.Errorf("%s: %s, want %s", tc.action, got, tc.want)
		}
	}
}

func TestTechniqueTable(t *testing.T) {
	seen := map[string]bool{}
	for _, tq := range Techniques {
		if seen[tq.ID] {
			t.Errorf("duplicate technique %s", tq.ID)
		}
		seen[tq.ID] = true
		if len(tq.TargetActions) == 0 || len(tq.ATTACK) == 0 || tq.Name == "" {
			t.Errorf("%s is incomplete", tq.ID)
		}
		if (tq.Target == TargetPassRole) != (tq.Service != "") {
			t.Errorf("%s: a PassRole technique names its service, others none", tq.ID)
		}
		if LookupTechnique(tq.ID) == nil {
			t.Errorf("%s not found by ID", tq.ID)
		}
	}
}

func TestMatchARNUnstatedFields(t *testing.T) {
	for _, tc := range []struct {
		pattern, arn string
		want         Tri
	}{
		{"arn:aws:ec2:us-east-1:111122223333:instance/*", "arn:aws:ec2:::instance/\x00", Yes},
		{"arn:aws:ec2:us-east-1:111122223333:instance/i-1", "arn:aws:ec2:::instance/\x00", No},
		{"arn:aws:lambda:*:*:function:job", "arn:aws:lambda::444455556666:function:job", Yes},
		{"arn:aws:lambda:eu-west-1:111122223333:function:job", "arn:aws:lambda::444455556666:function:job", No},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/\x00", Yes},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket/\x00", No},
		// A template's ${AWS::AccountId} and ${AWS::Region}: the deploying ones.
		{"arn:aws:iam:::role/app", "arn:aws:iam::111122223333:role/app", Yes},
		{"arn:aws:iam:::role/app", "arn:aws:iam:::role/app", Yes},
		{"arn:aws:iam:::role/app", "arn:aws:iam::111122223333:role/other", No},
		{"arn:aws:lambda:::function:job", "arn:aws:lambda:eu-west-1:444455556666:function:job", Yes},
	} {
		if got := MatchARN(tc.pattern, tc.arn, nil); got != tc.want {
			t.Errorf("MatchARN(%q, %q) = %s, want %s", tc.pattern, tc.arn, got, tc.want)
		}
	}
}
