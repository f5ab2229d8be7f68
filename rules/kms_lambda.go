package rules

import (
	"fmt"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/graph/iam"
	"github.com/strider-sec/strider/mappings"
)

// KMSKeyPolicyPublic flags key policies that let any principal use or
// administer the key.
var KMSKeyPolicyPublic = Rule{
	ID:        "SDR-KMS-001",
	Slug:      "kms-key-policy-public",
	Title:     "KMS key policy lets any principal decrypt with or administer the key",
	Severity:  Critical,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1530", "T1098"},
	Rationale: `The key policy is the root of access to a KMS key: IAM policies count only where the key policy ` +
		`delegates to the account. An Allow to ` + "`\"*\"`" + ` of ` + "`kms:*`" + ` or ` + "`kms:Decrypt`" + ` with no condition ` +
		`on the caller lets any AWS principal in any account decrypt everything encrypted under the key — EBS ` +
		`snapshots, S3 objects, secrets, database backups — or, with ` + "`kms:*`" + `, change the policy and schedule ` +
		`the key's deletion.`,
	Remediation: `Grant the key's own account root (` + "`arn:aws:iam::ACCOUNT:root`" + `) administration so that IAM ` +
		`policies apply, and name the roles that use the key. For use across your organization or through a ` +
		`service, keep ` + "`\"*\"`" + ` only with ` + "`kms:CallerAccount`" + `, ` + "`kms:ViaService`" + ` or ` +
		"`aws:PrincipalOrgID`" + ` conditions.`,
	FixTerraform: `data "aws_caller_identity" "current" {}

resource "aws_kms_key" "data" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "UseFromS3InThisAccount"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:CallerAccount" = data.aws_caller_identity.current.account_id
            "kms:ViaService"    = "s3.eu-west-1.amazonaws.com"
          }
        }
      },
    ]
  })
}`,
	FixCloudFormation: `DataKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy:
      Version: "2012-10-17"
      Statement:
        - Sid: AccountAdministration
          Effect: Allow
          Principal:
            AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
          Action: kms:*
          Resource: "*"
        - Sid: UseFromS3InThisAccount
          Effect: Allow
          Principal:
            AWS: "*"
          Action: [kms:Decrypt, kms:GenerateDataKey]
          Resource: "*"
          Condition:
            StringEquals:
              kms:CallerAccount: !Ref AWS::AccountId
              kms:ViaService: !Sub s3.${AWS::Region}.amazonaws.com`,
	References: []string{
		"https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
		"https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
		"https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html",
	},
	Check: checkKMSKeyPolicyPublic,
}

func checkKMSKeyPolicyPublic(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		k := r.Facets.KMSKey()
		if k == nil || !k.Policy.Known() {
			continue
		}
		where, related := policyPlace(k.Policy)
		for i := range k.Policy.Doc.Statements {
			s := &k.Policy.Doc.Statements[i]
			who, ok := publicGrant(s)
			if !ok {
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
			pass.Report(Finding{Resource: r, Range: k.Policy.Range, Related: related, Message: fmt.Sprintf(
				"%s: %s of %s allows %s %s with no condition on the caller: any AWS principal can %s",
				r.Addr, stmtName(s), where, who, strings.Join(granted, ", "), kmsConsequence(granted))})
		}
	}
	return nil
}

func kmsConsequence(granted []string) string {
	if len(granted) > 1 {
		return "decrypt data under the key and take control of it"
	}
	if granted[0] == "kms:Decrypt" || granted[0] == "kms:ReEncryptFrom" {
		return "decrypt data encrypted under the key"
	}
	return "take control of the key"
}

// LambdaPermissionUnrestricted flags Lambda permissions that let any
// principal, or a service acting for anyone, invoke a function.
var LambdaPermissionUnrestricted = Rule{
	ID:        "SDR-LAMBDA-001",
	Slug:      "lambda-permission-unrestricted",
	Title:     "Lambda permission lets any principal, or a service acting for any account, invoke the function",
	Severity:  High,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.ElevationOfPrivilege, mappings.Spoofing},
	ATTACK:    []string{"T1648"},
	Rationale: `A Lambda permission adds a statement to the function's resource policy. With principal ` + "`\"*\"`" + ` ` +
		`and no ` + "`source_account`" + `, ` + "`source_arn`" + ` or ` + "`principal_org_id`" + `, anyone with an AWS account can ` +
		`invoke the function with the input they choose, running its code with its role. With a service principal ` +
		`(` + "`s3.amazonaws.com`" + `, ` + "`sns.amazonaws.com`" + `, ` + "`events.amazonaws.com`" + `, …) and no source, any ` +
		`bucket, topic or rule in any account can trigger it: the confused deputy problem.`,
	Remediation: `Set ` + "`source_arn`" + ` to the resource that triggers the function (and ` + "`source_account`" + ` for S3, ` +
		`whose ARNs carry no account), or name an account as the principal. For function URLs meant for the ` +
		`public, say so by suppressing the finding; otherwise use ` + "`function_url_auth_type = \"AWS_IAM\"`" + `.`,
	FixTerraform: `resource "aws_lambda_permission" "from_bucket" {
  statement_id   = "AllowS3Invoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.thumbnail.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = data.aws_caller_identity.current.account_id
}`,
	FixCloudFormation: `FromBucketPermission:
  Type: AWS::Lambda::Permission
  Properties:
    Action: lambda:InvokeFunction
    FunctionName: !Ref ThumbnailFunction
    Principal: s3.amazonaws.com
    SourceArn: !GetAtt UploadsBucket.Arn
    SourceAccount: !Ref AWS::AccountId`,
	References: []string{
		"https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
		"https://attack.mitre.org/techniques/T1648/",
	},
	Check: checkLambdaPermissionUnrestricted,
}

func checkLambdaPermissionUnrestricted(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		lp := r.Facets.LambdaPermission()
		if lp == nil || lp.Principal.State != graph.Set {
			continue
		}
		// Any written source or organization narrows the grant, even when
		// its value is known only after apply.
		if lp.SourceArn.State != graph.Absent || lp.SourceAccount.State != graph.Absent || lp.PrincipalOrgID.State != graph.Absent {
			continue
		}
		fn := "the function"
		if lp.Function.State == graph.Set {
			fn = fmt.Sprintf("function %q", lp.Function.V)
		}
		switch p := lp.Principal.V; {
		case p == "*":
			if lp.FunctionURLAuthType.Is("AWS_IAM") {
				continue
			}
			extra := ""
			if lp.FunctionURLAuthType.Is("NONE") {
				extra = " (a public function URL with no authentication)"
			}
			pass.Reportf(r, lp.Principal.Range, "%s lets principal \"*\" invoke %s%s with no source_account, source_arn or principal_org_id: anyone with an AWS account can run it with its role",
				r.Addr, fn, extra)
		case strings.HasSuffix(p, ".amazonaws.com") || strings.HasSuffix(p, ".amazonaws.com.cn"):
			pass.Reportf(r, lp.Principal.Range, "%s lets %s invoke %s with no source_arn or source_account: the service, acting for a resource in any account, can trigger it (confused deputy)",
				r.Addr, p, fn)
		}
	}
	return nil
}
