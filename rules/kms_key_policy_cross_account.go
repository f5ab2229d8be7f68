package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// KMSKeyPolicyCrossAccount flags key policies that let another account
// decrypt with or administer the key with no condition.
var KMSKeyPolicyCrossAccount = Rule{
	ID:        "SDR-KMS-002",
	Slug:      "kms-key-policy-cross-account",
	Title:     "KMS key policy lets another account decrypt with or administer the key without conditions",
	Severity:  High,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1530", "T1537"},
	Rationale: `A key policy statement naming another account's root (or the bare account ID) delegates use of the ` +
		`key to every principal that account's administrators allow. With ` + "`kms:Decrypt`" + ` or ` + "`kms:*`" + ` and no ` +
		`condition, whoever controls that account can decrypt every snapshot, backup, object and secret encrypted ` +
		`under the key, or copy encrypted snapshots shared with it. Strider knows the key's own account from the ` +
		`statement that gives an account root ` + "`kms:*`" + ` (the administrator statement every key policy needs); ` +
		`an account other than that one is another account.`,
	Remediation: `Name the roles of the other account that need the key rather than its root, grant only the ` +
		`operations they need, and narrow them with ` + "`kms:ViaService`" + `, ` + "`kms:EncryptionContext:*`" + ` or ` +
		"`aws:PrincipalOrgID`" + ` conditions.`,
	FixTerraform: `resource "aws_kms_key" "backups" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::444455556666:role/backup-restore" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:ViaService" = "backup.eu-west-1.amazonaws.com" } }
      },
    ]
  })
}`,
	FixCloudFormation: `BackupsKey:
  Type: AWS::KMS::Key
  Properties:
    KeyPolicy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal:
            AWS: arn:aws:iam::111122223333:root
          Action: kms:*
          Resource: "*"
        - Effect: Allow
          Principal:
            AWS: arn:aws:iam::444455556666:role/backup-restore
          Action: [kms:Decrypt, kms:DescribeKey]
          Resource: "*"
          Condition:
            StringEquals:
              kms:ViaService: !Sub backup.${AWS::Region}.amazonaws.com`,
	References: []string{
		"https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
		"https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html",
	},
	Check: checkKMSKeyPolicyCrossAccount,
}

// keyAccount is the key's own account as its policy shows it: the one
// account whose root may rewrite the key policy (kms:* or
// kms:PutKeyPolicy). Several such accounts, or none, leave it unknown.
func keyAccount(doc *iam.Document) string {
	own := ""
	for i := range doc.Statements {
		s := &doc.Statements[i]
		if !s.Allows() || s.Principal == nil || s.CoversAction("kms:PutKeyPolicy") != iam.Yes {
			continue
		}
		for _, p := range s.Principal.AWS.Values {
			if !strings.HasSuffix(p, ":root") {
				continue
			}
			a := iam.AccountOf(p)
			switch {
			case a == "":
			case own == "":
				own = a
			case own != a:
				return ""
			}
		}
	}
	return own
}

func checkKMSKeyPolicyCrossAccount(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		k := r.Facets.KMSKey()
		if k == nil || !k.Policy.Known() {
			continue
		}
		own := keyAccount(k.Policy.Doc)
		if own == "" {
			continue
		}
		where, related := policyPlace(k.Policy)
		for i := range k.Policy.Doc.Statements {
			s := &k.Policy.Doc.Statements[i]
			if !s.Allows() || s.Principal == nil || s.Principal.Public() || len(s.Conditions) > 0 || s.ConditionUnknown {
				continue
			}
			var granted []string
			for _, a := range []string{"kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:ReEncryptFrom"} {
				if s.CoversAction(a) == iam.Yes {
					granted = append(granted, a)
				}
			}
			if len(granted) == 0 {
				continue
			}
			for _, p := range s.Principal.AWS.Values {
				a := iam.AccountOf(p)
				if a == "" || a == own {
					continue
				}
				pass.Report(Finding{Resource: r, Range: k.Policy.Range, Related: related, Message: fmt.Sprintf(
					"%s: %s of %s allows %s of account %s (the key belongs to %s) %s with no condition: that account can %s",
					r.Addr, stmtName(s), where, fmt.Sprintf("%q", p), a, own, strings.Join(granted, ", "), kmsConsequence(granted))})
				break
			}
		}
	}
	return nil
}
