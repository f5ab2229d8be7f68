variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "ami_id" {
  description = "AMI for the web and bastion hosts"
  type        = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "web" {
  type = object({
    instance_type = string
    min_size      = optional(number, 2)
    max_size      = optional(number, 4)
    imds_tokens   = optional(string, "optional")
  })
  default = {
    instance_type = "t3.small"
  }
}
