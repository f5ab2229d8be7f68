# ---------------------------------------------------------------------------
# TARGETS (not scored in expected.tsv, listed in README.md / targets.tsv).
# Privileged principals/resources that the positives escalate INTO.
# Every target role trusts exactly one AWS service (or nobody usable), never
# an account root, so no principal can assume them directly.
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "trust_ec2" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "trust_lambda" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "trust_glue" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "trust_cloudformation" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["cloudformation.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "trust_codebuild" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["codebuild.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "trust_sagemaker" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "trust_ecs_tasks" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "trust_apprunner_tasks" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["tasks.apprunner.amazonaws.com"]
    }
  }
}

# --- EC2 admin role + instance profile (PassRole target for 15 and 16; role of the running instance) ---
resource "aws_iam_role" "tgt_ec2_admin" {
  name               = "corpus6-tgt-ec2-admin"
  assume_role_policy = data.aws_iam_policy_document.trust_ec2.json
}

resource "aws_iam_role_policy_attachment" "tgt_ec2_admin" {
  role       = aws_iam_role.tgt_ec2_admin.name
  policy_arn = local.admin_policy_arn
}

resource "aws_iam_instance_profile" "tgt_ec2_admin" {
  name = "corpus6-tgt-ec2-admin"
  role = aws_iam_role.tgt_ec2_admin.name
}

# --- Lambda admin role (PassRole target for 22; role of the existing function used by 25) ---
resource "aws_iam_role" "tgt_lambda_admin" {
  name               = "corpus6-tgt-lambda-admin"
  assume_role_policy = data.aws_iam_policy_document.trust_lambda.json
}

resource "aws_iam_role_policy_attachment" "tgt_lambda_admin" {
  role       = aws_iam_role.tgt_lambda_admin.name
  policy_arn = local.admin_policy_arn
}

# --- Glue admin role (PassRole target for 27 and 29) ---
resource "aws_iam_role" "tgt_glue_admin" {
  name               = "corpus6-tgt-glue-admin"
  assume_role_policy = data.aws_iam_policy_document.trust_glue.json
}

resource "aws_iam_role_policy_attachment" "tgt_glue_admin" {
  role       = aws_iam_role.tgt_glue_admin.name
  policy_arn = local.admin_policy_arn
}

# --- CloudFormation admin service role (PassRole target for 30; service role of the stack used by 31) ---
resource "aws_iam_role" "tgt_cfn_admin" {
  name               = "corpus6-tgt-cfn-admin"
  assume_role_policy = data.aws_iam_policy_document.trust_cloudformation.json
}

resource "aws_iam_role_policy_attachment" "tgt_cfn_admin" {
  role       = aws_iam_role.tgt_cfn_admin.name
  policy_arn = local.admin_policy_arn
}

# --- CodeBuild admin role (PassRole target for 34) ---
resource "aws_iam_role" "tgt_codebuild_admin" {
  name               = "corpus6-tgt-codebuild-admin"
  assume_role_policy = data.aws_iam_policy_document.trust_codebuild.json
}

resource "aws_iam_role_policy_attachment" "tgt_codebuild_admin" {
  role       = aws_iam_role.tgt_codebuild_admin.name
  policy_arn = local.admin_policy_arn
}

# --- SageMaker admin role (PassRole target for 36 and 37) ---
resource "aws_iam_role" "tgt_sagemaker_admin" {
  name               = "corpus6-tgt-sagemaker-admin"
  assume_role_policy = data.aws_iam_policy_document.trust_sagemaker.json
}

resource "aws_iam_role_policy_attachment" "tgt_sagemaker_admin" {
  role       = aws_iam_role.tgt_sagemaker_admin.name
  policy_arn = local.admin_policy_arn
}

# --- ECS task admin role (PassRole target for 40) ---
resource "aws_iam_role" "tgt_ecs_task_admin" {
  name               = "corpus6-tgt-ecs-task-admin"
  assume_role_policy = data.aws_iam_policy_document.trust_ecs_tasks.json
}

