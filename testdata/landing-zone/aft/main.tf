# Account Factory for Terraform: account requests, as in the
# aft-account-request repository.
module "analytics" {
  source = "./modules/aft-account-request"

  control_tower_parameters = {
    AccountEmail              = "aws+analytics@example.com"
    AccountName               = "analytics"
    ManagedOrganizationalUnit = "Workloads"
    SSOUserEmail              = "platform@example.com"
    SSOUserFirstName          = "Platform"
    SSOUserLastName           = "Team"
  }

  account_tags = {
    owner = "data"
  }

  change_management_parameters = {
    change_requested_by = "data team"
    change_reason       = "new analytics account"
  }

  account_customizations_name = "analytics"
}
