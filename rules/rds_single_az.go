package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// RDSSingleAZ flags RDS DB instances that run in one Availability Zone.
var RDSSingleAZ = Rule{
	ID:        "SDR-RDS-005",
	Slug:      "rds-single-az",
	Title:     "RDS DB instance runs in a single Availability Zone",
	Severity:  Low,
	Precision: PrecisionLow,
	STRIDE:    []mappings.STRIDE{mappings.DenialOfService},
	ATTACK:    []string{"T1499", "T1490"},
	Rationale: `A single-AZ DB instance is down for as long as its Availability Zone, its host or its storage volume ` +
		`is, and every maintenance or scaling operation that needs a restart takes the application with it. For a ` +
		`tier-1 workload the database is usually the one component that cannot be scaled out or replaced in seconds. ` +
		`Development and test databases are often single-AZ on purpose; the rule cannot tell which is which, hence the ` +
		`low severity and precision. Aurora and Multi-AZ DB clusters replicate across zones by design and are not ` +
		`reported.`,
	Remediation: `Set ` + "`multi_az = true`" + ` (` + "`MultiAZ: true`" + `) for production databases, or move them to ` +
		`Aurora or a Multi-AZ DB cluster.`,
	FixTerraform: `resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.m7g.large"
  allocated_storage = 100
  multi_az          = true
}`,
	FixCloudFormation: `Database:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.m7g.large
    AllocatedStorage: "100"
    MultiAZ: true`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-5",
	},
	Check: checkRDSSingleAZ,
}

func checkRDSSingleAZ(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		d := r.Facets.Database()
		if d == nil || d.Cluster || d.InCluster {
			continue
		}
		switch {
		case d.MultiAZ.State == graph.Absent:
			pass.Reportf(r, r.Range, "%s does not enable Multi-AZ, which is off by default: an Availability Zone or host failure takes the database down", r.Addr)
		case d.MultiAZ.Is(false):
			pass.Reportf(r, d.MultiAZ.Range, "%s runs in a single Availability Zone: a zone or host failure takes the database down", r.Addr)
		}
	}
	return nil
}
