package terraform

import (
	"testing"
	"testing/fstest"

	"github.com/strider-sec/strider/graph"
)

// Provider configurations written from locals see the locals' values.
func TestProviderFromLocals(t *testing.T) {
	fsys := fstest.MapFS{"main.tf": {Data: []byte(`
provider "aws" {
  region = local.region
  assume_role {
    role_arn = "arn:aws:iam::${local.account}:role/deploy"
  }
}
locals {
  region  = "eu-${local.zone}-1"
  zone    = "west"
  account = var.account
}
variable "account" {
  default = "123456789012"
}
resource "aws_sqs_queue" "q" {}
`)}}
	root := NewLoader(fsys, Options{}).LoadRoot(".")
	if len(root.Diagnostics) > 0 {
		t.Fatal(root.Diagnostics)
	}
	r := root.Resources[0]
	if r.Region != graph.Known("eu-west-1", r.Region.Range) || r.Account.V != "123456789012" || r.Account.State != graph.Set {
		t.Errorf("region %+v account %+v, want eu-west-1 and 123456789012", r.Region, r.Account)
	}
}
