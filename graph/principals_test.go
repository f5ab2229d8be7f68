package graph_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/parser/terraform"
	"golang.org/x/tools/txtar"
)

// buildTF builds the graph of one Terraform file.
func buildTF(t testing.TB, src string) *graph.Graph {
	t.Helper()
	fsys := fstest.MapFS{"main.tf": &fstest.MapFile{Data: []byte(src)}}
	root := terraform.NewLoader(fsys, terraform.Options{}).LoadRoot(".")
	for _, d := range root.Diagnostics {
		t.Fatalf("diagnostic: %s\n%s", d, src)
	}
	g, _ := graph.Build(root.Resources)
	return g
}

func principalNamed(t testing.TB, g *graph.Graph, addr string) *graph.Principal {
	t.Helper()
	for _, p := range g.Principals() {
		if p.Resource.Addr.String() == addr {
			return p
		}
	}
	t.Fatalf("no principal %s", addr)
	return nil
}

// targetsTF puts in the tree something for every technique to act on: a
// role trusting each service with administrator rights, an instance and
// a function that run with it, a group the actor is in and one it is
// not, a managed policy attached to the actor, and another user.
func targetsTF() string {
	var services []string
	for _, t := range iam.Techniques {
		if t.Service != "" && !strings.Contains(strings.Join(services, ","), t.Service) {
			services = append(services, t.Service)
		}
	}
	return fmt.Sprintf(`
resource "aws_iam_role" "target" {
  name                = "target"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = [%s] } }]
  })
}
resource "aws_iam_instance_profile" "p" {
  name = "p"
  role = aws_iam_role.target.name
}
resource "aws_instance" "i" {
  ami                  = "ami-1"
  iam_instance_profile = aws_iam_instance_profile.p.name
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.target.arn
}
resource "aws_iam_user" "victim" {
  name = "victim"
}
resource "aws_iam_user_policy_attachment" "victim" {
  user       = aws_iam_user.victim.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_group_policy_attachment" "other" {
  group      = aws_iam_group.other.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_role" "assumable" {
  name                = "assumable"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" } }]
  })
}
resource "aws_iam_group" "mine" {
  name = "mine"
}
resource "aws_iam_group" "other" {
  name = "other"
}
resource "aws_iam_user_group_membership" "actor" {
  user   = aws_iam_user.actor.name
  groups = [aws_iam_group.mine.name]
}
resource "aws_iam_policy" "own" {
  name   = "own"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }] })
}
resource "aws_iam_user_policy_attachment" "own" {
  user       = aws_iam_user.actor.name
  policy_arn = aws_iam_policy.own.arn
}
`, quoted(services))
}

func quoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func actorTF(boundary string, statements ...string) string {
	b := ""
	if boundary != "" {
		b = fmt.Sprintf("\n  permissions_boundary = %q", boundary)
	}
	return fmt.Sprintf(`
resource "aws_iam_user" "actor" {
  name = "actor"%s
}
resource "aws_iam_user_policy" "actor" {
  user   = aws_iam_user.actor.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [%s] })
}
`, b, strings.Join(statements, ", "))
}

func allow(actions []string, extra string) string {
	return fmt.Sprintf(`{ Effect = "Allow", Action = [%s], Resource = "*"%s }`, quoted(actions), extra)
}

