package iam

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed managed/policies.json
var managedJSON []byte

// ManagedPolicy is an AWS managed policy the embedded table knows
// (managed/policies.json; managed/SOURCE.md says where it comes from).
type ManagedPolicy struct {
	Name    string
	ARN     string
	Version string
	// Complete is false for a documented subset of the real document.
	Complete bool
	Note     string
	Document *Document
}

var managed = sync.OnceValues(func() (map[string]*ManagedPolicy, error) {
	var raw []struct {
		Name, ARN, Version, Note string
		Complete                 bool
		Document                 json.RawMessage
	}
	if err := json.Unmarshal(managedJSON, &raw); err != nil {
		return nil, err
	}
	out := map[string]*ManagedPolicy{}
	for _, r := range raw {
		doc, err := Parse(string(r.Document))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name, err)
		}
		if r.ARN != "arn:aws:iam::aws:policy/"+r.Name {
			return nil, fmt.Errorf("%s: ARN %s does not name it", r.Name, r.ARN)
		}
		out[r.Name] = &ManagedPolicy{Name: r.Name, ARN: r.ARN, Version: r.Version, Complete: r.Complete, Note: r.Note, Document: doc}
	}
	return out, nil
})

// LookupManaged returns the AWS managed policy an ARN names, in any
// partition (arn:aws:, arn:aws-cn:, arn:aws-us-gov:), or nil when the ARN
// is not an AWS managed policy the table holds.
func LookupManaged(arn string) *ManagedPolicy {
	name, ok := AWSManagedName(arn)
	if !ok {
		return nil
	}
	m, err := managed()
	if err != nil {
		// The table is embedded and tested; a broken one is a build
		// defect, not an input problem.
		panic("iam: managed policy table: " + err.Error())
	}
	return m[name]
}

// AWSManagedName returns the name of an AWS managed policy ARN
// (arn:aws:iam::aws:policy/[path/]Name).
func AWSManagedName(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[4] != "aws" || !strings.HasPrefix(parts[5], "policy/") {
		return "", false
	}
	p := parts[5]
	return p[strings.LastIndexByte(p, '/')+1:], true
}

// ManagedPolicies lists the table, by name.
func ManagedPolicies() []*ManagedPolicy {
	m, err := managed()
	if err != nil {
		panic("iam: managed policy table: " + err.Error())
	}
	out := make([]*ManagedPolicy, 0, len(m))
	for _, p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
