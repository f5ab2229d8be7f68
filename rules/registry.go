package rules

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// registry is the explicit list of rules, in ID order. Adding a rule means
// adding its file and one line here; TestRegistry checks the rest.
var registry = []*Rule{
	&AMIShared,
	&APIGatewayNoAuth,
	&APIGatewayNoThrottling,
	&BackupVaultNotLocked,
	&CloudFrontViewerHTTP,
	&CloudFrontWeakTLS,
	&ConfigAbsent,
	&CloudTrailNotMultiRegion,
	&CloudTrailNoLogValidation,
	&CloudTrailNotKMSEncrypted,
	&CloudTrailAbsent,
	&CloudTrailBucketUnprotected,
	&CloudTrailLoggingStopped,
	&DynamoDBPITRDisabled,
	&EBSSnapshotShared,
	&EC2IMDSv1Reachable,
	&EC2IMDSHopLimit,
	&EC2SGAdminPortPublic,
	&EC2SGAllPortsPublic,
	&EC2PublicInstanceAdminPort,
	&EC2DefaultSGHasRules,
	&EKSPublicEndpoint,
	&ELBHTTPListener,
	&ELBWeakTLSPolicy,
	&GuardDutyAbsent,
	&IAMRoleTrustAnyPrincipal,
	&IAMRoleTrustCrossAccount,
	&IAMRoleTrustOIDCSubject,
	&IAMRoleTrustCognitoAudience,
	&IAMUserAccessKey,
	&IAMUserConsolePassword,
	&IAMUserAdmin,
	&IAMPassRoleAnyResource,
	&IAMAllowNotAction,
	&ResourcePolicyPublic,
	&IAMPolicyUndetermined,
	&IAMPrivilegeEscalation,
	&KMSKeyPolicyPublic,
	&KMSKeyPolicyCrossAccount,
	&KMSShortDeletionWindow,
	&LambdaPermissionUnrestricted,
	&LambdaURLNoAuth,
	&LambdaPublicNoReservedConcurrency,
	&LogGroupNotKMSEncrypted,
	&LogGroupNoRetention,
	&LZManagementWorkloads,
	&LZIdentityProviderManagement,
	&LZLogArchiveTamperable,
	&LZNewAccountBaseline,
	&LZDelegatedAdministrator,
	&OrgLeaveOrganization,
	&OrgAuditTampering,
	&OrgSharingOutside,
	&OrgIAMUsers,
	&OrgRootUser,
	&OrgAccountDefaults,
	&AttackPath,
	&RDSPubliclyAccessible,
	&RDSStorageNotEncrypted,
	&RDSBackupsDisabled,
	&RDSNoDeletionProtection,
	&RDSSingleAZ,
	&RDSSnapshotShared,
	&S3PublicAccessBlockDisabled,
	&S3PublicACL,
	&SecretsInPlainConfig,
	&VPCFlowLogsAbsent,
	&VPCNACLAllowAll,
}

// All returns every rule in ID order.
func All() []*Rule { return slices.Clone(registry) }

// Lookup finds a rule by ID, slug or former slug, ignoring case.
func Lookup(name string) (*Rule, bool) {
	for _, r := range registry {
		if strings.EqualFold(r.ID, name) || strings.EqualFold(r.Slug, name) {
			return r, true
		}
		for _, a := range r.Aliases {
			if strings.EqualFold(a, name) {
				return r, true
			}
		}
	}
	return nil, false
}

