# Privilege-escalation corpus — Terraform root module.
# Static test input only: nothing here is meant to be applied.
# The account ID is fixed in local.account_id so that every ARN is resolvable statically.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  account_id       = "111122223333"
  admin_policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
