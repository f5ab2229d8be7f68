package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// bigPlan builds a single-line plan of n copies of the fixture's
// resources, as `terraform show -json` writes it, for checking that
// parsing stays linear in the file size.
func bigPlan(b *testing.B, n int) []byte {
	b.Helper()
	var p map[string]any
	if err := json.Unmarshal(readFixture(b, "plan.json"), &p); err != nil {
		b.Fatal(err)
	}
	root := p["planned_values"].(map[string]any)["root_module"].(map[string]any)
	res := root["resources"].([]any)
	changes := p["resource_changes"].([]any)
	var allRes, allChanges []any
	for i := range n {
		for _, r := range res {
			r := clone(b, r).(map[string]any)
			r["address"] = fmt.Sprintf("module.copy%d.%s", i, r["address"])
			allRes = append(allRes, r)
		}
		for _, c := range changes {
			c := clone(b, c).(map[string]any)
			c["address"] = fmt.Sprintf("module.copy%d.%s", i, c["address"])
			allChanges = append(allChanges, c)
		}
	}
	root["resources"] = allRes
	p["resource_changes"] = allChanges
	src, err := json.Marshal(p)
	if err != nil {
		b.Fatal(err)
	}
	return src
}

func clone(b *testing.B, v any) any {
	src, _ := json.Marshal(v)
	var out any
	if err := json.Unmarshal(src, &out); err != nil {
		b.Fatal(err)
	}
	return out
}

func BenchmarkParse(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		src := bigPlan(b, n)
		b.Run(fmt.Sprintf("%dKB", len(src)/1024), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				rs, diags := Parse(src, "p.json")
				if len(rs) == 0 || len(diags) != 0 || bytes.Count(src, []byte("\n")) != 0 {
					b.Fatalf("%d resources, %d diagnostics", len(rs), len(diags))
				}
			}
		})
	}
}
