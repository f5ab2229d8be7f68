package graph

// Account marks a resource that defines an AWS account or organization:
// code holding it is the account's baseline, where its detective controls
// are expected.
type Account struct {
	// Kind is "organization" or "account".
	Kind string
}

// Detector is a detective service enabled for an account and region:
// GuardDuty, AWS Config recording, Security Hub.
type Detector struct {
	// Service is "GuardDuty", "AWS Config" or "Security Hub".
	Service string
	// Enabled is false when the resource exists but turns the service
	// off (a GuardDuty detector with enable = false).
	Enabled Value[bool]
}
