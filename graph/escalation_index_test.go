package graph

import (
	"slices"
	"testing"
)

// TestByAccountEach: a principal of a known account visits the targets
// of its account and of none, in list order; one of no known account
// visits them all.
func TestByAccountEach(t *testing.T) {
	accounts := []string{"111", "", "222", "111", "", "333", "111"}
	stacks := []string{"a", "a", "b", "a", "c", "d", "a"}
	x := indexByAccount(len(accounts), func(i int) string { return accounts[i] }, func(i int) string { return stacks[i] }, false)
	for _, tc := range []struct {
		account string
		want    []int
	}{
		{"111", []int{0, 1, 3, 4, 6}},
		{"222", []int{1, 2, 4}},
		{"444", []int{1, 4}},
		{"", []int{0, 1, 2, 3, 4, 5, 6}},
	} {
		var got []int
		x.each(&Principal{Account: tc.account, Resource: &Resource{}}, len(accounts), func(i int) { got = append(got, i) })
		if !slices.Equal(got, tc.want) {
			t.Errorf("account %q: got %v, want %v", tc.account, got, tc.want)
		}
	}
	// The zero index, as a scope built without one has, visits all.
	var got []int
	byAccount{}.each(&Principal{Account: "111"}, 3, func(i int) { got = append(got, i) })
	if !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("zero index: got %v", got)
	}
}

// TestByAccountEachSplit: in a tree of several known accounts, a target of
// no known account could be in any of them, so it is reached only from
// its own stack; a principal of a known account reaches its account only.
func TestByAccountEachSplit(t *testing.T) {
	accounts := []string{"111", "", "222", "111", "", "333", "111"}
	stacks := []string{"a", "a", "b", "a", "c", "d", "a"}
	x := indexByAccount(len(accounts), func(i int) string { return accounts[i] }, func(i int) string { return stacks[i] }, true)
	for _, tc := range []struct {
		account, stack string
		want           []int
	}{
		{"111", "a", []int{0, 3, 6}},
		{"222", "b", []int{2}},
		{"444", "e", nil},
		{"", "a", []int{1}},
		{"", "c", []int{4}},
		{"", "z", nil},
	} {
		var got []int
		x.each(&Principal{Account: tc.account, Resource: &Resource{Addr: Address{Stack: tc.stack}}}, len(accounts), func(i int) { got = append(got, i) })
		if !slices.Equal(got, tc.want) {
			t.Errorf("account %q stack %q: got %v, want %v", tc.account, tc.stack, got, tc.want)
		}
	}
}
