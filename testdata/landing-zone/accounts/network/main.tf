provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::777777777777:role/OrganizationAccountAccessRole"
  }
}

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  default_route_table_association = "disable"
}
