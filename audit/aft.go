package audit

import (
	"encoding/json"
	"fmt"

	"github.com/strider-sec/strider/graph"
)

// AFT (Account Factory for Terraform) vends an account for each item its
// aft-account-request module writes to the aft-request DynamoDB table:
// control_tower_parameters name the account and its OU. The account has
// no ID until AFT creates it, so it is known by its name.

// aftRequest is what an account request says.
type aftRequest struct {
	ControlTower struct {
		M struct {
			AccountName               struct{ S string }
			AccountEmail              struct{ S string }
			ManagedOrganizationalUnit struct{ S string }
		}
	} `json:"control_tower_parameters"`
}

// aftRequests adds the accounts requested through AFT.
func (b *builder) aftRequests() {
	for _, r := range b.g.Resources {
		if r.Addr.Type != "aws_dynamodb_table_item" || r.Addr.Mode != graph.Managed {
			continue
		}
		if t := r.StringAttr("table_name"); t.State != graph.Set || t.V != "aft-request" {
			continue
		}
		item := r.StringAttr("item")
		if item.State != graph.Set {
			b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("the account requested by %s cannot be known statically", r.Addr))
			continue
		}
		var req aftRequest
		if err := json.Unmarshal([]byte(item.V), &req); err != nil || req.ControlTower.M.AccountName.S == "" {
			b.rep.Notes = append(b.rep.Notes, fmt.Sprintf("%s writes to aft-request an item without control_tower_parameters.AccountName", r.Addr))
			continue
		}
		p := req.ControlTower.M
		a := b.ensure("", p.AccountName.S)
		if a.Address == "" {
			a.Address = r.Addr.String()
		}
		if a.Path == "" && p.ManagedOrganizationalUnit.S != "" {
			a.Path = "requested in OU " + p.ManagedOrganizationalUnit.S
		}
		a.Requested = "Account Factory for Terraform (" + r.Addr.String() + ")"
		b.rep.Requests = append(b.rep.Requests, AccountRequest{Account: a.Key, Name: p.AccountName.S,
			Email: p.AccountEmail.S, OU: p.ManagedOrganizationalUnit.S, Address: r.Addr.String()})
	}
}

// AccountRequest is an account the tree asks Account Factory for.
type AccountRequest struct {
	Account string // account key
	Name    string
	Email   string
	OU      string
	Address string
}
