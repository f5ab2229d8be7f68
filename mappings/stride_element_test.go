package mappings

import (
	"slices"
	"testing"
)

// The table is the SDL's (reference: STRIDE per element).
func TestPerElement(t *testing.T) {
	tests := []struct {
		k    ElementKind
		logs bool
		want string
	}{
		{ExternalEntity, false, "SR"},
		{Process, false, "STRIDE"},
		{DataStore, false, "TID"},
		{DataStore, true, "TRID"},
		{DataFlow, false, "TID"},
		{TrustBoundary, false, ""},
	}
	for _, tt := range tests {
		got := ""
		for _, s := range PerElement(tt.k, tt.logs) {
			got += s.Letter()
		}
		if got != tt.want {
			t.Errorf("%s logs=%v: got %q, want %q", tt.k, tt.logs, got, tt.want)
		}
	}
	if got := PerElement(DataStore, true); !slices.Equal(PerElement(DataStore, false), []STRIDE{Tampering, InformationDisclosure, DenialOfService}) || len(got) != 4 {
		t.Error("PerElement shares its table with callers")
	}
}

// Every applicable category has a text, and no other.
func TestGenericThreats(t *testing.T) {
	for _, k := range []ElementKind{ExternalEntity, Process, DataStore, DataFlow, TrustBoundary} {
		for _, s := range AllSTRIDE {
			applies := slices.Contains(PerElement(k, true), s)
			g, ok := Generic(k, s)
			if ok != applies {
				t.Errorf("%s %s: text present %v, applies %v", k, s, ok, applies)
			}
			if ok && (g.Title == "" || g.Description == "" || g.Mitigation == "") {
				t.Errorf("%s %s: empty text", k, s)
			}
		}
	}
}
