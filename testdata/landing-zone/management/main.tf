# The management account: the organization, its OUs, the accounts it
# vends, the guardrails and the organization trail.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_organizations_organization" "org" {
  feature_set                   = "ALL"
  aws_service_access_principals = ["cloudtrail.amazonaws.com", "guardduty.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com"]
}

locals {
  root_id = aws_organizations_organization.org.roots[0].id
}

resource "aws_organizations_organizational_unit" "security" {
  name      = "Security"
  parent_id = local.root_id
}

resource "aws_organizations_organizational_unit" "workloads" {
  name      = "Workloads"
  parent_id = local.root_id
}

resource "aws_organizations_organizational_unit" "prod" {
  name      = "Prod"
  parent_id = aws_organizations_organizational_unit.workloads.id
}

resource "aws_organizations_organizational_unit" "dev" {
  name      = "Dev"
  parent_id = aws_organizations_organizational_unit.workloads.id
}

resource "aws_organizations_organizational_unit" "sandbox" {
  name      = "Sandbox"
  parent_id = local.root_id
}

resource "aws_organizations_account" "log_archive" {
  name      = "log-archive"
  email     = "aws+log-archive@example.com"
  parent_id = aws_organizations_organizational_unit.security.id
}

resource "aws_organizations_account" "audit" {
  name      = "audit"
  email     = "aws+audit@example.com"
  parent_id = aws_organizations_organizational_unit.security.id
}

resource "aws_organizations_account" "prod" {
  name      = "prod"
  email     = "aws+prod@example.com"
  parent_id = aws_organizations_organizational_unit.prod.id
}

resource "aws_organizations_account" "dev" {
  name      = "dev"
  email     = "aws+dev@example.com"
  parent_id = aws_organizations_organizational_unit.dev.id
}

resource "aws_organizations_account" "sandbox" {
  name      = "sandbox"
  email     = "aws+sandbox@example.com"
  parent_id = aws_organizations_organizational_unit.sandbox.id
}

# Everywhere: nobody leaves, nobody touches the trail.
resource "aws_organizations_policy" "baseline" {
  name = "baseline"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "Baseline"
      Effect = "Deny"
      Action = [
        "organizations:LeaveOrganization",
        "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
      ]
      Resource = "*"
    }]
  })
}

resource "aws_organizations_policy_attachment" "baseline" {
  policy_id = aws_organizations_policy.baseline.id
  target_id = local.root_id
}

# Workloads: detection stays on, and only two regions.
resource "aws_organizations_policy" "workloads" {
  name = "workloads"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "KeepDetection"
        Effect = "Deny"
        Action = [
          "guardduty:DeleteDetector", "guardduty:UpdateDetector",
          "guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateFromAdministratorAccount",
          "config:DeleteConfigurationRecorder", "config:StopConfigurationRecorder", "config:DeleteDeliveryChannel",
          "securityhub:DisableSecurityHub", "access-analyzer:DeleteAnalyzer",
        ]
        Resource = "*"
      },
      {
        Sid       = "Regions"
        Effect    = "Deny"
        NotAction = ["iam:*", "organizations:*", "sts:*", "support:*", "cloudfront:*", "route53:*"]
        Resource  = "*"
        Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1", "eu-central-1"] } }
      },
    ]
  })
}

resource "aws_organizations_policy_attachment" "workloads" {
  policy_id = aws_organizations_policy.workloads.id
  target_id = aws_organizations_organizational_unit.workloads.id
}

# Prod: no IAM users, no sharing, no root user, account defaults locked.
resource "aws_organizations_policy" "prod" {
  name = "prod"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Deny"
        Action   = ["iam:CreateUser", "iam:CreateAccessKey", "s3:PutAccountPublicAccessBlock", "ec2:ModifyInstanceMetadataDefaults"]
        Resource = "*"
      },
      {
        Effect   = "Deny"
        Action   = ["ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "rds:ModifyDBSnapshotAttribute"]
        Resource = "*"
      },
      {
        Effect    = "Deny"
        Action    = "*"
        Resource  = "*"
        Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
      },
    ]
  })
}

resource "aws_organizations_policy_attachment" "prod" {
  policy_id = aws_organizations_policy.prod.id
  target_id = aws_organizations_organizational_unit.prod.id
}

# Dev: IAM users denied, but access keys forgotten.
resource "aws_organizations_policy" "dev" {
  name = "dev"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = ["iam:CreateUser"]
      Resource = "*"
    }]
  })
}

resource "aws_organizations_policy_attachment" "dev" {
  policy_id = aws_organizations_policy.dev.id
  target_id = aws_organizations_organizational_unit.dev.id
}

resource "aws_cloudtrail" "org" {
  name                       = "org"
  s3_bucket_name             = "acme-org-trail-logs"
  is_organization_trail      = true
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = "arn:aws:kms:eu-west-1:222222222222:key/0f0e0d0c-0b0a-0908-0706-050403020100"
}

resource "aws_guardduty_organization_admin_account" "audit" {
  admin_account_id = "333333333333"
}

resource "aws_securityhub_organization_admin_account" "audit" {
  admin_account_id = "333333333333"
}

# The security account also deploys StackSets to every account.
resource "aws_organizations_delegated_administrator" "stacksets" {
  account_id        = "333333333333"
  service_principal = "member.org.stacksets.cloudformation.amazonaws.com"
}

# The account baseline for the sandbox, deployed as a StackSet.
resource "aws_cloudformation_stack_set" "sandbox_baseline" {
  name             = "sandbox-baseline"
  permission_model = "SERVICE_MANAGED"
  template_body    = file("${path.module}/../stacksets/sandbox-baseline.yaml")
}

resource "aws_cloudformation_stack_set_instance" "sandbox" {
  stack_set_name = aws_cloudformation_stack_set.sandbox_baseline.name
  account_id     = "666666666666"
}

# Workforce sign-in through the corporate IdP, straight into management.
resource "aws_iam_saml_provider" "corp" {
  name                   = "corp-idp"
  saml_metadata_document = "<EntityDescriptor/>"
}

resource "aws_iam_role" "admins" {
  name = "corp-admins"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithSAML"
      Principal = { Federated = "arn:aws:iam::111111111111:saml-provider/corp-idp" }
      Condition = { StringEquals = { "SAML:aud" = "https://signin.aws.amazon.com/saml" } }
    }]
  })
}

# A build server left in the management account.
resource "aws_instance" "jenkins" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.large"
  metadata_options {
    http_tokens = "required"
  }
}
