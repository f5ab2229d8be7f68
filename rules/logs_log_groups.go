package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// LogGroupNotKMSEncrypted flags CloudWatch log groups without a
// customer-managed KMS key.
var LogGroupNotKMSEncrypted = Rule{
	ID:        "SDR-LOGS-001",
	Slug:      "log-group-not-kms-encrypted",
	Title:     "CloudWatch log group is not encrypted with a KMS key",
	Severity:  Low,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure},
	ATTACK:    []string{"T1530", "T1552"},
	Rationale: `Application logs routinely carry what should never be logged — tokens, personal data, request ` +
		`bodies, stack traces with connection strings. Without a KMS key a log group is encrypted with a key AWS ` +
		`manages, and any principal with ` + "`logs:GetLogEvents`" + ` or ` + "`logs:StartQuery`" + ` on it reads ` +
		`everything. A customer-managed key adds a second, separately governed permission (` + "`kms:Decrypt`" + `) ` +
		`and makes every read visible in CloudTrail.`,
	Remediation: `Set ` + "`kms_key_id`" + ` (` + "`KmsKeyId`" + `) to a customer-managed key whose policy allows the ` +
		`CloudWatch Logs service principal of the region to use it.`,
	FixTerraform: `resource "aws_cloudwatch_log_group" "api" {
  name              = "/app/api"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn
}`,
	FixCloudFormation: `ApiLogs:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: /app/api
    RetentionInDays: 365
    KmsKeyId: !GetAtt LogsKey.Arn`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
	},
	Check: checkLogGroupNotKMSEncrypted,
}

func checkLogGroupNotKMSEncrypted(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		if lg := r.Facets.LogGroup(); lg != nil && lg.KMSKey.State == graph.Absent {
			pass.Reportf(r, r.Range, "%s sets no KMS key: anyone allowed to read its events reads them without a key permission", r.Addr)
		}
	}
	return nil
}

// LogGroupNoRetention flags CloudWatch log groups that keep events
// forever.
var LogGroupNoRetention = Rule{
	ID:        "SDR-LOGS-002",
	Slug:      "log-group-retention-not-set",
	Title:     "CloudWatch log group keeps events forever (no retention set)",
	Severity:  Low,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Repudiation},
	ATTACK:    []string{"T1530"},
	Rationale: `A log group without a retention period keeps every event forever. Whatever sensitive data reached ` +
		`the logs stays readable indefinitely — a growing store for anyone who later gains read access — and nobody ` +
		`decided how long the evidence must be kept, so it is just as likely to be cleaned up by hand, all at once, when ` +
		`the bill grows. A deliberate retention (365 days or what your policy requires) keeps the evidence you need ` +
		`for investigations and drops the rest.`,
	Remediation: `Set ` + "`retention_in_days`" + ` (` + "`RetentionInDays`" + `) to the period your logging policy ` +
		`requires, typically 365 days or more for security-relevant logs; archive to S3 with Object Lock for longer.`,
	FixTerraform: `resource "aws_cloudwatch_log_group" "api" {
  name              = "/app/api"
  retention_in_days = 365
}`,
	FixCloudFormation: `ApiLogs:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: /app/api
    RetentionInDays: 365`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
	},
	Check: checkLogGroupNoRetention,
}

func checkLogGroupNoRetention(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		lg := r.Facets.LogGroup()
		switch {
		case lg == nil:
		case lg.Retention.State == graph.Absent:
			pass.Reportf(r, r.Range, "%s sets no retention: its events are kept forever", r.Addr)
		case lg.Retention.Is(0):
			pass.Reportf(r, lg.Retention.Range, "%s sets retention to 0 (never expire): its events are kept forever", r.Addr)
		}
	}
	return nil
}
