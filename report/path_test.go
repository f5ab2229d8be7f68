package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/strider-sec/strider/rules"
)

// pathInput holds one attack-path finding of three steps, the last one
// without a file.
func pathInput() *Input {
	in := emptyInput()
	in.Rules = allRules()
	f := ec2Finding(appInstance, rng("infra/main.tf", 15, 3, 15, 18), `http_tokens is "optional"`)
	f.Path = []rules.PathStep{
		{Range: rng("infra/main.tf", 3, 3, 8, 4), Address: "aws_security_group.web", Message: "the internet reaches aws_instance.app", Technique: "T1190"},
		{Range: rng("infra/main.tf", 15, 3, 15, 18), Address: "aws_instance.app", Message: "IMDSv1 hands out the role's credentials", Technique: "T1552.005"},
		{Address: "aws_iam_role.admin", Message: "the role is an administrator", Technique: "T1078.004"},
	}
	f.Peer = "internet"
	in.Findings = []rules.Finding{f}
	return in
}

func TestSARIFCodeFlows(t *testing.T) {
	out := renderSARIF(t, pathInput())
	var doc struct {
		Runs []struct {
			Results []struct {
				CodeFlows []struct {
					ThreadFlows []struct {
						Locations []struct {
							Location struct {
								Message          struct{ Text string }
								PhysicalLocation *struct {
									ArtifactLocation struct{ URI string }
									Region           struct{ StartLine int }
								}
							}
							ExecutionOrder int
							Properties     map[string]string
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	res := doc.Runs[0].Results[0]
	if len(res.CodeFlows) != 1 || len(res.CodeFlows[0].ThreadFlows) != 1 {
		t.Fatalf("want one code flow with one thread flow, got %s", out)
	}
	locs := res.CodeFlows[0].ThreadFlows[0].Locations
	if len(locs) != 3 {
		t.Fatalf("want 3 locations, got %d", len(locs))
	}
	for i, want := range []struct {
		text, tech string
		line       int
		file       bool
	}{
		{"the internet reaches aws_instance.app", "T1190", 3, true},
		{"IMDSv1 hands out the role's credentials", "T1552.005", 15, true},
		{"the role is an administrator", "T1078.004", 0, false},
	} {
		l := locs[i]
		if l.Location.Message.Text != want.text || l.Properties["technique"] != want.tech || l.ExecutionOrder != i+1 {
			t.Errorf("step %d = %+v", i+1, l)
		}
		if (l.Location.PhysicalLocation != nil) != want.file {
			t.Errorf("step %d: physical location present %v, want %v", i+1, l.Location.PhysicalLocation != nil, want.file)
		}
		if want.file && l.Location.PhysicalLocation.Region.StartLine != want.line {
			t.Errorf("step %d: line %d, want %d", i+1, l.Location.PhysicalLocation.Region.StartLine, want.line)
		}
	}
}

func TestPathInOtherFormats(t *testing.T) {
	in := pathInput()
	in.Findings[0].ATTACK = []string{"T1552.005"}
	j := string(renderJSON(t, in))
	var doc struct {
		Findings []struct {
			Attack []struct{ ID string }
		}
	}
	if err := json.Unmarshal([]byte(j), &doc); err != nil {
		t.Fatal(err)
	}
	if a := doc.Findings[0].Attack; len(a) != 1 || a[0].ID != "T1552.005" {
		t.Errorf("finding's own ATT&CK techniques not used: %+v", a)
	}
	if !strings.Contains(j, `"technique": "T1552.005"`) || !strings.Contains(j, `"path": [`) {
		t.Errorf("JSON has no path:\n%s", j)
	}
	tb := string(renderTable(t, in, TableOptions{}))
	if !strings.Contains(tb, "step 2 [T1552.005] infra/main.tf:15:3") {
		t.Errorf("table has no steps:\n%s", tb)
	}
	var md strings.Builder
	if err := WriteMarkdown(&md, in, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "### Attack paths") || !strings.Contains(md.String(), "3. `T1078.004`") {
		t.Errorf("markdown has no path:\n%s", md.String())
	}
}