resource "aws_iam_role_policy_attachment" "tgt_ecs_task_admin" {
  role       = aws_iam_role.tgt_ecs_task_admin.name
  policy_arn = local.admin_policy_arn
}

# --- App Runner instance (tasks) admin role (PassRole target for 42) ---
resource "aws_iam_role" "tgt_apprunner_admin" {
  name               = "corpus6-tgt-apprunner-admin"
  assume_role_policy = data.aws_iam_policy_document.trust_apprunner_tasks.json
}

resource "aws_iam_role_policy_attachment" "tgt_apprunner_admin" {
  role       = aws_iam_role.tgt_apprunner_admin.name
  policy_arn = local.admin_policy_arn
}

# --- Admin role that trusts only EC2, has NO instance profile and is passed by nobody.
#     Target of 13 (rewrite trust) and of control c10 (plain AssumeRole, refused by trust).
resource "aws_iam_role" "tgt_locked_admin" {
  name               = "corpus6-tgt-locked-admin"
  assume_role_policy = data.aws_iam_policy_document.trust_ec2.json
}

resource "aws_iam_role_policy_attachment" "tgt_locked_admin" {
  role       = aws_iam_role.tgt_locked_admin.name
  policy_arn = local.admin_policy_arn
}

# --- Admin user WITHOUT a console password (target of 10, 11, the multi-hop role and the boundary positive) ---
resource "aws_iam_user" "tgt_admin_user" {
  name = "corpus6-tgt-admin-user"
}

resource "aws_iam_user_policy_attachment" "tgt_admin_user" {
  user       = aws_iam_user.tgt_admin_user.name
  policy_arn = local.admin_policy_arn
}

# --- Admin user WITH a console password (target of 12) ---
resource "aws_iam_user" "tgt_admin_console" {
  name = "corpus6-tgt-admin-console"
}

resource "aws_iam_user_policy_attachment" "tgt_admin_console" {
  user       = aws_iam_user.tgt_admin_console.name
  policy_arn = local.admin_policy_arn
}

resource "aws_iam_user_login_profile" "tgt_admin_console" {
  user                    = aws_iam_user.tgt_admin_console.name
  password_reset_required = true
}

# --- Privileged group with NO members (target of 9) ---
resource "aws_iam_group" "tgt_admins" {
  name = "corpus6-tgt-admins"
}

resource "aws_iam_group_policy_attachment" "tgt_admins" {
  group      = aws_iam_group.tgt_admins.name
  policy_arn = local.admin_policy_arn
}

# --- Running instance with the admin instance profile (target of 17, 20, 21) ---
resource "aws_instance" "managed" {
  ami                  = "ami-0123456789abcdef0"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.tgt_ec2_admin.name

  tags = {
    Name = "corpus6-managed"
  }
}

# --- Existing Lambda function running as the admin Lambda role (target of 25) ---
resource "aws_lambda_function" "priv" {
  function_name = "corpus6-priv-fn"
  role          = aws_iam_role.tgt_lambda_admin.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  s3_bucket     = "corpus6-artifacts-111122223333"
  s3_key        = "priv-fn.zip"
}

# --- Existing stack with the admin CloudFormation service role (target of 31) ---
resource "aws_cloudformation_stack" "svc" {
  name         = "corpus6-svc-stack"
  iam_role_arn = aws_iam_role.tgt_cfn_admin.arn
  template_body = jsonencode({
    AWSTemplateFormatVersion = "2010-09-09"
    Resources = {
      Placeholder = {
        Type = "AWS::CloudFormation::WaitConditionHandle"
      }
    }
  })
}

# --- ECS cluster to run tasks in (used by 40) ---
resource "aws_ecs_cluster" "main" {
  name = "corpus6-cluster"
}
