provider "aws" {
  region = "eu-west-1"
}

resource "aws_guardduty_detector" "main" {
  enable = true
}

# The security team's read-only role, reachable from the management
# account's principals inside the organization only.
resource "aws_iam_role" "security_audit" {
  name = "security-audit"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::111111111111:root" }
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123def4" } }
    }]
  })
}
