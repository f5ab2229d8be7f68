package rules

import (
	"github.com/strider-sec/strider/mappings"
)

// RDSBackupsDisabled flags RDS instances and clusters whose automated
// backups are turned off.
var RDSBackupsDisabled = Rule{
	ID:        "SDR-RDS-003",
	Slug:      "rds-backups-disabled",
	Title:     "RDS automated backups are disabled",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.DenialOfService, mappings.Tampering},
	ATTACK:    []string{"T1485", "T1490"},
	Rationale: `A backup retention period of 0 turns automated backups and point-in-time recovery off. A dropped table, ` +
		`a ransomware-style encryption of the data, a bad migration or a deleted instance then cannot be undone: the ` +
		`only copies are whatever manual snapshots happen to exist. Attackers who reach the database destroy data ` +
		`precisely where recovery is weakest.`,
	Remediation: `Set ` + "`backup_retention_period`" + ` (` + "`BackupRetentionPeriod`" + `) to at least 7 days, and ` +
		`consider AWS Backup with a vault lock for copies an attacker in the account cannot delete.`,
	FixTerraform: `resource "aws_db_instance" "main" {
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 20
  backup_retention_period = 7
}`,
	FixCloudFormation: `Database:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    AllocatedStorage: "20"
    BackupRetentionPeriod: 7`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-11",
	},
	Check: checkRDSBackupsDisabled,
}

func checkRDSBackupsDisabled(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		d := r.Facets.Database()
		if d == nil || d.InCluster || !d.BackupRetention.Is(0) {
			continue
		}
		pass.Reportf(r, d.BackupRetention.Range, "%s sets a backup retention period of 0 days: automated backups and point-in-time recovery are off", r.Addr)
	}
	return nil
}
