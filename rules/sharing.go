package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// checkSharing reports the sharing grants of the given resource types:
// public grants and grants to other accounts. what names the shared
// thing ("EBS snapshot"), verb what the grantee can do with it.
func checkSharing(pass *Pass, types map[string]bool, what, verb string) {
	for _, r := range pass.Graph.Resources {
		s := r.Facets.Sharing()
		if s == nil || !types[r.Addr.Type] {
			continue
		}
		if s.Public {
			pass.Reportf(r, s.PublicRange, "%s makes %s %s public: any AWS account in the world can %s it", r.Addr, what, s.Target, verb)
			continue
		}
		var ids []string
		at := graph.Range{}
		for _, a := range s.Accounts {
			if a.State == graph.Set {
				ids = append(ids, strings.TrimSpace(a.V))
				if at.Start.Line == 0 {
					at = a.Range
				}
			}
		}
		if len(ids) > 0 {
			pass.Reportf(r, at, "%s shares %s %s with account %s, which can %s it outside this account's control",
				r.Addr, what, s.Target, strings.Join(ids, ", "), verb)
		}
	}
}

// EBSSnapshotShared flags EBS snapshots whose create-volume permission is
// granted to other accounts.
var EBSSnapshotShared = Rule{
	ID:        "SDR-EBS-001",
	Slug:      "ebs-snapshot-shared",
	Title:     "EBS snapshot is shared with another account",
	Severity:  High,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure},
	ATTACK:    []string{"T1537", "T1530"},
	Rationale: `A create-volume permission lets the named account make a volume of the snapshot in its own account ` +
		`and read every block of it: databases, keys, credentials left on disk. Once copied, the data is governed by ` +
		`the other account's controls, not yours; sharing a snapshot is how attackers move data out of an account ` +
		`(ATT&CK T1537) and how honest mistakes leak whole disks. Sharing with an account of your own organization ` +
		`is sometimes intended (backup or forensics accounts): review the account ID.`,
	Remediation: `Remove the permission, or share only with the organization's dedicated backup or forensics account, ` +
		`encrypted with a customer-managed KMS key whose policy names that account. Block public sharing account-wide ` +
		`with ` + "`aws_ebs_snapshot_block_public_access`" + ` and an SCP denying ` + "`ec2:ModifySnapshotAttribute`" + `.`,
	FixTerraform: `resource "aws_ebs_snapshot_block_public_access" "account" {
  state = "block-all-sharing"
}`,
	FixCloudFormation: `# CloudFormation has no resource that shares EBS snapshots; block
# public sharing with an SCP attached to the organization root.
DenySnapshotSharing:
  Type: AWS::Organizations::Policy
  Properties:
    Name: deny-snapshot-sharing
    Type: SERVICE_CONTROL_POLICY
    TargetIds: [!Ref RootId]
    Content:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Action: ec2:ModifySnapshotAttribute
          Resource: "*"`,
	References: []string{
		"https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html",
		"https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html",
		"https://attack.mitre.org/techniques/T1537/",
	},
	Check: func(pass *Pass) error {
		checkSharing(pass, map[string]bool{"aws_snapshot_create_volume_permission": true}, "EBS snapshot", "create volumes from")
		return nil
	},
}

// AMIShared flags AMIs made public or shared with other accounts.
var AMIShared = Rule{
	ID:        "SDR-AMI-001",
	Slug:      "ami-shared",
	Title:     "AMI is public or shared with another account",
	Severity:  High,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure},
	ATTACK:    []string{"T1537", "T1530"},
	Rationale: `A launch permission lets the grantee launch instances from the image — and so read every file baked ` +
		`into it: application code, configuration, SSH host keys, credentials left in the build. A public AMI (group ` +
		"`all`" + `) is listed to every AWS customer; researchers keep finding secrets in them. Sharing with an account ` +
		`of your own organization is common for golden images: prefer organization or OU grants, which follow ` +
		`membership, over account IDs.`,
	Remediation: `Remove the public grant; share golden images with ` + "`organization_arn`" + ` or ` +
		"`organizational_unit_arn`" + ` instead of account IDs, and enable block public access for AMIs ` +
		`(` + "`aws_ec2_image_block_public_access`" + `).`,
	FixTerraform: `resource "aws_ami_launch_permission" "golden" {
  image_id         = aws_ami_from_instance.golden.id
  organization_arn = data.aws_organizations_organization.current.arn
}

resource "aws_ec2_image_block_public_access" "account" {
  state = "block-new-sharing"
}`,
	FixCloudFormation: `# CloudFormation has no resource that shares AMIs; block public
# sharing with an SCP attached to the organization root.
DenyPublicImages:
  Type: AWS::Organizations::Policy
  Properties:
    Name: deny-public-images
    Type: SERVICE_CONTROL_POLICY
    TargetIds: [!Ref RootId]
    Content:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Action: ec2:DisableImageBlockPublicAccess
          Resource: "*"`,
	References: []string{
		"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html",
		"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html#block-public-access-to-amis",
	},
	Check: func(pass *Pass) error {
		checkSharing(pass, map[string]bool{"aws_ami_launch_permission": true}, "AMI", "launch instances from")
		return nil
	},
}

// RDSSnapshotShared flags RDS DB and cluster snapshots shared publicly or
// with other accounts.
var RDSSnapshotShared = Rule{
	ID:        "SDR-RDS-006",
	Slug:      "rds-snapshot-shared",
	Title:     "RDS snapshot is public or shared with another account",
	Severity:  High,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure},
	ATTACK:    []string{"T1537", "T1530"},
	Rationale: `A shared RDS snapshot can be restored by the grantee into a database of its own, with every row of ` +
		`every table; a public one (` + "`all`" + `) by any AWS customer. Restoring a shared snapshot is the simplest ` +
		`way to take a whole database out of an account. Unencrypted snapshots can be shared publicly; snapshots ` +
		`encrypted with a customer-managed key are usable only by accounts the key policy admits.`,
	Remediation: `Remove ` + "`shared_accounts`" + ` or limit it to the organization's backup account; encrypt the source ` +
		`database with a customer-managed KMS key so that sharing also needs a key grant.`,
	FixTerraform: `resource "aws_db_snapshot" "nightly" {
  db_instance_identifier = aws_db_instance.main.identifier
  db_snapshot_identifier = "nightly"
  # no shared_accounts: copy to the backup account with AWS Backup instead
}`,
	FixCloudFormation: `# CloudFormation has no resource that creates or shares RDS snapshots;
# copy them to a backup account with an AWS Backup plan instead.
BackupPlan:
  Type: AWS::Backup::BackupPlan
  Properties:
    BackupPlan:
      BackupPlanName: rds-nightly
      BackupPlanRule:
        - RuleName: nightly
          TargetBackupVault: !Ref Vault
          CopyActions:
            - DestinationBackupVaultArn: arn:aws:backup:eu-west-1:444455556666:backup-vault:central`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-1",
	},
	Check: func(pass *Pass) error {
		checkSharing(pass, map[string]bool{"aws_db_snapshot": true, "aws_db_cluster_snapshot": true}, "RDS snapshot", "restore a database from")
		return nil
	},
}
