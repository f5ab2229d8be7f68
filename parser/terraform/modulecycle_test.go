package terraform

import (
	"slices"
	"testing"
	"testing/fstest"
)

// Two module calls that read each other's outputs are no cycle when each
// output they read does not depend on the other's input, as in a cluster
// module and a role module for its service accounts.
func TestModuleCallsReadingEachOther(t *testing.T) {
	fsys := fstest.MapFS{
		"main.tf": {Data: []byte(`
module "cluster" {
  source   = "./cluster"
  role_arn = module.role.arn
}
module "role" {
  source = "./role"
  issuer = module.cluster.issuer
}
resource "aws_sqs_queue" "per_node" {
  for_each = toset(module.cluster.node_names)
}
`)},
		"cluster/main.tf": {Data: []byte(`
variable "role_arn" { type = string }
resource "aws_sqs_queue" "q" {
  count = 2
  tags  = { role = var.role_arn }
}
output "issuer" { value = "https://oidc.example/abc" }
output "node_names" { value = ["a", "b"] }
`)},
		"role/main.tf": {Data: []byte(`
variable "issuer" { type = string }
resource "aws_iam_role" "r" {
  name = "irsa"
  tags = { issuer = var.issuer }
}
output "arn" { value = "arn:aws:iam::123456789012:role/irsa" }
`)},
	}
	root := NewLoader(fsys, Options{}).LoadRoot(".")
	if len(root.Diagnostics) > 0 {
		t.Errorf("diagnostics: %v", root.Diagnostics)
	}
	var addrs []string
	for _, r := range root.Resources {
		addrs = append(addrs, r.Addr.String())
		if r.Addr.Name == "r" {
			if v := r.StringAttr("tags.issuer"); v.V != "https://oidc.example/abc" {
				t.Errorf("the role module's input is %+v, want the cluster's issuer", v)
			}
		}
		if r.Addr.Name == "q" {
			if v := r.StringAttr("tags.role"); v.V != "arn:aws:iam::123456789012:role/irsa" {
				t.Errorf("the cluster module's input is %+v, want the role's ARN", v)
			}
		}
	}
	slices.Sort(addrs)
	want := []string{`aws_sqs_queue.per_node["a"]`, `aws_sqs_queue.per_node["b"]`, "module.cluster.aws_sqs_queue.q[0]", "module.cluster.aws_sqs_queue.q[1]", "module.role.aws_iam_role.r"}
	if !slices.Equal(addrs, want) {
		t.Errorf("addresses %v, want %v", addrs, want)
	}
}
