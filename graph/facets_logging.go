package graph

// Trail is a CloudTrail trail.
type Trail struct {
	// MultiRegion is is_multi_region_trail / IsMultiRegionTrail; false
	// when absent.
	MultiRegion Value[bool]
	// LogValidation is enable_log_file_validation /
	// EnableLogFileValidation; false when absent.
	LogValidation Value[bool]
	// KMSKey is kms_key_id / KMSKeyId; SSE-S3 only when absent.
	KMSKey Value[string]
	// Logging is enable_logging / IsLogging.
	Logging Value[bool]
	// Organization is is_organization_trail / IsOrganizationTrail.
	Organization Value[bool]
}
