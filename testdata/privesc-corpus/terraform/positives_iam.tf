# ---------------------------------------------------------------------------
# POSITIVES, IAM-only techniques. Each principal has EXACTLY ONE technique.
# The technique number (table in iam-privesc.md) is in the comment and in expected.tsv.
# ---------------------------------------------------------------------------

# T01 — technique 1: iam:CreatePolicyVersion on the customer-managed policy attached to itself.
resource "aws_iam_user" "t01_policy_versioner" {
  name = "corpus6-t01-policy-versioner"
}

resource "aws_iam_policy" "t01_self" {
  name = "corpus6-t01-self"
  # Self-reference by constructed ARN (the policy cannot reference its own .arn).
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "NewVersionOfOwnPolicy"
        Effect   = "Allow"
        Action   = "iam:CreatePolicyVersion"
        Resource = "arn:aws:iam::${local.account_id}:policy/corpus6-t01-self"
      }
    ]
  })
}

resource "aws_iam_user_policy_attachment" "t01" {
  user       = aws_iam_user.t01_policy_versioner.name
  policy_arn = aws_iam_policy.t01_self.arn
}

# T02 — technique 2: iam:SetDefaultPolicyVersion on the managed policy attached to its group.
# (Exploitable when an older, more permissive version of the policy exists.)
resource "aws_iam_user" "t02_version_reverter" {
  name = "corpus6-t02-version-reverter"
}

resource "aws_iam_group" "t02" {
  name = "corpus6-t02-group"
}

resource "aws_iam_group_membership" "t02" {
  name  = "corpus6-t02-membership"
  group = aws_iam_group.t02.name
  users = [aws_iam_user.t02_version_reverter.name]
}

resource "aws_iam_policy" "t02_group" {
  name = "corpus6-t02-group-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["iam:SetDefaultPolicyVersion"]
        Resource = ["arn:aws:iam::${local.account_id}:policy/corpus6-t02-group-policy"]
      }
    ]
  })
}

resource "aws_iam_group_policy_attachment" "t02" {
  group      = aws_iam_group.t02.name
  policy_arn = aws_iam_policy.t02_group.arn
}

# T03 — technique 3: iam:AttachUserPolicy on its own user (inline policy from a policy document).
resource "aws_iam_user" "t03_self_attacher" {
  name = "corpus6-t03-self-attacher"
}

data "aws_iam_policy_document" "t03" {
  statement {
    sid       = "AttachToSelf"
    effect    = "Allow"
    actions   = ["iam:AttachUserPolicy"]
    resources = [aws_iam_user.t03_self_attacher.arn]
  }
}

resource "aws_iam_user_policy" "t03" {
  name   = "corpus6-t03-inline"
  user   = aws_iam_user.t03_self_attacher.name
  policy = data.aws_iam_policy_document.t03.json
}

# T04 — technique 4: iam:AttachGroupPolicy on the group it belongs to (grant lives on the group).
resource "aws_iam_user" "t04_group_attacher" {
  name = "corpus6-t04-group-attacher"
}

resource "aws_iam_group" "t04" {
  name = "corpus6-t04-group"
}

resource "aws_iam_user_group_membership" "t04" {
  user   = aws_iam_user.t04_group_attacher.name
  groups = [aws_iam_group.t04.name]
}

resource "aws_iam_group_policy" "t04" {
  name  = "corpus6-t04-group-inline"
  group = aws_iam_group.t04.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:AttachGroupPolicy"
        Resource = aws_iam_group.t04.arn
      }
    ]
  })
}

# R05 — technique 5: a role allowed iam:AttachRolePolicy on itself (inline role policy).
data "aws_iam_policy_document" "trust_r05" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "r05_role_attacher" {
  name               = "corpus6-r05-role-attacher"
  assume_role_policy = data.aws_iam_policy_document.trust_r05.json
}

resource "aws_iam_role_policy" "r05" {
  name = "corpus6-r05-inline"
  role = aws_iam_role.r05_role_attacher.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:AttachRolePolicy"
        Resource = aws_iam_role.r05_role_attacher.arn
      }
    ]
  })
}

# T06 — technique 6: iam:PutUserPolicy on its own user (customer-managed policy + attachment).
resource "aws_iam_user" "t06_self_inliner" {
  name = "corpus6-t06-self-inliner"
}

data "aws_iam_policy_document" "t06" {
  statement {
    effect    = "Allow"
    actions   = ["iam:PutUserPolicy"]
    resources = [aws_iam_user.t06_self_inliner.arn]
  }
}

resource "aws_iam_policy" "t06" {
  name   = "corpus6-t06-policy"
  policy = data.aws_iam_policy_document.t06.json
}

resource "aws_iam_user_policy_attachment" "t06" {
  user       = aws_iam_user.t06_self_inliner.name
  policy_arn = aws_iam_policy.t06.arn
}

# T07 — technique 7: iam:PutGroupPolicy on the group it belongs to (heredoc JSON, group attachment).
resource "aws_iam_user" "t07_group_inliner" {
  name = "corpus6-t07-group-inliner"
}

resource "aws_iam_group" "t07" {
  name = "corpus6-t07-group"
}

resource "aws_iam_group_membership" "t07" {
  name  = "corpus6-t07-membership"
  group = aws_iam_group.t07.name
  users = [aws_iam_user.t07_group_inliner.name]
}

