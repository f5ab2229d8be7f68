package rules

import (
	"fmt"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// BackupVaultNotLocked flags AWS Backup vaults whose recovery points can
// be deleted by a privileged principal of the account.
var BackupVaultNotLocked = Rule{
	ID:        "SDR-BACKUP-001",
	Slug:      "backup-vault-not-locked",
	Title:     "AWS Backup vault has no compliance-mode vault lock",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.Tampering, mappings.DenialOfService},
	ATTACK:    []string{"T1490", "T1485"},
	Rationale: `Ransomware operators and destructive insiders delete backups before they strike: with administrator ` +
		`credentials in the account, recovery points in an unlocked vault are one ` + "`DeleteRecoveryPoint`" + ` call ` +
		`away. A vault lock in compliance mode (with a grace period, ` + "`changeable_for_days`" + `) becomes immutable ` +
		`once the grace period ends: nobody, not even the root user, can delete recovery points before their retention ` +
		`expires or remove the lock. A lock in governance mode can still be removed by any principal allowed to delete ` +
		`lock configurations. An unlocked vault in an account whose code also runs workloads (instances, functions, ` +
		`databases) is reported at high severity: the workloads' principals are the first an attacker holds.`,
	Remediation: `Add a vault lock with ` + "`min_retention_days`" + ` and ` + "`changeable_for_days`" + ` ` +
		`(` + "`LockConfiguration`" + ` with ` + "`MinRetentionDays`" + ` and ` + "`ChangeableForDays`" + `) once the ` +
		`retention settings are final, and keep a copy in a vault of another account.`,
	FixTerraform: `resource "aws_backup_vault" "main" {
  name = "main"
}

resource "aws_backup_vault_lock_configuration" "main" {
  backup_vault_name   = aws_backup_vault.main.name
  min_retention_days  = 7
  max_retention_days  = 365
  changeable_for_days = 3
}`,
	FixCloudFormation: `Vault:
  Type: AWS::Backup::BackupVault
  Properties:
    BackupVaultName: main
    LockConfiguration:
      MinRetentionDays: 7
      MaxRetentionDays: 365
      ChangeableForDays: 3`,
	References: []string{
		"https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html",
	},
	Check: checkBackupVaultNotLocked,
}

// workloadAccounts maps each account that the tree states for a workload
// resource to the first such resource, in address order.
func workloadAccounts(g *graph.Graph) map[string]*graph.Resource {
	out := map[string]*graph.Resource{}
	for _, r := range g.Resources {
		if _, ok := workloadTypes[r.Addr.Type]; ok && r.Addr.Mode == graph.Managed && r.Account.State == graph.Set && out[r.Account.V] == nil {
			out[r.Account.V] = r
		}
	}
	return out
}

func checkBackupVaultNotLocked(pass *Pass) error {
	workloads := workloadAccounts(pass.Graph)
	// beside raises an unlocked vault that shares its account with
	// workloads: the principals of those workloads are who an attacker
	// becomes first, and they can wipe the backups that would restore
	// them.
	beside := func(f *Finding, r *graph.Resource) {
		if r.Account.State != graph.Set {
			return
		}
		w := workloads[r.Account.V]
		if w == nil {
			return
		}
		f.Severity = High
		f.Message += fmt.Sprintf(", and it lives in account %s beside its workloads (%s): a compromised workload principal can wipe the backups meant to restore it; keep a copy in a vault of a separate backup or log-archive account", r.Account.V, w.Addr)
		f.Related = append(f.Related, Related{Range: w.Range, Message: "a workload in the same account", Address: w.Addr.String()})
	}
	for _, r := range pass.Graph.Resources {
		v := r.Facets.BackupVault()
		if v == nil {
			continue
		}
		var locks []*graph.VaultLock
		var at graph.Range
		if v.Lock != nil {
			locks = append(locks, v.Lock)
			at = r.AttrRange("LockConfiguration")
		}
		for _, l := range v.Locks {
			locks = append(locks, l.Facets.VaultLock())
			if at.Start.Line == 0 {
				at = l.Range
			}
		}
		if len(locks) == 0 {
			f := Finding{Resource: r, Range: r.Range, Message: r.Addr.String() + " has no vault lock: anyone with backup deletion rights in the account can delete its recovery points"}
			beside(&f, r)
			pass.Report(f)
			continue
		}
		governance := true
		for _, l := range locks {
			if l.ChangeableForDays.State != graph.Absent {
				governance = false
			}
		}
		if governance {
			f := Finding{Resource: r, Range: r.Range,
				Message: r.Addr.String() + " is locked in governance mode only (no changeable_for_days / ChangeableForDays): a privileged principal can remove the lock and delete its recovery points",
				Related: []Related{{Range: at, Message: "the lock", Address: r.Addr.String()}}}
			beside(&f, r)
			pass.Report(f)
		}
	}
	return nil
}
