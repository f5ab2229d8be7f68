package rules

import (
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// shortDeletionWindow is the waiting period below which a scheduled key
// deletion is likely to complete before anyone notices: under two weeks
// spans at most one or two on-call rotations and review cycles.
const shortDeletionWindow = 14

// KMSShortDeletionWindow flags KMS keys whose deletion waiting period is
// short. Its ID lies in the 1NN range, apart from the key-policy rules.
var KMSShortDeletionWindow = Rule{
	ID:        "SDR-KMS-101",
	Slug:      "kms-key-short-deletion-window",
	Title:     "KMS key can be deleted after a short waiting period",
	Severity:  Low,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.DenialOfService},
	ATTACK:    []string{"T1485", "T1486"},
	Rationale: `Deleting a KMS key destroys every piece of data encrypted under it — volumes, snapshots, backups, ` +
		`database storage, secrets — beyond recovery. AWS enforces a waiting period between ` + "`ScheduleKeyDeletion`" +
		` and deletion, during which the deletion can be cancelled; it is the only chance to notice an attacker (or a ` +
		`mistake) at work. A window of 7 to 13 days leaves little time for a weekly review or an alarm to be acted on. ` +
		`Keep the maximum and alarm on ` + "`ScheduleKeyDeletion`" + ` events; the rule cannot see such an alarm, which ` +
		`is why its precision is medium.`,
	Remediation: `Leave ` + "`deletion_window_in_days`" + ` (` + "`PendingWindowInDays`" + `) at 30, and alert on ` +
		"`kms:ScheduleKeyDeletion`" + ` with an EventBridge rule or a CloudTrail metric filter.`,
	FixTerraform: `resource "aws_kms_key" "data" {
  description             = "data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}`,
	FixCloudFormation: `DataKey:
  Type: AWS::KMS::Key
  Properties:
    Description: data
    EnableKeyRotation: true
    PendingWindowInDays: 30`,
	References: []string{
		"https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
		"https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-creating-cloudwatch-alarm.html",
	},
	Check: checkKMSShortDeletionWindow,
}

func checkKMSShortDeletionWindow(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		k := r.Facets.KeyDeletion()
		if k == nil || k.WindowDays.State != graph.Set || k.WindowDays.V >= shortDeletionWindow {
			continue
		}
		pass.Reportf(r, k.WindowDays.Range, "%s can be deleted %d days after deletion is scheduled, destroying all data encrypted under it", r.Addr, k.WindowDays.V)
	}
	return nil
}
