package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// DynamoDBPITRDisabled flags DynamoDB tables without point-in-time
// recovery.
var DynamoDBPITRDisabled = Rule{
	ID:        "SDR-DDB-001",
	Slug:      "dynamodb-pitr-disabled",
	Title:     "DynamoDB table has no point-in-time recovery",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.DenialOfService, mappings.Tampering},
	ATTACK:    []string{"T1485", "T1490"},
	Rationale: `Point-in-time recovery keeps continuous backups of a table for up to 35 days and restores it to any ` +
		`second in that window. Without it, items overwritten or deleted — by a bug, a bad deployment or an attacker ` +
		`with write access running a mass delete — are gone unless someone took an on-demand backup beforehand. It is ` +
		`off unless enabled.`,
	Remediation: `Enable ` + "`point_in_time_recovery { enabled = true }`" + ` (` +
		"`PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}`" + `).`,
	FixTerraform: `resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}`,
	FixCloudFormation: `Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema:
      - AttributeName: id
        KeyType: HASH
    AttributeDefinitions:
      - AttributeName: id
        AttributeType: S
    PointInTimeRecoverySpecification:
      PointInTimeRecoveryEnabled: true`,
	References: []string{
		"https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html#dynamodb-2",
	},
	Check: checkDynamoDBPITRDisabled,
}

func checkDynamoDBPITRDisabled(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		t := r.Facets.Table()
		if t == nil {
			continue
		}
		switch {
		case t.PITR.State == graph.Absent:
			pass.Reportf(r, t.Block, "%s does not enable point-in-time recovery, which is off by default: deleted or overwritten items cannot be restored", r.Addr)
		case t.PITR.Is(false):
			pass.Reportf(r, t.PITR.Range, "%s disables point-in-time recovery: deleted or overwritten items cannot be restored", r.Addr)
		}
	}
	return nil
}
