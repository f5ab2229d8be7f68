# ---------------------------------------------------------------------------
# POSITIVES, compute / service techniques. Each principal has EXACTLY ONE technique.
# iam:PassRole is always scoped to one target role ARN whose trust admits the
# service the principal can drive.
# ---------------------------------------------------------------------------

# T15 — technique 15: PassRole(EC2 admin role) + ec2:RunInstances.
resource "aws_iam_user" "t15_ec2_launcher" {
  name = "corpus6-t15-ec2-launcher"
}

resource "aws_iam_user_policy" "t15" {
  name = "corpus6-t15-inline"
  user = aws_iam_user.t15_ec2_launcher.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PassEc2AdminRole"
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.tgt_ec2_admin.arn
      },
      {
        Sid      = "Launch"
        Effect   = "Allow"
        Action   = "ec2:RunInstances"
        Resource = "*"
      }
    ]
  })
}

# T16 — technique 16: PassRole(EC2 admin role) + ec2:AssociateIamInstanceProfile (no RunInstances).
resource "aws_iam_user" "t16_profile_associator" {
  name = "corpus6-t16-profile-associator"
}

data "aws_iam_policy_document" "t16" {
  statement {
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.tgt_ec2_admin.arn]
  }
  statement {
    effect    = "Allow"
    actions   = ["ec2:AssociateIamInstanceProfile"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "t16" {
  name   = "corpus6-t16-policy"
  policy = data.aws_iam_policy_document.t16.json
}

resource "aws_iam_user_policy_attachment" "t16" {
  user       = aws_iam_user.t16_profile_associator.name
  policy_arn = aws_iam_policy.t16.arn
}

# R17 — technique 17: a role that may stop the admin-profile instance, change its user data, start it.
resource "aws_iam_role" "r17_userdata_editor" {
  name = "corpus6-r17-userdata-editor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "codebuild.amazonaws.com" }
      }
    ]
  })
}

resource "aws_iam_role_policy" "r17" {
  name = "corpus6-r17-inline"
  role = aws_iam_role.r17_userdata_editor.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "ec2:StopInstances",
          "ec2:ModifyInstanceAttribute",
          "ec2:StartInstances",
        ]
        Resource = "arn:aws:ec2:us-east-1:${local.account_id}:instance/${aws_instance.managed.id}"
      }
    ]
  })
}

# T20 — technique 20: ssm:SendCommand (the account has an SSM-reachable instance with the admin profile).
resource "aws_iam_user" "t20_ssm_commander" {
  name = "corpus6-t20-ssm-commander"
}

resource "aws_iam_user_policy" "t20" {
  name = "corpus6-t20-inline"
  user = aws_iam_user.t20_ssm_commander.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "ssm:SendCommand"
        Resource = "*"
      }
    ]
  })
}

# T21 — technique 21: ssm:StartSession.
resource "aws_iam_user" "t21_ssm_session" {
  name = "corpus6-t21-ssm-session"
}

resource "aws_iam_user_policy" "t21" {
  name = "corpus6-t21-inline"
  user = aws_iam_user.t21_ssm_session.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "ssm:StartSession"
        Resource = "*"
      }
    ]
  })
}

# T22 — technique 22: PassRole(Lambda admin role) + lambda:CreateFunction + lambda:InvokeFunction.
resource "aws_iam_user" "t22_lambda_creator" {
  name = "corpus6-t22-lambda-creator"
}

data "aws_iam_policy_document" "t22" {
  statement {
    sid       = "PassLambdaAdmin"
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.tgt_lambda_admin.arn]
  }
  statement {
    sid     = "CreateAndInvokeOwnFunctions"
    effect  = "Allow"
    actions = ["lambda:CreateFunction", "lambda:InvokeFunction"]
    resources = [
      "arn:aws:lambda:us-east-1:${local.account_id}:function:corpus6-t22-*",
    ]
  }
}

resource "aws_iam_user_policy" "t22" {
  name   = "corpus6-t22-inline"
  user   = aws_iam_user.t22_lambda_creator.name
  policy = data.aws_iam_policy_document.t22.json
}

# T25 — technique 25: lambda:UpdateFunctionCode (+ InvokeFunction) on an existing function running as admin.
resource "aws_iam_user" "t25_lambda_patcher" {
  name = "corpus6-t25-lambda-patcher"
}

resource "aws_iam_user_policy" "t25" {
  name = "corpus6-t25-inline"
  user = aws_iam_user.t25_lambda_patcher.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["lambda:UpdateFunctionCode", "lambda:InvokeFunction"]
        Resource = aws_lambda_function.priv.arn
      }
    ]
  })
}

# T27 — technique 27: PassRole(Glue admin role) + glue:CreateDevEndpoint.
resource "aws_iam_user" "t27_glue_devendpoint" {
  name = "corpus6-t27-glue-devendpoint"
}

resource "aws_iam_user_policy" "t27" {
  name = "corpus6-t27-inline"
  user = aws_iam_user.t27_glue_devendpoint.name
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
        Action   = "glue:CreateDevEndpoint"
        Resource = "*"
      }
    ]
  })
}

# T29 — technique 29: PassRole(Glue admin role) + glue:CreateJob + glue:StartJobRun.
resource "aws_iam_user" "t29_glue_job" {
  name = "corpus6-t29-glue-job"
}

