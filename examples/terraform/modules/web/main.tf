variable "name" { type = string }
variable "ami_id" { type = string }
variable "instance_type" { type = string }
variable "subnet_ids" { type = list(string) }
variable "target_group_vpc" { type = string }
variable "min_size" { type = number }
variable "max_size" { type = number }

variable "imds_tokens" {
  description = "required enforces IMDSv2"
  type        = string
  default     = "required"
}

resource "aws_iam_role" "web" {
  name = "${var.name}-web"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_iam_instance_profile" "web" {
  name = "${var.name}-web"
  role = aws_iam_role.web.name
}

resource "aws_launch_template" "web" {
  name_prefix   = "${var.name}-web-"
  image_id      = var.ami_id
  instance_type = var.instance_type

  iam_instance_profile {
    arn = aws_iam_instance_profile.web.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = var.imds_tokens
    http_put_response_hop_limit = 2
  }
}

resource "aws_lb_target_group" "web" {
  name     = "${var.name}-web"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.target_group_vpc
}

resource "aws_autoscaling_group" "web" {
  name                = "${var.name}-web"
  min_size            = var.min_size
  max_size            = var.max_size
  vpc_zone_identifier = var.subnet_ids
  target_group_arns   = [aws_lb_target_group.web.arn]

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}

# Batch workers run from the same template and must not weaken it.
resource "aws_instance" "worker" {
  count     = 2
  subnet_id = var.subnet_ids[count.index]

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}
