package gen

import (
	"bytes"
	"maps"
	"strings"
	"testing"
)

func TestDeterministic(t *testing.T) {
	cfg := Config{Accounts: 4, ResourcesPerAccount: 300, Seed: 7}
	a, b := Generate(cfg), Generate(cfg)
	if !maps.EqualFunc(a.Files, b.Files, bytes.Equal) || a.Resources != b.Resources {
		t.Fatal("two runs with the same config differ")
	}
	cfg.Seed = 8
	if c := Generate(cfg); maps.EqualFunc(a.Files, c.Files, bytes.Equal) {
		t.Fatal("another seed gives the same tree")
	}
}

func TestShape(t *testing.T) {
	for _, tc := range []struct {
		cfg              Config
		files, resources int
	}{
		{Config{Accounts: 1, ResourcesPerAccount: 500}, 2 + 1 + 3, 9 + 1 + 500},
		{Config{Accounts: 3, ResourcesPerAccount: 1234}, 2 + 1 + 3*3, 9 + 3 + 3*1234},
		// Too small an account is raised to the smallest whole one.
		{Config{Accounts: 0, ResourcesPerAccount: 1}, 2 + 1 + 3, 9 + 1 + MinResourcesPerAccount},
	} {
		tr := Generate(tc.cfg)
		if len(tr.Files) != tc.files || tr.Resources != tc.resources {
			t.Errorf("%+v: %d files and %d resources, want %d and %d", tc.cfg, len(tr.Files), tr.Resources, tc.files, tc.resources)
		}
		if strings.Count(string(tr.Files["organization/main.tf"]), "@example.com") != 1 {
			t.Errorf("%+v: the organization should create the accounts with one for_each", tc.cfg)
		}
	}
}
