# ---------------------------------------------------------------------------
# CONTROLS: principals that look dangerous but have NO escalation technique.
# ---------------------------------------------------------------------------

# C01 — PassRole on a role that trusts lambda.amazonaws.com, but the only compute action is
# ec2:RunInstances (EC2 cannot assume the role; no instance profile holds it; no Lambda actions).
resource "aws_iam_user" "c01_passrole_wrong_service" {
  name = "corpus6-c01-passrole-wrong-service"
}

resource "aws_iam_user_policy" "c01" {
  name = "corpus6-c01-inline"
  user = aws_iam_user.c01_passrole_wrong_service.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.tgt_lambda_admin.arn
      },
      {
        Effect   = "Allow"
        Action   = "ec2:RunInstances"
        Resource = "*"
      }
    ]
  })
}

# C02 — PassRole on the EC2 admin role, but only when iam:PassedToService is lambda.amazonaws.com;
# the only compute action granted is ec2:RunInstances (PassedToService would be ec2.amazonaws.com).
resource "aws_iam_user" "c02_passedtoservice_mismatch" {
  name = "corpus6-c02-passedtoservice-mismatch"
}

data "aws_iam_policy_document" "c02" {
  statement {
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.tgt_ec2_admin.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com"]
    }
  }
  statement {
    effect    = "Allow"
    actions   = ["ec2:RunInstances"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "c02" {
  name   = "corpus6-c02-inline"
  user   = aws_iam_user.c02_passedtoservice_mismatch.name
  policy = data.aws_iam_policy_document.c02.json
}

# C03 — CreatePolicyVersion on its own attached policy, explicitly denied by a second attached policy.
resource "aws_iam_user" "c03_policyversion_denied" {
  name = "corpus6-c03-policyversion-denied"
}

resource "aws_iam_policy" "c03_allow" {
  name = "corpus6-c03-allow"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:CreatePolicyVersion"
        Resource = "arn:aws:iam::${local.account_id}:policy/corpus6-c03-allow"
      }
    ]
  })
}

resource "aws_iam_policy" "c03_deny" {
  name = "corpus6-c03-deny"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Deny"
        Action   = "iam:CreatePolicyVersion"
        Resource = "*"
      }
    ]
  })
}

resource "aws_iam_user_policy_attachment" "c03_allow" {
  user       = aws_iam_user.c03_policyversion_denied.name
  policy_arn = aws_iam_policy.c03_allow.arn
}

resource "aws_iam_user_policy_attachment" "c03_deny" {
  user       = aws_iam_user.c03_policyversion_denied.name
  policy_arn = aws_iam_policy.c03_deny.arn
}

# C04 — AttachUserPolicy on itself, but the permissions boundary allows only read actions.
resource "aws_iam_policy" "c04_boundary" {
  name = "corpus6-c04-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["iam:GetUser", "iam:ListAttachedUserPolicies"]
        Resource = "*"
      }
    ]
  })
}

resource "aws_iam_user" "c04_boundary_blocks_attach" {
  name                 = "corpus6-c04-boundary-blocks-attach"
  permissions_boundary = aws_iam_policy.c04_boundary.arn
}

resource "aws_iam_user_policy" "c04" {
  name = "corpus6-c04-inline"
  user = aws_iam_user.c04_boundary_blocks_attach.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:AttachUserPolicy"
        Resource = aws_iam_user.c04_boundary_blocks_attach.arn
      }
    ]
  })
}

# C05 — lambda:CreateFunction + lambda:InvokeFunction without any iam:PassRole
# (a function cannot be created without passing an execution role).
resource "aws_iam_user" "c05_lambda_no_passrole" {
  name = "corpus6-c05-lambda-no-passrole"
}

resource "aws_iam_user_policy" "c05" {
  name = "corpus6-c05-inline"
  user = aws_iam_user.c05_lambda_no_passrole.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["lambda:CreateFunction", "lambda:InvokeFunction"]
        Resource = "arn:aws:lambda:us-east-1:${local.account_id}:function:corpus6-c05-*"
      }
    ]
  })
}

# C06 — ec2:RunInstances (+ DescribeInstances) without iam:PassRole: cannot launch with an instance profile.
resource "aws_iam_user" "c06_ec2_no_passrole" {
  name = "corpus6-c06-ec2-no-passrole"
}

