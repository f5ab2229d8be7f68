package graph_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/strider-sec/strider/graph"
)

// A zero Facets has no facets; setting one adds it, setting it again
// replaces it, setting nil removes it, and the others are untouched.
func TestFacetsSetGet(t *testing.T) {
	var f graph.Facets
	if f.IMDS() != nil || f.Role() != nil {
		t.Fatal("zero Facets has a facet")
	}
	imds, role, role2 := &graph.IMDS{}, &graph.Role{}, &graph.Role{}
	f.SetIMDS(imds)
	f.SetRole(role)
	if f.IMDS() != imds || f.Role() != role {
		t.Fatal("set facets not read back")
	}
	f.SetRole(role2)
	if f.IMDS() != imds || f.Role() != role2 {
		t.Fatal("replacing a facet lost or kept the wrong one")
	}
	f.SetIMDS(nil)
	if f.IMDS() != nil || f.Role() != role2 {
		t.Fatal("removing a facet lost another or kept it")
	}
	f.SetRole(nil)
	f.SetRole(nil)
	if !reflect.DeepEqual(f, graph.Facets{}) {
		t.Fatal("removing the last facet left a list")
	}
}

// A copy of a Facets value changes independently of the original, as a
// struct of pointers did.
func TestFacetsCopy(t *testing.T) {
	var a graph.Facets
	role, user := &graph.Role{}, &graph.User{}
	a.SetRole(role)
	a.SetUser(user)
	b := a
	b.SetRole(&graph.Role{})
	b.SetUser(nil)
	b.SetGroup(&graph.Group{})
	if a.Role() != role || a.User() != user || a.Group() != nil {
		t.Fatal("setting a facet on a copy changed the original")
	}
}

// Every generated setter and getter pair round-trips its own facet and
// no other: each facet has a type of its own.
func TestFacetsEveryAccessor(t *testing.T) {
	var f graph.Facets
	fp := reflect.ValueOf(&f)
	typ := fp.Type()
	set := map[string]reflect.Value{} // getter name → value set
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		name, ok := strings.CutPrefix(m.Name, "Set")
		if !ok {
			continue
		}
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("%s has no getter %s", m.Name, name)
			continue
		}
		v := reflect.New(m.Type.In(1).Elem())
		fp.Method(i).Call([]reflect.Value{v})
		set[name] = v
	}
	if len(set) < 60 {
		t.Fatalf("only %d facets", len(set))
	}
	for name, v := range set {
		if got := fp.MethodByName(name).Call(nil)[0]; got.Pointer() != v.Pointer() {
			t.Errorf("%s() does not return what Set%s set", name, name)
		}
	}
	for name := range set {
		fp.MethodByName("Set" + name).Call([]reflect.Value{reflect.Zero(set[name].Type())})
		if !fp.MethodByName(name).Call(nil)[0].IsNil() {
			t.Errorf("Set%s(nil) did not remove it", name)
		}
	}
	if !reflect.DeepEqual(f, graph.Facets{}) {
		t.Errorf("removing every facet left %v", f)
	}
}
