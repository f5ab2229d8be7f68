package graph

import (
	"slices"
	"testing"
)

// TestStoreFormsSelectWhatPatternsMatch checks the index that spares
// trying every store against every role's patterns: it must yield every
// store a pattern matches, and, for a pattern with a literal prefix, only
// stores with that prefix.
func TestStoreFormsSelectWhatPatternsMatch(t *testing.T) {
	store := func(svc, kind, name string) *Resource {
		r := &Resource{Addr: Address{Type: "x", Name: svc + "_" + name}}
		r.Facets.SetDataStore(&DataStore{Service: svc, Kind: kind, Name: Known(name, Range{})})
		return r
	}
	stores := []*Resource{
		store("s3", StoreBucket, "acme-logs"),
		store("s3", StoreBucket, "acme-logs-archive"),
		store("s3", StoreBucket, "acme-data"),
		store("s3", StoreBucket, "zeta"),
		store("dynamodb", StoreTable, "orders"),
		store("dynamodb", StoreTable, "users"),
	}
	unnamed := &Resource{Addr: Address{Type: "x", Name: "unnamed"}}
	unnamed.Facets.SetDataStore(&DataStore{Service: "s3", Kind: StoreBucket})
	stores = append(stores, unnamed)
	forms := newStoreForms(stores)

	tests := []struct {
		pat  string
		svc  string
		only []string // when set, exactly these stores are yielded
	}{
		{"arn:aws:s3:::acme-logs", "s3", []string{"s3_acme-logs", "s3_acme-logs-archive"}},
		{"arn:aws:s3:::acme-logs/*", "s3", []string{"s3_acme-logs"}},
		{"arn:aws:s3:::acme-*", "s3", []string{"s3_acme-logs", "s3_acme-logs-archive", "s3_acme-data"}},
		{"arn:aws:s3:::ac?e-data", "s3", nil},
		{"arn:aws:s3:::*", "s3", []string{"s3_acme-logs", "s3_acme-logs-archive", "s3_acme-data", "s3_zeta"}},
		{"arn:aws:s3:::${aws:username}-data", "s3", nil},
		{"arn:aws:*:::zeta", "s3", []string{"s3_zeta"}},
		{"arn:aws:s3:::nothing", "s3", []string{}},
		{"arn:aws:dynamodb:*:*:table/orders", "dynamodb", []string{"dynamodb_orders"}},
		{"arn:aws:dynamodb:*:*:table/*", "dynamodb", []string{"dynamodb_orders", "dynamodb_users"}},
		{"arn:aws:dynamodb:*:*:table/orders", "s3", []string{}},
		{"not-an-arn", "s3", []string{}},
	}
	for _, tt := range tests {
		var got []string
		forms.each(tt.svc, tt.pat, func(r *Resource) { got = append(got, r.Addr.Name) })
		for _, st := range stores {
			ds := st.Facets.DataStore()
			if ds.Service == tt.svc && ds.Name.State == Set && arnMatches(tt.pat, ds, st) && !slices.Contains(got, st.Addr.Name) {
				t.Errorf("%s: %s matches but is not yielded (got %q)", tt.pat, st.Addr.Name, got)
			}
		}
		if tt.only != nil {
			slices.Sort(got)
			got = slices.Compact(got)
			want := slices.Sorted(slices.Values(tt.only))
			if !slices.Equal(got, want) {
				t.Errorf("%s: yields %q, want %q", tt.pat, got, want)
			}
		}
	}
}

func TestPatternPrefix(t *testing.T) {
	for pat, want := range map[string]string{
		"arn:aws:iam::*:role/ci-*":                     "role/ci-",
		"arn:aws:iam::123456789012:role/deploy":        "role/deploy",
		"arn:aws:iam::123456789012:role/*":             "role/",
		"arn:aws:iam::123456789012:role/a?c":           "role/a",
		"arn:aws:iam::${aws:PrincipalAccount}:role/x":  "",
		"arn:aws:iam::123456789012:role/${aws:userid}": "role/",
		"*":                         "",
		"arn:aws:iam::123456789012": "",
	} {
		if got := patternPrefix(pat); got != want {
			t.Errorf("patternPrefix(%q) = %q, want %q", pat, got, want)
		}
	}
}
