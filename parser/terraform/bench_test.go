package terraform

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// benchTree generates a root calling a network module once per
// environment, each instance calling a service submodule per service:
// envs*services module instances, each with a policy document, a role, a
// launch template with a dynamic block and count-expanded subnets.
func benchTree(envs, services int) fstest.MapFS {
	var root strings.Builder
	root.WriteString("locals {\n  envs = {\n")
	for i := range envs {
		fmt.Fprintf(&root, "    env%d = { cidr = \"10.%d.0.0/16\" }\n", i, i)
	}
	root.WriteString("  }\n}\n")
	root.WriteString(`module "net" {
  source   = "./modules/net"
  for_each = local.envs
  name     = each.key
  cidr     = each.value.cidr
}
`)
	var svc strings.Builder
	svc.WriteString("  services = {\n")
	for i := range services {
		fmt.Fprintf(&svc, "    svc%d = { port = %d, tokens = %q }\n", i, 8000+i, []string{"required", "optional"}[i%2])
	}
	svc.WriteString("  }\n")
	net := `variable "name" { type = string }
variable "cidr" { type = string }
locals {
` + svc.String() + `}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}
resource "aws_subnet" "private" {
  count      = 3
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
module "svc" {
  source     = "./svc"
  for_each   = local.services
  name       = "${var.name}-${each.key}"
  port       = each.value.port
  tokens     = each.value.tokens
  subnet_ids = aws_subnet.private[*].id
}
output "vpc_id" { value = aws_vpc.this.id }
`
	svcMod := `variable "name" { type = string }
variable "port" { type = number }
variable "tokens" { type = string }
variable "subnet_ids" { type = list(string) }
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
resource "aws_security_group" "this" {
  name = var.name
  dynamic "ingress" {
    for_each = [var.port, var.port + 1]
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
resource "aws_launch_template" "this" {
  name = var.name
  metadata_options {
    http_tokens = var.tokens
  }
}
resource "aws_instance" "this" {
  count     = length(var.subnet_ids)
  subnet_id = var.subnet_ids[count.index]
  launch_template {
    id = aws_launch_template.this.id
  }
}
`
	return fstest.MapFS{
		"main.tf":                 {Data: []byte(root.String())},
		"modules/net/main.tf":     {Data: []byte(net)},
		"modules/net/svc/main.tf": {Data: []byte(svcMod)},
	}
}

func TestBenchTree(t *testing.T) {
	root := NewLoader(benchTree(2, 3), Options{}).LoadRoot(".")
	// per env: vpc, 3 subnets; per service: policy doc, role, sg, template, 3 instances.
	if want := 2 * (4 + 3*7); len(root.Resources) != want {
		t.Errorf("%d resources, want %d", len(root.Resources), want)
	}
	if len(root.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", root.Diagnostics)
	}
}

// BenchmarkLoadRoot evaluates 10 environments of 20 services each: 210
// module instances and 1440 resource instances.
func BenchmarkLoadRoot(b *testing.B) {
	fsys := benchTree(10, 20)
	b.ReportAllocs()
	for b.Loop() {
		root := NewLoader(fsys, Options{}).LoadRoot(".")
		if len(root.Resources) != 10*(4+20*7) {
			b.Fatalf("%d resources", len(root.Resources))
		}
	}
}

// BenchmarkLoadRootFlat evaluates one module of 4000 resources, half of
// them referencing the other half: evaluation must stay linear in the
// size of a module (it was quadratic when every node rebuilt the whole
// context).
func BenchmarkLoadRootFlat(b *testing.B) {
	var src strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&src, "resource \"aws_sqs_queue\" \"q%d\" {\n  name = \"q%d\"\n}\n", i, i)
		fmt.Fprintf(&src, "resource \"aws_sqs_queue_policy\" \"p%d\" {\n  queue_url = aws_sqs_queue.q%d.name\n}\n", i, i)
	}
	fsys := fstest.MapFS{"main.tf": {Data: []byte(src.String())}}
	b.ReportAllocs()
	for b.Loop() {
		if n := len(NewLoader(fsys, Options{}).LoadRoot(".").Resources); n != 4000 {
			b.Fatalf("%d resources", n)
		}
	}
}
