package tfschema

import (
	"encoding/json"

	"github.com/strider-sec/strider/graph"
)

// plainUserData records user data as plain configuration, decoding it
// when it is base64 (launch templates require it, instances accept
// user_data_base64).
func plainUserData(r *graph.Resource) {
	var pc graph.PlainConfig
	for _, a := range []string{"user_data", "user_data_base64"} {
		v := r.StringAttr(a)
		if v.State == graph.Absent {
			continue
		}
		if v.State == graph.Set {
			v.V = graph.DecodeUserData(v.V)
		}
		pc.Entries = append(pc.Entries, graph.ConfigEntry{Where: a, Value: v})
	}
	if len(pc.Entries) > 0 {
		r.Facets.SetPlainConfig(&pc)
	}
}

// plainEnvironment records a Lambda function's environment variables.
func plainEnvironment(r *graph.Resource) {
	keys, vals, _ := r.MapAttr("environment.0.variables")
	if len(keys) == 0 {
		return
	}
	pc := &graph.PlainConfig{}
	for i, k := range keys {
		pc.Entries = append(pc.Entries, graph.ConfigEntry{Where: "environment variable " + k, Name: k, Value: vals[i]})
	}
	r.Facets.SetPlainConfig(pc)
}

// containerDefinition is the part of an ECS container definition that
// holds plain configuration.
type containerDefinition struct {
	Name        string `json:"name"`
	Environment []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"environment"`
}

// plainContainers records the environment of each container in an ECS
// task definition's container_definitions JSON. JSON that does not parse
// is left alone: the provider would reject it before anything runs.
func plainContainers(r *graph.Resource, defs graph.Value[string]) {
	if defs.State != graph.Set {
		return
	}
	var cs []containerDefinition
	if err := json.Unmarshal([]byte(defs.V), &cs); err != nil {
		return
	}
	pc := &graph.PlainConfig{}
	for _, c := range cs {
		for _, e := range c.Environment {
			pc.Entries = append(pc.Entries, graph.ConfigEntry{
				Where: "container " + c.Name + " environment variable " + e.Name,
				Name:  e.Name,
				Value: graph.Known(e.Value, defs.Range),
			})
		}
	}
	if len(pc.Entries) > 0 {
		r.Facets.SetPlainConfig(pc)
	}
}
