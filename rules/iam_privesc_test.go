package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
)

// TestEscalationFindingBounded: a principal that reaches many targets
// gets one finding that names a few, counts them all and points at no
// more than ten places, whatever the number of targets.
func TestEscalationFindingBounded(t *testing.T) {
	for _, n := range []int{1, 5, 6, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var b strings.Builder
			var refs []string
			for i := range n {
				fmt.Fprintf(&b, `
resource "aws_iam_user" "v%02d" {
  name = "v%02d"
}

resource "aws_iam_user_policy_attachment" "v%02d" {
  user       = aws_iam_user.v%02d.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}
`, i, i, i, i)
				refs = append(refs, fmt.Sprintf("aws_iam_user.v%02d.arn", i))
			}
			fmt.Fprintf(&b, `
resource "aws_iam_user" "keys" {
  name = "keys"
}

resource "aws_iam_user_policy" "keys" {
  user   = aws_iam_user.keys.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = [%s] }] })
}
`, strings.Join(refs, ", "))
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir,
				Rules: []*rules.Rule{&rules.IAMPrivilegeEscalation}})
			if err != nil {
				t.Fatal(err)
			}
			var got []rules.Finding
			for _, f := range res.Findings {
				if f.Resource.Addr.String() == "aws_iam_user.keys" {
					got = append(got, f)
				}
			}
			if len(got) != 1 {
				t.Fatalf("got %d findings on aws_iam_user.keys, want 1", len(got))
			}
			f := got[0]
			// One related location for the statement, one per target up to ten in all.
			if want := min(n+1, 10); len(f.Related) != want {
				t.Errorf("%d related locations, want %d", len(f.Related), want)
			}
			named := strings.Count(f.Message, "aws_iam_user.v")
			if want := min(n, 5); named != want {
				t.Errorf("message names %d targets, want %d: %s", named, want, f.Message)
			}
			more := fmt.Sprintf(" and %d more (%d targets)", n-5, n)
			if n > 5 && !strings.Contains(f.Message, more) {
				t.Errorf("message does not count the rest (%q): %s", more, f.Message)
			}
			if n <= 5 && strings.Contains(f.Message, "more") {
				t.Errorf("message counts a rest when all are named: %s", f.Message)
			}
		})
	}
}

// TestEscalationEvidenceBounded: a policy that names each target in a
// statement of its own allows the technique by as many statements as
// targets; the finding names five of them and counts the rest.
func TestEscalationEvidenceBounded(t *testing.T) {
	const n = 12
	var b strings.Builder
	var stmts []string
	for i := range n {
		fmt.Fprintf(&b, `
resource "aws_iam_user" "v%02d" {
  name = "v%02d"
}

resource "aws_iam_user_policy_attachment" "v%02d" {
  user       = aws_iam_user.v%02d.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}
`, i, i, i, i)
		stmts = append(stmts, fmt.Sprintf(`{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = "arn:aws:iam::*:user/v%02d" }`, i))
	}
	fmt.Fprintf(&b, `
resource "aws_iam_user" "keys" {
  name = "keys"
}

resource "aws_iam_user_policy" "keys" {
  user   = aws_iam_user.keys.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [%s] })
}
`, strings.Join(stmts, ", "))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, BaseDir: dir,
		Rules: []*rules.Rule{&rules.IAMPrivilegeEscalation}})
	if err != nil {
		t.Fatal(err)
	}
	var got []rules.Finding
	for _, f := range res.Findings {
		if f.Resource.Addr.String() == "aws_iam_user.keys" {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("got %d findings on aws_iam_user.keys, want 1", len(got))
	}
	f := got[0]
	if len(f.Related) != 10 {
		t.Errorf("%d related locations, want 10", len(f.Related))
	}
	if c := strings.Count(f.Message, "is allowed by statement"); c != 5 {
		t.Errorf("message names %d statements, want 5: %s", c, f.Message)
	}
	if want := fmt.Sprintf("; and by %d more statements;", n-5); !strings.Contains(f.Message, want) {
		t.Errorf("message does not count the other statements (%q): %s", want, f.Message)
	}
	if want := fmt.Sprintf(" and %d more (%d targets)", n-5, n); !strings.Contains(f.Message, want) {
		t.Errorf("message does not count the targets (%q): %s", want, f.Message)
	}
}