resource "aws_iam_user_policy" "c06" {
  name = "corpus6-c06-inline"
  user = aws_iam_user.c06_ec2_no_passrole.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ec2:RunInstances", "ec2:DescribeInstances"]
        Resource = "*"
      }
    ]
  })
}

# C07 — iam:CreateAccessKey only on its own user via ${aws:username}: rotating your own key is not escalation.
resource "aws_iam_user" "c07_own_access_key" {
  name = "corpus6-c07-own-access-key"
}

resource "aws_iam_user_policy" "c07" {
  name = "corpus6-c07-inline"
  user = aws_iam_user.c07_own_access_key.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ManageOwnKeysOnly"
        Effect   = "Allow"
        Action   = ["iam:CreateAccessKey", "iam:ListAccessKeys"]
        Resource = "arn:aws:iam::${local.account_id}:user/$${aws:username}"
      }
    ]
  })
}

# C08 — read-only IAM wildcards iam:Get* / iam:List*.
resource "aws_iam_user" "c08_iam_read_wildcards" {
  name = "corpus6-c08-iam-read-wildcards"
}

resource "aws_iam_user_policy" "c08" {
  name = "corpus6-c08-inline"
  user = aws_iam_user.c08_iam_read_wildcards.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["iam:Get*", "iam:List*"]
        Resource = "*"
      }
    ]
  })
}

# C09 — AWS managed IAMReadOnlyAccess through group membership.
resource "aws_iam_user" "c09_iam_readonly_group" {
  name = "corpus6-c09-iam-readonly-group"
}

resource "aws_iam_group" "c09" {
  name = "corpus6-c09-readers"
}

resource "aws_iam_user_group_membership" "c09" {
  user   = aws_iam_user.c09_iam_readonly_group.name
  groups = [aws_iam_group.c09.name]
}

resource "aws_iam_group_policy_attachment" "c09" {
  group      = aws_iam_group.c09.name
  policy_arn = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
}

# C10 — sts:AssumeRole on an admin role whose trust admits only ec2.amazonaws.com.
resource "aws_iam_user" "c10_assume_untrusting" {
  name = "corpus6-c10-assume-untrusting"
}

resource "aws_iam_user_policy" "c10" {
  name = "corpus6-c10-inline"
  user = aws_iam_user.c10_assume_untrusting.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = aws_iam_role.tgt_locked_admin.arn
      }
    ]
  })
}

# C11 — PutUserPolicy on itself, but a Deny with NotAction (everything except iam:Get*/iam:List*) blocks it.
resource "aws_iam_user" "c11_notaction_deny" {
  name = "corpus6-c11-notaction-deny"
}

resource "aws_iam_user_policy" "c11" {
  name = "corpus6-c11-inline"
  user = aws_iam_user.c11_notaction_deny.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "LooksDangerous"
        Effect   = "Allow"
        Action   = "iam:PutUserPolicy"
        Resource = aws_iam_user.c11_notaction_deny.arn
      },
      {
        Sid       = "DenyAllButRead"
        Effect    = "Deny"
        NotAction = ["iam:Get*", "iam:List*"]
        Resource  = "*"
      }
    ]
  })
}

# C12 — PassRole on a role that trusts glue.amazonaws.com + cloudformation:CreateStack
# (CloudFormation cannot assume a Glue-trusting role; no Glue actions granted).
resource "aws_iam_user" "c12_passrole_glue_to_cfn" {
  name = "corpus6-c12-passrole-glue-to-cfn"
}

resource "aws_iam_user_policy" "c12" {
  name = "corpus6-c12-inline"
  user = aws_iam_user.c12_passrole_glue_to_cfn.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.tgt_glue_admin.arn
      },
      {
        Effect   = "Allow"
        Action   = "cloudformation:CreateStack"
        Resource = "*"
      }
    ]
  })
}

# C13 — sts:AssumeRole on the multi-hop role mh_a, whose trust admits only mh_u (not this user).
resource "aws_iam_user" "c13_assume_other_users_role" {
  name = "corpus6-c13-assume-other-users-role"
}

resource "aws_iam_user_policy" "c13" {
  name = "corpus6-c13-inline"
  user = aws_iam_user.c13_assume_other_users_role.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "sts:AssumeRole"
        Resource = aws_iam_role.mh_a.arn
      }
    ]
  })
}
