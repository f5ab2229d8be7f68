package mappings

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLookupTechnique(t *testing.T) {
	tests := []struct {
		id      string
		name    string
		tactics string
		wantErr bool
	}{
		{id: "T1552.005", name: "Cloud Instance Metadata API", tactics: "credential-access"},
		{id: "T1078.004", name: "Cloud Accounts", tactics: "defense-evasion,persistence,privilege-escalation,initial-access"},
		{id: "T9999", wantErr: true},
		{id: "T1043", wantErr: true}, // Commonly Used Port: deprecated
	}
	for _, tt := range tests {
		err := CheckTechnique(tt.id)
		if (err != nil) != tt.wantErr {
			t.Errorf("CheckTechnique(%s) = %v, wantErr %v", tt.id, err, tt.wantErr)
		}
		if tt.wantErr {
			continue
		}
		got, _ := LookupTechnique(tt.id)
		if got.Name != tt.name || strings.Join(got.Tactics, ",") != tt.tactics {
			t.Errorf("LookupTechnique(%s) = %q %v, want %q %s", tt.id, got.Name, got.Tactics, tt.name, tt.tactics)
		}
	}
	if tc, ok := LookupTactic("credential-access"); !ok || tc.ID != "TA0006" {
		t.Errorf("LookupTactic(credential-access) = %+v, %v", tc, ok)
	}
}

// The embedded copy must match the shared reference data when it is beside
// the repository; a newer shared copy means refreshing data/attack.
func TestEmbeddedMatchesShared(t *testing.T) {
	for _, name := range []string{"enterprise-techniques.tsv", "tactics.tsv"} {
		shared := filepath.Join("..", "..", "shared", "data", "attack", name)
		want, err := os.ReadFile(shared)
		if err != nil {
			t.Skipf("shared data not present: %v", err)
		}
		got, err := os.ReadFile(filepath.Join("data", "attack", name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("data/attack/%s differs from %s: copy it again and update SOURCE.md", name, shared)
		}
	}
}

func TestEmbeddedRowCount(t *testing.T) {
	idx, err := attackData()
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(techniquesTSV)))
	rows := -1 // header
	for sc.Scan() {
		rows++
	}
	if len(idx.techniques) != rows || rows < 800 {
		t.Errorf("indexed %d techniques from %d rows", len(idx.techniques), rows)
	}
}

func TestSTRIDE(t *testing.T) {
	for _, s := range AllSTRIDE {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back STRIDE
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("round trip of %v = %v, %v", s, back, err)
		}
	}
	if got := ElevationOfPrivilege.Tag(); got != "stride/elevation-of-privilege" {
		t.Errorf("Tag = %q", got)
	}
	if _, err := STRIDE(0).MarshalText(); err == nil {
		t.Error("zero STRIDE marshalled")
	}
	if s, err := ParseSTRIDE("i"); err != nil || s != InformationDisclosure {
		t.Errorf("ParseSTRIDE(i) = %v, %v", s, err)
	}
}
