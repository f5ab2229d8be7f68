package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/strider-sec/strider/audit"
	"github.com/strider-sec/strider/rules"
)

// hostileAudit names things with markup, as code may: an OU name, a role
// name and a condition value are all the author's text.
func hostileAudit() AuditInput {
	const evil = `<script>alert(1)</script>|*x*`
	tree := &audit.Node{Kind: "root", Name: "Root", Children: []*audit.Node{{Kind: "ou", Name: evil, Address: "aws_organizations_organizational_unit.x"}}}
	return AuditInput{Tool: Tool{Name: "strider", Version: "test"}, Audit: &audit.Report{
		Accounts: []*audit.Account{{Key: "111111111111", ID: "111111111111", Name: evil}},
		Tree:     tree,
		Guardrails: []audit.Guardrail{{Target: evil, TargetType: "ou", Control: "leave-org",
			Actions: []string{"organizations:LeaveOrganization"}, Status: rules.Missing}},
		Trust: []audit.TrustEdge{{From: "222222222222", FromKind: audit.SourceAccount, To: "111111111111",
			Role: "aws_iam_role.x", RoleName: evil, Conditions: []string{"StringEquals sts:ExternalId=" + evil}, Guarded: true}},
		Notes: []string{evil},
	}}
}

func TestAuditHTMLEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAuditHTML(&b, hostileAudit()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script>") {
		t.Errorf("HTML carries the names' markup unescaped")
	}
	if !strings.Contains(b.String(), "&lt;script&gt;") {
		t.Errorf("HTML lost the names")
	}
}

func TestAuditMarkdownEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAuditMarkdown(&b, hostileAudit()); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, "<script>") {
			t.Errorf("Markdown carries markup unescaped: %s", line)
		}
		// A table row keeps its columns: the pipe in the name is escaped.
		if strings.Contains(line, "&gt;|") {
			t.Errorf("pipe not escaped: %s", line)
		}
	}
}

// The guardrails keep the shape the README documents, exactly.
func TestAuditJSONGuardrailShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAuditJSON(&b, hostileAudit()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Guardrails []map[string]any `json:"guardrails"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Guardrails) != 1 {
		t.Fatalf("guardrails = %v", doc.Guardrails)
	}
	var keys []string
	for k := range doc.Guardrails[0] {
		keys = append(keys, k)
	}
	want := "actions control status target target_type via"
	slices.Sort(keys)
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("guardrail keys = %s, want %s", got, want)
	}
	if via, ok := doc.Guardrails[0]["via"].([]any); !ok || len(via) != 0 {
		t.Errorf("via = %#v, want an empty list", doc.Guardrails[0]["via"])
	}
}

// A source that reaches many accounts is cut in Markdown and HTML, with
// the count of what is left out; JSON keeps all.
func TestAuditReachCut(t *testing.T) {
	r := audit.Reach{From: "111111111111", Via: map[string]string{}}
	for i := range reachShown + 5 {
		k := fmt.Sprintf("2222222222%02d", i)
		r.Accounts = append(r.Accounts, k)
		r.Via[k] = "role"
	}
	in := AuditInput{Tool: Tool{Name: "strider"}, Audit: &audit.Report{Reach: []audit.Reach{r},
		Trust: []audit.TrustEdge{{From: "111111111111", FromKind: audit.SourceAccount, To: "222222222200", Role: "role"}}}}
	for name, write := range map[string]func(io.Writer, AuditInput) error{"markdown": WriteAuditMarkdown, "html": WriteAuditHTML, "json": WriteAuditJSON} {
		var b bytes.Buffer
		if err := write(&b, in); err != nil {
			t.Fatal(err)
		}
		more := strings.Contains(b.String(), "and 5 more accounts")
		last := strings.Contains(b.String(), fmt.Sprintf("2222222222%02d", reachShown+4))
		if name == "json" {
			more = !more
		} else {
			last = !last
		}
		if !more || !last {
			t.Errorf("%s: the reach is not cut as it should be", name)
		}
	}
}