// TestTechniques runs every technique positive, negative (one action
// missing), overridden by an explicit deny, limited by a permissions
// boundary and limited by a condition the request cannot meet.
func TestTechniques(t *testing.T) {
	for i := range iam.Techniques {
		tq := &iam.Techniques[i]
		var actions []string
		for _, a := range append(append([]string{}, tq.TargetActions...), tq.OtherActions...) {
			// One alternative of each element: the last, so that the
			// alternatives are exercised too.
			alts := strings.Split(a, "|")
			actions = append(actions, alts[len(alts)-1])
		}
		cases := []struct {
			name string
			tf   string
			want bool
		}{
			{"positive", actorTF("", allow(actions, "")), true},
			{"negative", actorTF("", allow(actions[:len(actions)-1], ""), allow([]string{"s3:GetObject"}, "")), false},
			{"deny-overridden", actorTF("", allow(actions, ""), fmt.Sprintf(`{ Effect = "Deny", Action = %q, Resource = "*" }`, actions[0])), false},
			{"boundary-limited", actorTF("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", allow(actions, "")), false},
			{"condition-limited", actorTF("", allow(actions, `, Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }`)), false},
			{"condition-undecided", actorTF("", allow(actions, `, Condition = { IpAddress = { "aws:SourceIp" = "10.0.0.0/8" } }`)), false},
		}
		for _, c := range cases {
			t.Run(tq.ID+"/"+c.name, func(t *testing.T) {
				g := buildTF(t, c.tf+targetsTF())
				p := principalNamed(t, g, "aws_iam_user.actor")
				var found *graph.Escalation
				for _, e := range g.Escalations(p) {
					if e.Technique == tq {
						found = e
					}
				}
				if (found != nil) != c.want {
					t.Fatalf("escalation %s found: %v, want %v (%+v)", tq.ID, found != nil, c.want, found)
				}
				if found != nil && len(found.Evidence) == 0 {
					t.Errorf("escalation %s has no evidence", tq.ID)
				}
			})
		}
	}
}

// TestPassRoleNeedsTrust: a role in the tree counts for a PassRole
// technique only when it trusts the service; iam:PassedToService decides.
func TestPassRoleNeedsTrust(t *testing.T) {
	src := `
resource "aws_iam_role" "lambda" {
  name = "lambda"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}
resource "aws_iam_user" "a" {
  name = "a"
}
resource "aws_iam_user_policy" "a" {
  user = aws_iam_user.a.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.lambda.arn },
    { Effect = "Allow", Action = ["ec2:RunInstances", "lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
  ] })
}
resource "aws_iam_user" "b" {
  name = "b"
}
resource "aws_iam_user_policy" "b" {
  user = aws_iam_user.b.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:PassRole", Resource = "*", Condition = { StringEquals = { "iam:PassedToService" = "ec2.amazonaws.com" } } },
    { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
  ] })
}
`
	g := buildTF(t, src)
	ids := func(addr string) string {
		var out []string
		for _, e := range g.Escalations(principalNamed(t, g, addr)) {
			out = append(out, e.Technique.ID)
		}
		return strings.Join(out, ",")
	}
	if got := ids("aws_iam_user.a"); got != "PE-22" {
		t.Errorf("a: escalations %q, want PE-22 only (the role trusts Lambda, not EC2)", got)
	}
	if got := ids("aws_iam_user.b"); got != "" {
		t.Errorf("b: escalations %q, want none (PassRole only to EC2, no RunInstances)", got)
	}
}

// TestSCPLimits: an SCP on the principal's account that denies the
// action removes the escalation; one that denies something else does not.
func TestSCPLimits(t *testing.T) {
	src := `
provider "aws" {
  allowed_account_ids = ["111122223333"]
}
resource "aws_organizations_organization" "org" {}
resource "aws_organizations_account" "prod" {
  name      = "prod"
  email     = "prod@example.com"
  parent_id = aws_organizations_organization.org.roots[0].id
}
resource "aws_organizations_policy" "deny_iam" {
  name    = "deny-iam"
  content = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Deny", Action = "iam:Put*", Resource = "*" }] })
}
resource "aws_organizations_policy_attachment" "deny_iam" {
  policy_id = aws_organizations_policy.deny_iam.id
  target_id = aws_organizations_account.prod.id
}
resource "aws_iam_user" "a" {
  name = "a"
}
resource "aws_iam_user_policy" "a" {
  user   = aws_iam_user.a.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["iam:PutUserPolicy", "iam:AttachUserPolicy"], Resource = "*" }] })
}
`
	fsys := fstest.MapFS{"main.tf": &fstest.MapFile{Data: []byte(src)}}
	root := terraform.NewLoader(fsys, terraform.Options{}).LoadRoot(".")
	for _, r := range root.Resources {
		// A plan of an existing account knows its ID; source does not.
		if r.Addr.String() == "aws_organizations_account.prod" {
			r.Facets.OrgNode().ID = graph.Known("111122223333", r.Range)
		}
	}
	g, _ := graph.Build(root.Resources)
	p := principalNamed(t, g, "aws_iam_user.a")
	if p.Org == nil {
		t.Fatalf("the user's account has no organization path (account %q)", p.Account)
	}
	if v := g.Can(p, "iam:PutUserPolicy", p.ARN, p.Resource, nil); v.Decision != iam.Deny || !strings.Contains(v.Why, "deny_iam") {
		t.Errorf("PutUserPolicy: %s (%s), want deny by the SCP", v.Decision, v.Why)
	}
	var ids []string
	for _, e := range g.Escalations(p) {
		ids = append(ids, e.Technique.ID)
	}
	if got := strings.Join(ids, ","); got != "PE-03" {
		t.Errorf("escalations %q, want PE-03 only (PE-06 is denied by the SCP)", got)
	}
}