resource "aws_iam_policy" "t07" {
  name   = "corpus6-t07-policy"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "InlineOnOwnGroup",
          "Effect": "Allow",
          "Action": "iam:PutGroupPolicy",
          "Resource": "${aws_iam_group.t07.arn}"
        }
      ]
    }
  EOT
}

resource "aws_iam_group_policy_attachment" "t07" {
  group      = aws_iam_group.t07.name
  policy_arn = aws_iam_policy.t07.arn
}

# R08 — technique 8: a role allowed iam:PutRolePolicy on itself (managed policy + role attachment).
resource "aws_iam_role" "r08_role_inliner" {
  name = "corpus6-r08-role-inliner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "lambda.amazonaws.com" }
      }
    ]
  })
}

resource "aws_iam_policy" "r08" {
  name = "corpus6-r08-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["iam:PutRolePolicy"]
        Resource = [aws_iam_role.r08_role_inliner.arn]
      }
    ]
  })
}

resource "aws_iam_role_policy_attachment" "r08" {
  role       = aws_iam_role.r08_role_inliner.name
  policy_arn = aws_iam_policy.r08.arn
}

# T09 — technique 9: iam:AddUserToGroup on the (empty) admin group.
resource "aws_iam_user" "t09_group_joiner" {
  name = "corpus6-t09-group-joiner"
}

resource "aws_iam_user_policy" "t09" {
  name = "corpus6-t09-inline"
  user = aws_iam_user.t09_group_joiner.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:AddUserToGroup"
        Resource = aws_iam_group.tgt_admins.arn
      }
    ]
  })
}

# T10 — technique 10: iam:CreateAccessKey on another (admin) user.
resource "aws_iam_user" "t10_key_minter" {
  name = "corpus6-t10-key-minter"
}

data "aws_iam_policy_document" "t10" {
  statement {
    effect    = "Allow"
    actions   = ["iam:CreateAccessKey"]
    resources = [aws_iam_user.tgt_admin_user.arn]
  }
}

resource "aws_iam_user_policy" "t10" {
  name   = "corpus6-t10-inline"
  user   = aws_iam_user.t10_key_minter.name
  policy = data.aws_iam_policy_document.t10.json
}

# T11 — technique 11: iam:CreateLoginProfile on an admin user that has no console password
# (grant comes from a managed policy attached to the user's group).
resource "aws_iam_user" "t11_login_creator" {
  name = "corpus6-t11-login-creator"
}

resource "aws_iam_group" "t11" {
  name = "corpus6-t11-group"
}

resource "aws_iam_user_group_membership" "t11" {
  user   = aws_iam_user.t11_login_creator.name
  groups = [aws_iam_group.t11.name]
}

resource "aws_iam_policy" "t11" {
  name = "corpus6-t11-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:CreateLoginProfile"
        Resource = aws_iam_user.tgt_admin_user.arn
      }
    ]
  })
}

resource "aws_iam_group_policy_attachment" "t11" {
  group      = aws_iam_group.t11.name
  policy_arn = aws_iam_policy.t11.arn
}

# T12 — technique 12: iam:UpdateLoginProfile on an admin user that has a console password.
resource "aws_iam_user" "t12_password_resetter" {
  name = "corpus6-t12-password-resetter"
}

resource "aws_iam_user_policy" "t12" {
  name = "corpus6-t12-inline"
  user = aws_iam_user.t12_password_resetter.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:UpdateLoginProfile"
        Resource = aws_iam_user.tgt_admin_console.arn
      }
    ]
  })
}

# T13 — technique 13: iam:UpdateAssumeRolePolicy + sts:AssumeRole on an admin role whose
# current trust does not admit the user (trusts ec2 only, no instance profile).
resource "aws_iam_user" "t13_trust_rewriter" {
  name = "corpus6-t13-trust-rewriter"
}

data "aws_iam_policy_document" "t13" {
  statement {
    sid       = "RewriteTrust"
    effect    = "Allow"
    actions   = ["iam:UpdateAssumeRolePolicy"]
    resources = [aws_iam_role.tgt_locked_admin.arn]
  }
  statement {
    sid       = "ThenAssume"
    effect    = "Allow"
    actions   = ["sts:AssumeRole"]
    resources = [aws_iam_role.tgt_locked_admin.arn]
  }
}

resource "aws_iam_user_policy" "t13" {
  name   = "corpus6-t13-inline"
  user   = aws_iam_user.t13_trust_rewriter.name
  policy = data.aws_iam_policy_document.t13.json
}

# BND10 — technique 10 through a permissions boundary: the AWS managed IAMFullAccess is attached,
# but the boundary only allows iam:CreateAccessKey on the admin user, so the effective
# permissions are exactly CreateAccessKey on that user (self-modification is cut off by the boundary).
resource "aws_iam_policy" "bnd10_boundary" {
  name = "corpus6-bnd10-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:CreateAccessKey"
        Resource = aws_iam_user.tgt_admin_user.arn
      }
    ]
  })
}

resource "aws_iam_user" "bnd10_bounded_iamfull" {
  name                 = "corpus6-bnd10-bounded-iamfull"
  permissions_boundary = aws_iam_policy.bnd10_boundary.arn
}

resource "aws_iam_user_policy_attachment" "bnd10" {
  user       = aws_iam_user.bnd10_bounded_iamfull.name
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess"
}