var (
	idPattern   = regexp.MustCompile(`^SDR-[A-Z0-9]+-[0-9]{3}$`)
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Validate checks rules for what every rule must have: unique IDs and
// slugs, documentation, known STRIDE categories and real, active ATT&CK
// techniques.
func Validate(rs []*Rule) error {
	var errs []error
	seen := map[string]string{}
	claim := func(name, by string) {
		k := strings.ToLower(name)
		if prev, dup := seen[k]; dup {
			errs = append(errs, fmt.Errorf("%s: name %q already used by %s", by, name, prev))
		}
		seen[k] = by
	}
	for i, r := range rs {
		if i > 0 && rs[i-1].ID >= r.ID {
			errs = append(errs, fmt.Errorf("%s: registry not in ID order", r.ID))
		}
		if !idPattern.MatchString(r.ID) {
			errs = append(errs, fmt.Errorf("%s: ID does not match %s", r.ID, idPattern))
		}
		if !slugPattern.MatchString(r.Slug) {
			errs = append(errs, fmt.Errorf("%s: slug %q is not lower-case words joined by dashes", r.ID, r.Slug))
		}
		claim(r.ID, r.ID)
		claim(r.Slug, r.ID)
		for _, a := range r.Aliases {
			claim(a, r.ID)
		}
		for field, v := range map[string]string{
			"Title": r.Title, "Rationale": r.Rationale, "Remediation": r.Remediation,
			"FixTerraform": r.FixTerraform, "FixCloudFormation": r.FixCloudFormation,
		} {
			if strings.TrimSpace(v) == "" {
				errs = append(errs, fmt.Errorf("%s: %s is empty", r.ID, field))
			}
		}
		if len(r.Title) > 120 {
			errs = append(errs, fmt.Errorf("%s: title longer than 120 characters", r.ID))
		}
		if r.Severity < Low || r.Severity > Critical {
			errs = append(errs, fmt.Errorf("%s: invalid severity", r.ID))
		}
		if s := r.Score(); s <= 0 || s > 10 {
			errs = append(errs, fmt.Errorf("%s: security severity %.1f outside (0, 10]", r.ID, s))
		}
		switch r.Precision {
		case PrecisionVeryHigh, PrecisionHigh, PrecisionMedium, PrecisionLow:
		default:
			errs = append(errs, fmt.Errorf("%s: invalid precision %q", r.ID, r.Precision))
		}
		if len(r.STRIDE) == 0 {
			errs = append(errs, fmt.Errorf("%s: no STRIDE category", r.ID))
		}
		for _, s := range r.STRIDE {
			if !s.Valid() {
				errs = append(errs, fmt.Errorf("%s: invalid STRIDE category %d", r.ID, s))
			}
		}
		if len(r.ATTACK) == 0 {
			errs = append(errs, fmt.Errorf("%s: no ATT&CK technique", r.ID))
		}
		for _, t := range r.ATTACK {
			if err := mappings.CheckTechnique(t); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", r.ID, err))
			}
		}
		if len(r.References) == 0 {
			errs = append(errs, fmt.Errorf("%s: no references", r.ID))
		}
		if r.Check == nil {
			errs = append(errs, fmt.Errorf("%s: no check", r.ID))
		}
	}
	return errors.Join(errs...)
}

// RuleError is a rule that failed or panicked on a graph. The scan goes on
// without its findings.
type RuleError struct {
	Rule *Rule
	Err  error
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("rule %s (%s): %v", e.Rule.ID, e.Rule.Slug, e.Err)
}

func (e *RuleError) Unwrap() error { return e.Err }

// Run runs rules over g and returns their findings in a stable order: by
// file, line, rule, address. A rule that fails or panics yields a
// *RuleError and no findings; the other rules still run.
func Run(g *graph.Graph, rs []*Rule) ([]Finding, []error) {
	var out []Finding
	var errs []error
	for _, r := range rs {
		fs, err := runOne(g, r)
		if err != nil {
			errs = append(errs, &RuleError{Rule: r, Err: err})
			continue
		}
		out = append(out, fs...)
	}
	SortFindings(out)
	return out, errs
}

func runOne(g *graph.Graph, r *Rule) (fs []Finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			fs = nil
			err = fmt.Errorf("internal error: %v (please report this as a bug)\n%s", p, debug.Stack())
		}
	}()
	pass := &Pass{Rule: r, Graph: g, report: func(f Finding) { fs = append(fs, f) }}
	if err := r.Check(pass); err != nil {
		return nil, err
	}
	return fs, nil
}

// SortFindings orders findings by file, line, column, rule ID and address.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := cmp.Compare(a.Range.Filename, b.Range.Filename); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Range.Start.Line, b.Range.Start.Line); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Range.Start.Column, b.Range.Start.Column); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Rule.ID, b.Rule.ID); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Resource.Key(), b.Resource.Key()); c != 0 {
			return c
		}
		return cmp.Compare(a.Peer, b.Peer)
	})
}