// TestPrincipalGraphAcrossAccounts: a user assumes a role in another
// account, which assumes a third role that can rewrite its own policies:
// the chain makes the user administrator-equivalent, and a cycle of
// trusts does not loop.
func TestPrincipalGraphAcrossAccounts(t *testing.T) {
	src := `
provider "aws" {
  alias               = "a"
  allowed_account_ids = ["111111111111"]
}
provider "aws" {
  alias               = "b"
  allowed_account_ids = ["222222222222"]
}
resource "aws_iam_user" "dev" {
  provider = aws.a
  name     = "dev"
}
resource "aws_iam_user_policy" "dev" {
  provider = aws.a
  user     = aws_iam_user.dev.name
  policy   = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::222222222222:role/hop" }] })
}
resource "aws_iam_role" "hop" {
  provider = aws.b
  name     = "hop"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111111111111:root" } },
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::222222222222:role/top" } },
  ] })
  inline_policy {
    name   = "next"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::222222222222:role/top" }] })
  }
}
resource "aws_iam_role" "top" {
  provider = aws.b
  name     = "top"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::222222222222:role/hop" } }] })
  inline_policy {
    name   = "self"
    policy = jsonencode({ Version = "2012-10-17", Statement = [
      { Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "arn:aws:iam::222222222222:role/top" },
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::222222222222:role/hop" },
    ] })
  }
}
resource "aws_iam_user" "stranger" {
  provider = aws.a
  name     = "stranger"
}
resource "aws_iam_user_policy" "stranger" {
  provider = aws.a
  user     = aws_iam_user.stranger.name
  policy   = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}
`
	g := buildTF(t, src)
	dev := principalNamed(t, g, "aws_iam_user.dev")
	if dev.Account != "111111111111" {
		t.Fatalf("dev account %q", dev.Account)
	}
	if !g.AdminEquivalent(dev) {
		t.Fatalf("dev is not administrator-equivalent:\n%s", g.Dump())
	}
	var hops []string
	for _, h := range g.Hops(dev) {
		hops = append(hops, string(h.Kind)+":"+h.To.Resource.Addr.String())
	}
	if got := strings.Join(hops, ","); got != "assume-role:aws_iam_role.hop" {
		t.Errorf("dev hops %q", got)
	}
	if g.AdminEquivalent(principalNamed(t, g, "aws_iam_user.stranger")) {
		t.Error("stranger has no sts:AssumeRole and must not reach the role its account is trusted by")
	}
	top := principalNamed(t, g, "aws_iam_role.top")
	if !g.AdminEquivalent(top) || g.AdminDirect(top) {
		t.Errorf("top: admin-equivalent %v, direct %v; want equivalent through PutRolePolicy on itself", g.AdminEquivalent(top), g.AdminDirect(top))
	}
}

