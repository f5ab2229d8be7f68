package rules

import (
	"strings"
	"testing"

	"github.com/strider-sec/strider/graph"
)

func TestFindSecret(t *testing.T) {
	tests := []struct {
		name, value string
		want        string // kind, or "" for no finding
	}{
		{"AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "an AWS access key ID"},
		{"", "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", "an AWS access key ID"},
		{"KEY", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "a private key"},
		{"CI", "ghp_" + strings.Repeat("aB3", 12), "a GitHub token"},
		{"DB_PASSWORD", "Zq7!rT9#pL2m", "a secret value"},
		{"", "#!/bin/sh\nDB_PASSWORD='Zq7!rT9#pL2m' ./start\n", "a secret value assigned to DB_PASSWORD"},
		// References, placeholders, flags and ordinary settings are not.
		{"DB_PASSWORD_ARN", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf", ""},
		{"DB_PASSWORD", "{{resolve:secretsmanager:db:SecretString:password}}", ""},
		{"API_TOKEN", "changeme-please", ""},
		{"TOKEN_TTL", "3600", ""},
		{"LOG_LEVEL", "Zq7!rT9#pL2mXw", ""},
		{"SECRET_NAME", "prod/db/password", ""},
		{"", "#!/bin/sh\nPASSWORD=$(aws secretsmanager get-secret-value --secret-id db)\n", ""},
		{"DB_PASSWORD", "aaaaaaaaaaaa", ""},
		{"SECRET_NAME", "my-app-secret-name", ""},
		{"APP_SECRET", "my-app-secret-name", ""},
		{"DB_PASSWORD_ARN", "Zq7!rT9#pL2mXw", ""},
		{"API_KEY", "AIzaSyD3x4mPl3K3yW1thM1x3dCas3", "a secret value"},
	}
	for _, tt := range tests {
		what, val, ok := findSecret(graph.ConfigEntry{Name: tt.name, Value: graph.Known(tt.value, graph.Range{})})
		if ok != (tt.want != "") || what != tt.want {
			t.Errorf("findSecret(%q, %q) = %q, %v; want %q", tt.name, tt.value, what, ok, tt.want)
		}
		if ok && !strings.Contains(tt.value, val) {
			t.Errorf("findSecret(%q): matched value %q is not part of the input", tt.name, val)
		}
	}
}

func TestRedact(t *testing.T) {
	got := redact("AKIAIOSFODNN7EXAMPLE")
	if strings.Contains(got, "IOSFODNN7") || !strings.HasPrefix(got, `"AKIA"… sha256:`) || len(got) != len(`"AKIA"… sha256:`)+12 {
		t.Errorf("redact = %q", got)
	}
	if !strings.HasPrefix(redact("ab"), `"ab"… sha256:`) || redact("ab") == redact("ac") {
		t.Errorf("short value: %q", redact("ab"))
	}
}

// Whatever the configuration holds, detection does not panic, reports a
// value that is part of the input, and never prints more of it than the
// four-character prefix.
func FuzzFindSecret(f *testing.F) {
	f.Add("DB_PASSWORD", "Zq7!rT9#pL2m")
	f.Add("", "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n")
	f.Add("", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n")
	f.Add("TOKEN", "\xff\xfe")
	f.Fuzz(func(t *testing.T, name, value string) {
		what, val, ok := findSecret(graph.ConfigEntry{Name: name, Value: graph.Known(graph.DecodeUserData(value), graph.Range{})})
		if !ok {
			return
		}
		if what == "" || val == "" {
			t.Fatalf("finding without kind or value: %q %q", what, val)
		}
		if len(val) > 16 && strings.Contains(redact(val), val[4:]) {
			t.Fatalf("redact(%q) shows more than its prefix", val)
		}
	})
}
