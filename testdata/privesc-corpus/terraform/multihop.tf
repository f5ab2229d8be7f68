# ---------------------------------------------------------------------------
# MULTI-HOP: user mh_u can sts:AssumeRole role mh_a (mh_a's trust names mh_u's ARN).
# mh_a has exactly one technique (10: CreateAccessKey on the admin user).
# mh_u's only own path is the assume (technique 14); transitively it reaches mh_a's 10.
# ---------------------------------------------------------------------------

resource "aws_iam_user" "mh_u" {
  name = "corpus6-mh-u"
}

resource "aws_iam_role" "mh_a" {
  name = "corpus6-mh-a"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OnlyMhU"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = aws_iam_user.mh_u.arn }
      }
    ]
  })
}

resource "aws_iam_role_policy" "mh_a" {
  name = "corpus6-mh-a-inline"
  role = aws_iam_role.mh_a.id
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

resource "aws_iam_user_policy" "mh_u" {
  name = "corpus6-mh-u-inline"
  user = aws_iam_user.mh_u.name
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
