package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// SecretsInPlainConfig flags credentials written in user data, Lambda
// environment variables and ECS container environment.
var SecretsInPlainConfig = Rule{
	ID:        "SDR-SECRETS-001",
	Slug:      "secret-in-plain-configuration",
	Title:     "Credential in user data or environment variables",
	Severity:  High,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1552.001", "T1552.004", "T1552.005"},
	Rationale: `User data, Lambda environment variables and ECS container environment are configuration, not secret ` +
		`storage. Anyone with read-only describe permissions (` + "`ec2:DescribeInstanceAttribute`, `lambda:GetFunctionConfiguration`, " +
		"`ecs:DescribeTaskDefinition`" + `), any process on an instance that can reach the metadata service, the ` +
		`Terraform state, the CloudFormation template and the version control history all hold the value in plain text. ` +
		`An AWS access key, a private key or a password written there is as good as published to everyone with ` +
		`read access to the account and the repository — and it cannot be rotated without a redeploy. The rule ` +
		`recognises AWS access key IDs, PEM private keys, well-known token formats, and high-entropy values of ` +
		`variables named like secrets; it shows only a prefix and a hash of each value.`,
	Remediation: `Move the value to AWS Secrets Manager or SSM Parameter Store (SecureString) and have the code read it ` +
		`at start-up with its role's permissions (ECS: ` + "`secrets`" + ` with ` + "`valueFrom`" + `; Lambda: the ` +
		`Parameters and Secrets extension or an SDK call; instances: a call from the boot script). Rotate the exposed ` +
		`credential: it is in the state and history already. For AWS access keys, use the role of the compute instead.`,
	FixTerraform: `resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name  = "api"
    image = "example/api:1.0"
    secrets = [{
      name      = "DB_PASSWORD"
      valueFrom = aws_secretsmanager_secret.db_password.arn
    }]
  }])
}`,
	FixCloudFormation: `ApiFunction:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Role: !GetAtt ApiRole.Arn
    Code:
      S3Bucket: !Ref ArtifactBucket
      S3Key: api.zip
    Environment:
      Variables:
        DB_PASSWORD_SECRET_ARN: !Ref DbPasswordSecret`,
	References: []string{
		"https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html",
		"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data-secrets.html",
		"https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8",
	},
	Check: checkSecretsInPlainConfig,
}

// secretPattern is a credential recognised by its shape alone.
type secretPattern struct {
	what string
	re   *regexp.Regexp
}

var secretPatterns = []secretPattern{
	{"an AWS access key ID", regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`)},
	{"a private key", regexp.MustCompile(`-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----`)},
	{"a GitHub token", regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b`)},
	{"a Slack token", regexp.MustCompile(`\bxox[abprs]-[A-Za-z0-9-]{10,}\b`)},
	{"a Stripe live secret key", regexp.MustCompile(`\b[sr]k_live_[A-Za-z0-9]{20,}\b`)},
}

// secretName matches names of variables meant to hold secrets, and
// notSecretName the names that only point at one or configure it
// (DB_PASSWORD_ARN, SECRET_NAME, TOKEN_URL, TOKEN_TTL).
var (
	secretName    = regexp.MustCompile(`(?i)(passw(or)?d|passwd|secret|token|api_?key|private_?key|credential|auth_?key|access_?key)`)
	notSecretName = regexp.MustCompile(`(?i)_(name|arn|id|url|uri|path|file|region|ttl|endpoint|header|length|type|version)$`)
)

// secretAssignment finds NAME=value assignments of secret-named
// variables in scripts (user data).
var secretAssignment = regexp.MustCompile(`(?i)\b([A-Z0-9_]*(?:passw(?:or)?d|passwd|secret|token|api_?key|access_?key)[A-Z0-9_]*)\s*[=:]\s*["']?([^\s"'$;]+)`)

// looksLikeSecretValue decides whether a value of a secret-named variable
// is a literal secret rather than a reference to one (an ARN, a parameter
// path, a resolve expression), a placeholder or a flag.
func looksLikeSecretValue(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) < 8 || strings.ContainsAny(v, " \t\n/") {
		return false
	}
	l := strings.ToLower(v)
	for _, p := range []string{"arn:", "{{resolve:", "ssm:", "secretsmanager:"} {
		if strings.HasPrefix(l, p) {
			return false
		}
	}
	for _, p := range []string{"${", "changeme", "change_me", "placeholder", "example", "xxxx", "<"} {
		if strings.Contains(l, p) {
			return false
		}
	}
	// Generated secrets mix character classes; names, slugs and words
	// ("my-app-secret-name") do not.
	var digit, upper, lower bool
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		}
	}
	return (digit || upper && lower) && entropy(v) >= 3.0
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, c := range s {
		counts[c]++
		n++
	}
	var h float64
	for _, k := range counts {
		p := float64(k) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}

// redact shows enough of a secret to find it and nothing to use it: its
// first four characters and a hash prefix.
func redact(s string) string {
	sum := sha256.Sum256([]byte(s))
	prefix := s
	if len(prefix) > 4 {
		prefix = prefix[:4]
	}
	return fmt.Sprintf("%q… sha256:%s", prefix, hex.EncodeToString(sum[:])[:12])
}

// findSecret returns what kind of secret e holds and the matched value.
func findSecret(e graph.ConfigEntry) (what, value string, ok bool) {
	v := e.Value.V
	for _, p := range secretPatterns {
		if m := p.re.FindString(v); m != "" {
			return p.what, m, true
		}
	}
	if e.Name != "" {
		if secretName.MatchString(e.Name) && !notSecretName.MatchString(e.Name) && looksLikeSecretValue(v) {
			return "a secret value", strings.TrimSpace(v), true
		}
		return "", "", false
	}
	// Scripts: a secret-named variable assigned a literal.
	for _, m := range secretAssignment.FindAllStringSubmatch(v, -1) {
		if looksLikeSecretValue(m[2]) {
			return "a secret value assigned to " + m[1], m[2], true
		}
	}
	return "", "", false
}

func checkSecretsInPlainConfig(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		pc := r.Facets.PlainConfig()
		if pc == nil {
			continue
		}
		for _, e := range pc.Entries {
			// An unknown value (a variable, a reference, a NoEcho
			// parameter) cannot be judged.
			if e.Value.State != graph.Set {
				continue
			}
			if what, val, ok := findSecret(e); ok {
				pass.Reportf(r, e.Value.Range, "%s: %s holds %s in plain text (%s)", r.Addr, e.Where, what, redact(val))
			}
		}
	}
	return nil
}
