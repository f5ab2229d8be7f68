package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// RDSPubliclyAccessible flags RDS instances (and Multi-AZ DB clusters)
// that are given a public endpoint.
var RDSPubliclyAccessible = Rule{
	ID:        "SDR-RDS-001",
	Slug:      "rds-publicly-accessible",
	Title:     "RDS database is publicly accessible",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering},
	ATTACK:    []string{"T1190", "T1110", "T1530"},
	Rationale: `A publicly accessible database gets a DNS name that resolves to a public IP address. Whoever the ` +
		`security groups let through — often more than intended, as groups are shared and edited — can then reach ` +
		`the database listener from the internet and try passwords, known engine vulnerabilities or data exfiltration ` +
		`over the database protocol. In the three-tier pattern the database is only ever reached by the application ` +
		`tier inside the VPC and has no reason to be addressable from outside.`,
	Remediation: `Set ` + "`publicly_accessible = false`" + ` (` + "`PubliclyAccessible: false`" + `), place the database in ` +
		`private subnets, and allow its port only from the application tier's security group. Reach it for ` +
		`administration through Session Manager port forwarding or a VPN.`,
	FixTerraform: `resource "aws_db_instance" "main" {
  engine                 = "postgres"
  instance_class         = "db.t4g.medium"
  allocated_storage      = 20
  db_subnet_group_name   = aws_db_subnet_group.private.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  storage_encrypted      = true
  deletion_protection    = true
}`,
	FixCloudFormation: `Database:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    AllocatedStorage: "20"
    DBSubnetGroupName: !Ref PrivateSubnetGroup
    VPCSecurityGroups: [!Ref DbSecurityGroup]
    PubliclyAccessible: false
    StorageEncrypted: true
    DeletionProtection: true`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2",
	},
	Check: checkRDSPubliclyAccessible,
}

func checkRDSPubliclyAccessible(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		d := r.Facets.Database()
		if d != nil && d.PubliclyAccessible.State == graph.Unknown {
			pass.Notef(r, d.PubliclyAccessible.Range, "cannot tell whether %s is publicly accessible: the setting is not known before apply", r.Addr)
			continue
		}
		if d == nil || !d.PubliclyAccessible.Is(true) {
			continue
		}
		pass.Reportf(r, d.PubliclyAccessible.Range,
			"%s is publicly accessible: its endpoint resolves to a public IP address, reachable from the internet wherever its security groups allow", r.Addr)
	}
	return nil
}