// BenchmarkPrincipals builds graphs with thousands of users and roles
// (every role trusted by its account, every user allowed to assume one
// role, one user in fifty allowed to pass any role to EC2) and reports
// the time per principal.
func BenchmarkPrincipals(b *testing.B) {
	for _, n := range []int{1000, 3000} {
		var sb strings.Builder
		for i := range n / 2 {
			fmt.Fprintf(&sb, `
resource "aws_iam_user" "u%[1]d" {
  name = "u%[1]d"
}
resource "aws_iam_user_policy" "u%[1]d" {
  user   = aws_iam_user.u%[1]d.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "sts:AssumeRole"], Resource = "arn:aws:iam::111122223333:role/r%[1]d" }] })
}
resource "aws_iam_role" "r%[1]d" {
  name = "r%[1]d"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } },
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" } },
  ] })
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}
`, i)
			if i%50 == 0 {
				fmt.Fprintf(&sb, `
resource "aws_iam_user_policy" "pass%[1]d" {
  user   = aws_iam_user.u%[1]d.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "ec2:RunInstances"], Resource = "*" }] })
}
`, i)
			}
		}
		fsys := fstest.MapFS{"main.tf": &fstest.MapFile{Data: []byte(sb.String())}}
		root := terraform.NewLoader(fsys, terraform.Options{}).LoadRoot(".")
		b.Run(fmt.Sprintf("principals=%d", n), func(b *testing.B) {
			for b.Loop() {
				rs := make([]*graph.Resource, len(root.Resources))
				for i, r := range root.Resources {
					c := *r
					c.Facets = r.Facets
					rs[i] = &c
				}
				graph.Build(rs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/principal")
		})
	}
}

// TestAssumeNamedPrincipal: a same-account trust that names the user lets
// it assume the role without an identity grant, unless the user's
// policy denies it; a condition on the caller's ARN is decided.
func TestAssumeNamedPrincipal(t *testing.T) {
	src := `
resource "aws_iam_role" "admin" {
  name                = "admin"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = [aws_iam_user.named.arn, aws_iam_user.denied.arn] } },
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" },
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::111122223333:user/ops-*" } } },
  ] })
}
resource "aws_iam_user" "named" {
  name = "named"
}
resource "aws_iam_user" "denied" {
  name = "denied"
}
resource "aws_iam_user_policy" "denied" {
  user   = aws_iam_user.denied.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Deny", Action = "sts:AssumeRole", Resource = "*" }] })
}
resource "aws_iam_user" "ops" {
  name = "ops-1"
}
resource "aws_iam_user" "dev" {
  name = "dev-1"
}
resource "aws_iam_user_policy" "ops" {
  user   = aws_iam_user.ops.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }] })
}
resource "aws_iam_user_policy" "dev" {
  user   = aws_iam_user.dev.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }] })
}
`
	g := buildTF(t, src)
	for addr, want := range map[string]bool{
		"aws_iam_user.named": true, "aws_iam_user.denied": false, "aws_iam_user.ops": true, "aws_iam_user.dev": false,
	} {
		if got := g.AdminEquivalent(principalNamed(t, g, addr)); got != want {
			t.Errorf("%s: administrator-equivalent %v, want %v", addr, got, want)
		}
	}
}

// FuzzBuildPrincipals feeds arbitrary Terraform to the loader and builds
// the graph: no policy, trust or attachment may make the principal,
// escalation or path passes panic.
func FuzzBuildPrincipals(f *testing.F) {
	ar, err := txtar.ParseFile("testdata/privesc.txtar")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range ar.Files {
		f.Add(string(file.Data))
	}
	f.Add(actorTF("arn:aws:iam::aws:policy/ReadOnlyAccess", allow([]string{"iam:PassRole", "ec2:RunInstances"}, "")) + targetsTF())
	f.Fuzz(func(t *testing.T, src string) {
		fsys := fstest.MapFS{"main.tf": &fstest.MapFile{Data: []byte(src)}}
		root := terraform.NewLoader(fsys, terraform.Options{MaxModuleDepth: 2, MaxInstances: 200}).LoadRoot(".")
		g, _ := graph.Build(root.Resources)
		for _, p := range g.Principals() {
			g.Escalations(p)
			g.AdminEquivalent(p)
		}
		_ = g.Dump()
	})
}
