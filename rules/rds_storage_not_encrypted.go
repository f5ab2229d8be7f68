package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// RDSStorageNotEncrypted flags RDS instances and clusters whose storage,
// automated backups and snapshots are not encrypted at rest.
var RDSStorageNotEncrypted = Rule{
	ID:        "SDR-RDS-002",
	Slug:      "rds-storage-not-encrypted",
	Title:     "RDS storage is not encrypted at rest",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure},
	ATTACK:    []string{"T1530", "T1537"},
	Rationale: `Without storage encryption the database volumes, its automated backups, read replicas and every ` +
		`snapshot are stored in plain form. A snapshot copied or shared to another account — by mistake, by an insider ` +
		`or by an attacker with ` + "`rds:ModifyDBSnapshotAttribute`" + ` — is then readable without any key, and no KMS ` +
		`key policy or CloudTrail decrypt event stands in the way. Encryption cannot be turned on for an existing ` +
		`instance: it takes a snapshot copy and a restore, so it must be right at creation.`,
	Remediation: `Set ` + "`storage_encrypted = true`" + ` (` + "`StorageEncrypted: true`" + `), preferably with a ` +
		`customer-managed KMS key (` + "`kms_key_id`" + ` / ` + "`KmsKeyId`" + `) whose key policy limits who may decrypt. ` +
		`For an existing database, copy a snapshot with encryption enabled and restore from it.`,
	FixTerraform: `resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  storage_encrypted = true
  kms_key_id        = aws_kms_key.rds.arn
}`,
	FixCloudFormation: `Database:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    AllocatedStorage: "20"
    StorageEncrypted: true
    KmsKeyId: !GetAtt RdsKey.Arn`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-3",
	},
	Check: checkRDSStorageNotEncrypted,
}

func checkRDSStorageNotEncrypted(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		d := r.Facets.Database()
		// A cluster member's storage is the cluster's; a restore or replica
		// inherits its source's encryption, which the code does not show.
		if d == nil || d.InCluster || d.FromSource.State != graph.Absent {
			continue
		}
		// A KMS key cannot be given without enabling encryption.
		if d.KMSKey.State != graph.Absent {
			continue
		}
		switch d.StorageEncrypted.State {
		case graph.Absent:
			if d.Cluster && d.EngineMode.Is("serverless") {
				continue // Aurora Serverless v1 clusters are always encrypted
			}
			pass.Reportf(r, r.Range, "%s does not enable storage encryption, which is off by default: its volumes, backups and snapshots are stored unencrypted", r.Addr)
		case graph.Unknown:
			pass.Notef(r, d.StorageEncrypted.Range, "cannot tell whether %s encrypts its storage: the setting is not known before apply", r.Addr)
		case graph.Set:
			if !d.StorageEncrypted.V {
				pass.Reportf(r, d.StorageEncrypted.Range, "%s disables storage encryption: its volumes, backups and snapshots are stored unencrypted", r.Addr)
			}
		}
	}
	return nil
}
