package scan

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// TestPrivescCorpus runs the escalation rule over a corpus of principals
// built to have exactly one escalation path each, beside controls built to
// look dangerous without being so (testdata/privesc-corpus/README.md).
// Every control must stay clean; the known misses are listed so that a
// regression, or a fix, shows here.
func TestPrivescCorpus(t *testing.T) {
	dir := filepath.Join("..", "testdata", "privesc-corpus")
	res, err := Run(context.Background(), Options{
		Paths:   []string{filepath.Join(dir, "terraform"), filepath.Join(dir, "cloudformation")},
		BaseDir: dir,
		Rules:   []*rules.Rule{&rules.IAMPrivilegeEscalation},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic: %s", d)
	}
	row := regexp.MustCompile(`^PE-(\d+)`)
	found := map[string]map[int]bool{} // format/address -> technique rows
	for _, f := range res.Findings {
		m := row.FindStringSubmatch(f.Peer)
		if m == nil {
			t.Errorf("%s: finding without a technique ID: %q", f.Resource.Addr, f.Peer)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		format := "terraform"
		if f.Resource.Addr.Kind == graph.CloudFormationAddr {
			format = "cloudformation"
		}
		k := format + "/" + f.Resource.Addr.String()
		if found[k] == nil {
			found[k] = map[int]bool{}
		}
		found[k][n] = true
	}

	// Known misses, by format/address: none at present. A path found
	// here after a change is a regression.
	misses := map[string]bool{}
	f, err := os.Open(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	positives, hits := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 {
			continue
		}
		k := cols[0] + "/" + cols[1]
		got := found[k]
		switch cols[2] {
		case "control":
			if len(got) > 0 {
				t.Errorf("control %s has escalation findings %v", k, got)
			}
		case "positive":
			positives++
			want, _ := strconv.Atoi(cols[3])
			switch {
			case got[want]:
				hits++
				if misses[k] {
					t.Errorf("%s: technique %d is found now; take it off the known misses", k, want)
				}
			case !misses[k]:
				t.Errorf("%s: technique %d not found (found %v): %s", k, want, got, cols[4])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if positives != 40 {
		t.Errorf("%d positives in expected.tsv, want 40", positives)
	}
	t.Logf("%d of %d escalation paths found", hits, positives)
}
