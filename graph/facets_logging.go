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

// TrailBucket links a trail to the bucket it delivers to.
type TrailBucket struct {
	// Bucket is the reference to the bucket, when the trail names it by
	// reference.
	Bucket *Ref
	// Resolved is the bucket in the graph, filled by Build.
	Resolved *Resource
}

// BucketProtection is what keeps a bucket's objects from being
// overwritten or deleted: versioning and Object Lock. Separate Terraform
// resources (aws_s3_bucket_versioning, aws_s3_bucket_object_lock_configuration)
// name their bucket; the pass folds them into the bucket's facet.
type BucketProtection struct {
	// Versioning is "Enabled", "Suspended" or "Disabled".
	Versioning Value[string]
	// ObjectLock is whether Object Lock is enabled.
	ObjectLock Value[bool]
	// Bucket is the reference to the bucket for a separate resource.
	Bucket *Ref
}
