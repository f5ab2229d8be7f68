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

// LogGroup is a CloudWatch Logs log group.
type LogGroup struct {
	// Retention is retention_in_days / RetentionInDays; absent or 0 keeps
	// events forever.
	Retention Value[int]
	// KMSKey is kms_key_id / KmsKeyId.
	KMSKey Value[string]
}

// VPC is a virtual private cloud and the flow logs that capture it.
type VPC struct {
	// FlowLogs are the flow log resources in the graph that capture this
	// VPC, filled by Build.
	FlowLogs []*Resource
}

// FlowLog is a VPC flow log and what it captures.
type FlowLog struct {
	// Targets are references to the VPCs, subnets or interfaces it
	// captures.
	Targets []Ref
}
