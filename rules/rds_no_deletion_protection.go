package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// RDSNoDeletionProtection flags RDS instances and clusters that can be
// deleted by a single API call.
var RDSNoDeletionProtection = Rule{
	ID:        "SDR-RDS-004",
	Slug:      "rds-deletion-protection-disabled",
	Title:     "RDS database has no deletion protection",
	Severity:  Low,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.DenialOfService},
	ATTACK:    []string{"T1485"},
	Rationale: `Without deletion protection one ` + "`DeleteDBInstance`" + ` or ` + "`DeleteDBCluster`" + ` call — from ` +
		`a stolen credential, a mistaken ` + "`terraform destroy`" + ` or a stack deletion — removes the database, and ` +
		`with skip-final-snapshot its data. Deletion protection forces a separate, deliberate modification first. ` +
		`Scratch and test databases may go without it; the rule cannot tell them apart from production, hence the ` +
		`low severity.`,
	Remediation: `Set ` + "`deletion_protection = true`" + ` (` + "`DeletionProtection: true`" + `) on every database that ` +
		`holds data you need to keep.`,
	FixTerraform: `resource "aws_rds_cluster" "main" {
  engine              = "aurora-postgresql"
  master_username     = "app"
  deletion_protection = true
}`,
	FixCloudFormation: `Cluster:
  Type: AWS::RDS::DBCluster
  Properties:
    Engine: aurora-postgresql
    DeletionProtection: true`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-8",
	},
	Check: checkRDSNoDeletionProtection,
}

func checkRDSNoDeletionProtection(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		d := r.Facets.Database()
		if d == nil || d.InCluster {
			continue
		}
		switch {
		case d.DeletionProtection.State == graph.Absent:
			pass.Reportf(r, r.Range, "%s does not enable deletion protection, which is off by default: one API call deletes it", r.Addr)
		case d.DeletionProtection.Is(false):
			pass.Reportf(r, d.DeletionProtection.Range, "%s disables deletion protection: one API call deletes it", r.Addr)
		}
	}
	return nil
}