resource "aws_iam_group" "t29" {
  name = "corpus6-t29-group"
}

resource "aws_iam_user_group_membership" "t29" {
  user   = aws_iam_user.t29_glue_job.name
  groups = [aws_iam_group.t29.name]
}

resource "aws_iam_group_policy" "t29" {
  name  = "corpus6-t29-group-inline"
  group = aws_iam_group.t29.name
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
        Action   = ["glue:CreateJob", "glue:StartJobRun"]
        Resource = "*"
      }
    ]
  })
}

# T30 — technique 30: PassRole(CloudFormation admin service role) + cloudformation:CreateStack.
resource "aws_iam_user" "t30_stack_creator" {
  name = "corpus6-t30-stack-creator"
}

data "aws_iam_policy_document" "t30" {
  statement {
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.tgt_cfn_admin.arn]
  }
  statement {
    effect    = "Allow"
    actions   = ["cloudformation:CreateStack"]
    resources = ["arn:aws:cloudformation:us-east-1:${local.account_id}:stack/corpus6-t30-*/*"]
  }
}

resource "aws_iam_user_policy" "t30" {
  name   = "corpus6-t30-inline"
  user   = aws_iam_user.t30_stack_creator.name
  policy = data.aws_iam_policy_document.t30.json
}

# T31 — technique 31: cloudformation:UpdateStack on an existing stack that has the admin service role
# (CloudFormation reuses the stack's role; no iam:PassRole needed).
resource "aws_iam_user" "t31_stack_updater" {
  name = "corpus6-t31-stack-updater"
}

resource "aws_iam_user_policy" "t31" {
  name = "corpus6-t31-inline"
  user = aws_iam_user.t31_stack_updater.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "cloudformation:UpdateStack"
        Resource = "arn:aws:cloudformation:us-east-1:${local.account_id}:stack/${aws_cloudformation_stack.svc.name}/*"
      }
    ]
  })
}

# T34 — technique 34: PassRole(CodeBuild admin role) + codebuild:CreateProject + codebuild:StartBuild.
resource "aws_iam_user" "t34_codebuild" {
  name = "corpus6-t34-codebuild"
}

resource "aws_iam_policy" "t34" {
  name = "corpus6-t34-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.tgt_codebuild_admin.arn
      },
      {
        Effect   = "Allow"
        Action   = ["codebuild:CreateProject", "codebuild:StartBuild"]
        Resource = "arn:aws:codebuild:us-east-1:${local.account_id}:project/corpus6-t34-*"
      }
    ]
  })
}

resource "aws_iam_user_policy_attachment" "t34" {
  user       = aws_iam_user.t34_codebuild.name
  policy_arn = aws_iam_policy.t34.arn
}

# T36 — technique 36: PassRole(SageMaker admin role) + sagemaker:CreateNotebookInstance
# + sagemaker:CreatePresignedNotebookInstanceUrl.
resource "aws_iam_user" "t36_notebook" {
  name = "corpus6-t36-notebook"
}

resource "aws_iam_user_policy" "t36" {
  name = "corpus6-t36-inline"
  user = aws_iam_user.t36_notebook.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.tgt_sagemaker_admin.arn
      },
      {
        Effect = "Allow"
        Action = [
          "sagemaker:CreateNotebookInstance",
          "sagemaker:CreatePresignedNotebookInstanceUrl",
        ]
        Resource = "*"
      }
    ]
  })
}

# R37 — technique 37: a role with PassRole(SageMaker admin role) + sagemaker:CreateTrainingJob.
resource "aws_iam_role" "r37_training" {
  name = "corpus6-r37-training"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "ec2.amazonaws.com" }
      }
    ]
  })
}

data "aws_iam_policy_document" "r37" {
  statement {
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.tgt_sagemaker_admin.arn]
  }
  statement {
    effect    = "Allow"
    actions   = ["sagemaker:CreateTrainingJob"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "r37" {
  name   = "corpus6-r37-inline"
  role   = aws_iam_role.r37_training.id
  policy = data.aws_iam_policy_document.r37.json
}

# T40 — technique 40: PassRole(ECS task admin role) + ecs:RegisterTaskDefinition + ecs:RunTask.
resource "aws_iam_user" "t40_ecs_runner" {
  name = "corpus6-t40-ecs-runner"
}

resource "aws_iam_user_policy" "t40" {
  name = "corpus6-t40-inline"
  user = aws_iam_user.t40_ecs_runner.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.tgt_ecs_task_admin.arn
      },
      {
        Effect   = "Allow"
        Action   = ["ecs:RegisterTaskDefinition", "ecs:RunTask"]
        Resource = "*"
      }
    ]
  })
}

# T42 — technique 42: PassRole(App Runner instance admin role) + apprunner:CreateService.
resource "aws_iam_user" "t42_apprunner" {
  name = "corpus6-t42-apprunner"
}

resource "aws_iam_user_policy" "t42" {
  name = "corpus6-t42-inline"
  user = aws_iam_user.t42_apprunner.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.tgt_apprunner_admin.arn
      },
      {
        Effect   = "Allow"
        Action   = "apprunner:CreateService"
        Resource = "*"
      }
    ]
  })
}
