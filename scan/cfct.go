package scan

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
)

// Deployment is a template of the tree that something deploys as a
// StackSet to accounts and OUs: a Customizations for AWS Control Tower
// manifest entry, for one.
type Deployment struct {
	// Source is the manifest file and entry name ("manifest.yaml#baseline").
	Source string
	// Template is the template file as displayed (the stack of its
	// resources).
	Template string
	// Accounts are account IDs, or names where the manifest names them.
	Accounts []string
	// OUs are organizational unit names or IDs.
	OUs []string
}

// cfctManifest is the part of a Customizations for AWS Control Tower
// manifest (manifest.yaml, version 2021-03-15) that says where templates
// go.
type cfctManifest struct {
	Version   string `yaml:"version"`
	Resources []struct {
		Name              string `yaml:"name"`
		ResourceFile      string `yaml:"resource_file"`
		DeployMethod      string `yaml:"deploy_method"`
		DeploymentTargets struct {
			// Accounts are read as nodes: an ID written without quotes
			// is a YAML integer, and its digits must be kept as written.
			Accounts            []yaml.Node `yaml:"accounts"`
			OrganizationalUnits []string    `yaml:"organizational_units"`
		} `yaml:"deployment_targets"`
	} `yaml:"resources"`
}

// isManifest says whether a file name is a CfCT manifest's.
func isManifest(name string) bool { return name == "manifest.yaml" || name == "manifest.yml" }

// readManifest reads the StackSet deployments of a CfCT manifest at
// display path name; ok is false when the file is not one.
func readManifest(src []byte, name string) ([]Deployment, bool) {
	var m cfctManifest
	if err := yaml.NewDecoder(bytes.NewReader(src)).Decode(&m); err != nil || m.Version == "" || len(m.Resources) == 0 {
		return nil, false
	}
	var out []Deployment
	dir := path.Dir(name)
	for _, r := range m.Resources {
		if r.DeployMethod != "stack_set" || r.ResourceFile == "" || strings.Contains(r.ResourceFile, "://") {
			// SCPs and RCPs, and templates kept in S3, are not files of
			// the tree to attribute.
			continue
		}
		d := Deployment{Source: name + "#" + r.Name, Template: path.Join(dir, path.Clean(r.ResourceFile)), OUs: r.DeploymentTargets.OrganizationalUnits}
		for _, a := range r.DeploymentTargets.Accounts {
			if a.Kind == yaml.ScalarNode && a.Value != "" {
				d.Accounts = append(d.Accounts, a.Value)
			}
		}
		out = append(out, d)
	}
	return out, true
}

// deploymentAccounts maps each template a deployment sends to exactly
// one account to that account's ID: an ID, or a name a convention gives
// an ID. A template deployed to OUs or to several accounts has no one
// account.
func deploymentAccounts(ds []Deployment, convs []AccountConvention) map[string]string {
	byName := map[string]string{}
	for _, c := range convs {
		if c.Name != "" {
			byName[strings.ToLower(c.Name)] = c.Account
		}
	}
	targets := map[string][]string{}
	spread := map[string]bool{}
	for _, d := range ds {
		if len(d.OUs) > 0 {
			spread[d.Template] = true
		}
		for _, a := range d.Accounts {
			id := a
			if iam.AccountOf(a) != a {
				id = byName[strings.ToLower(a)]
			}
			if id == "" {
				spread[d.Template] = true // a name no convention resolves
				continue
			}
			targets[d.Template] = append(targets[d.Template], id)
		}
	}
	out := map[string]string{}
	for t, ids := range targets {
		slices.Sort(ids)
		if ids = slices.Compact(ids); len(ids) == 1 && !spread[t] {
			out[t] = ids[0]
		}
	}
	return out
}

// attributeDeployments gives the resources of templates deployed to one
// account that account, where nothing stated one before.
func attributeDeployments(rs []*graph.Resource, ds []Deployment, convs []AccountConvention) {
	accts := deploymentAccounts(ds, convs)
	for _, r := range rs {
		if id, ok := accts[r.Addr.Stack]; ok && r.Account.State != graph.Set {
			r.Account = graph.Known(id, graph.Range{Filename: r.Range.Filename})
		}
	}
}
