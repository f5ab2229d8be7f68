provider "aws" {
  region = "eu-west-1"
}

# Deployments from dev: any principal of the dev account may assume it.
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::555555555555:root" }
    }]
  })
}

# A monitoring vendor, with the external ID it issued.
resource "aws_iam_role" "vendor" {
  name = "vendor-monitoring"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::999999999999:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "acme-7f3a" } }
    }]
  })
}

# GitHub Actions deploys from one repository's main branch.
resource "aws_iam_role" "github" {
  name = "github-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::444444444444:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:acme/app:ref:refs/heads/main"
        }
      }
    }]
  })
}

resource "aws_backup_vault" "app" {
  name = "app"
}

resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.medium"
  metadata_options {
    http_tokens = "required"
  }
}
