package graph

// Database is an RDS DB instance or cluster.
type Database struct {
	// Cluster is true for aws_rds_cluster / AWS::RDS::DBCluster.
	Cluster bool
	// InCluster is true for an instance that belongs to a cluster: the
	// cluster holds its storage, backups and deletion protection.
	InCluster bool
	Engine    Value[string]
	// EngineMode is a cluster's engine_mode / EngineMode: Aurora
	// Serverless v1 ("serverless") is encrypted by default.
	EngineMode Value[string]
	// PubliclyAccessible is publicly_accessible / PubliclyAccessible.
	PubliclyAccessible Value[bool]
	// StorageEncrypted is storage_encrypted / StorageEncrypted.
	StorageEncrypted Value[bool]
	// KMSKey is kms_key_id / KmsKeyId: setting a key implies encryption.
	KMSKey Value[string]
	// FromSource is set when the storage comes from a snapshot or a
	// replication source, whose encryption it inherits.
	FromSource Value[string]
	// DeletionProtection is deletion_protection / DeletionProtection.
	DeletionProtection Value[bool]
	// BackupRetention is backup_retention_period / BackupRetentionPeriod
	// in days; 0 disables automated backups.
	BackupRetention Value[int]
	// MultiAZ is multi_az / MultiAZ (instances only).
	MultiAZ Value[bool]
}

// BucketACL is a canned ACL applied to an S3 bucket, on the bucket itself
// or through a separate ACL resource.
type BucketACL struct {
	ACL Value[string]
	// Bucket is the reference to the bucket when the ACL is a separate
	// resource; nil on the bucket itself.
	Bucket *Ref
}

// PublicAccessBlock is an S3 public access block, of a bucket or of the
// whole account. Each flag written as absent inside a written block is
// false: the API takes a missing flag as false.
type PublicAccessBlock struct {
	// Account is true for the account-level block.
	Account               bool
	BlockPublicACLs       Value[bool]
	BlockPublicPolicy     Value[bool]
	IgnorePublicACLs      Value[bool]
	RestrictPublicBuckets Value[bool]
	// Names are the four flags as the source spells them, in the order
	// above, for messages.
	Names [4]string
	// Bucket is the reference to the bucket for a separate bucket-level
	// block resource.
	Bucket *Ref
	// Block is the configuration block, else the resource.
	Block Range
}

// Flags returns the four flags in a fixed order with their names.
func (p *PublicAccessBlock) Flags() [4]Value[bool] {
	return [4]Value[bool]{p.BlockPublicACLs, p.BlockPublicPolicy, p.IgnorePublicACLs, p.RestrictPublicBuckets}
}

// Table is a DynamoDB table.
type Table struct {
	// PITR is point-in-time recovery; disabled when absent.
	PITR Value[bool]
	// Block is the point-in-time recovery block, else the resource.
	Block Range
}

// BackupVault is an AWS Backup vault and the lock that protects its
// recovery points.
type BackupVault struct {
	// Lock is the vault lock written in the vault itself
	// (CloudFormation's LockConfiguration); nil when none.
	Lock *VaultLock
	// Locks are separate lock resources in the graph that name this
	// vault, filled by Build.
	Locks []*Resource
	// Name is the vault's name, to link lock resources that name it.
	Name Value[string]
}

// VaultLock is an AWS Backup vault lock configuration.
type VaultLock struct {
	// Vault is the reference to the vault for a separate lock resource.
	Vault *Ref
	// VaultName is the vault's name as the lock resource writes it.
	VaultName Value[string]
	// MinRetentionDays is min_retention_days / MinRetentionDays.
	MinRetentionDays Value[int]
	// ChangeableForDays is changeable_for_days / ChangeableForDays: set,
	// the lock becomes immutable (compliance mode) after that many days;
	// absent, it stays removable (governance mode).
	ChangeableForDays Value[int]
}

// Sharing is a grant that lets other accounts use a snapshot or image:
// an EBS snapshot's create-volume permission, an AMI launch permission,
// an RDS snapshot's shared accounts.
type Sharing struct {
	// Public is true when the grant is to everyone ("all").
	Public bool
	// PublicRange is where "all" is written.
	PublicRange Range
	// Accounts are the account IDs granted, as written.
	Accounts []Value[string]
	// AccountsKnown is false when the list is unknown as a whole.
	AccountsKnown bool
	// Target names what is shared, for messages: a reference target or
	// an ID as written.
	Target string
}

// KeyDeletion is the deletion schedule of a KMS key.
type KeyDeletion struct {
	// WindowDays is deletion_window_in_days / PendingWindowInDays: the
	// waiting period, 7 to 30 days, 30 when absent.
	WindowDays Value[int]
}

// Kinds of data store, the crown jewels attack paths lead to besides
// administrators.
const (
	StoreBucket    = "S3 bucket"
	StoreTable     = "DynamoDB table"
	StoreSecret    = "Secrets Manager secret"
	StoreTrail     = "CloudTrail trail"
	StoreKey       = "KMS key"
	StoreDatabase  = "RDS database"
	StoreDBCluster = "RDS cluster"
	StoreQueue     = "SQS queue"
	StoreTopic     = "SNS topic"
)

// DataStore is a resource that holds data or records worth stealing or
// silencing, which a role's policy can grant access to: an S3 bucket, a
// DynamoDB table, an RDS database, a KMS key, a secret, a queue, a topic,
// a trail.
type DataStore struct {
	// Service is the IAM service prefix ("s3", "dynamodb", "rds", "kms",
	// "secretsmanager", "sqs", "sns", "cloudtrail").
	Service string
	// Kind is one of the Store kinds; it names the store in labels.
	Kind string
	// Name is the bucket, table, secret or trail name, from which its ARN
	// is built; unknown or absent names match only wildcards.
	Name Value[string]
}

// ReadDataStore reads a data store of the given IAM service and kind,
// its name at nameAttr ("" when its ARN carries none, as a key's).
func ReadDataStore(r *Resource, service, kind, nameAttr string) *DataStore {
	s := &DataStore{Service: service, Kind: kind}
	if nameAttr != "" {
		s.Name = r.StringAttr(nameAttr)
	}
	return s
}
