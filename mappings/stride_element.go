package mappings

// ElementKind is a kind of element of a data-flow diagram.
type ElementKind uint8

// The DFD element kinds of the SDL threat-modeling method.
const (
	ExternalEntity ElementKind = iota + 1
	Process
	DataStore
	DataFlow
	TrustBoundary
)

var elementNames = [...]string{
	ExternalEntity: "external entity",
	Process:        "process",
	DataStore:      "data store",
	DataFlow:       "data flow",
	TrustBoundary:  "trust boundary",
}

func (k ElementKind) String() string {
	if k < ExternalEntity || k > TrustBoundary {
		return "none"
	}
	return elementNames[k]
}

// perElement is the STRIDE-per-element table of the Microsoft SDL
// (Hernan, Lambert, Ostwald and Shostack, MSDN 2006; Shostack, Threat
// Modeling, 2014), as Threat Dragon also codes it: which categories
// apply to which kind of element. Repudiation applies to a data store
// when it holds logs or audit data (the SDL original); a trust boundary
// carries no threats of its own.
var perElement = map[ElementKind][]STRIDE{
	ExternalEntity: {Spoofing, Repudiation},
	Process:        {Spoofing, Tampering, Repudiation, InformationDisclosure, DenialOfService, ElevationOfPrivilege},
	DataStore:      {Tampering, InformationDisclosure, DenialOfService},
	DataFlow:       {Tampering, InformationDisclosure, DenialOfService},
}

// PerElement returns the STRIDE categories that apply to an element of
// kind k; holdsLogs adds Repudiation for a data store of logs or audit
// records.
func PerElement(k ElementKind, holdsLogs bool) []STRIDE {
	out := append([]STRIDE(nil), perElement[k]...)
	if k == DataStore && holdsLogs {
		out = append(out[:1:1], append([]STRIDE{Repudiation}, out[1:]...)...)
	}
	return out
}

// GenericThreat is the text of the threat a STRIDE category poses to a
// kind of element, and its usual mitigation.
type GenericThreat struct {
	Title       string
	Description string
	Mitigation  string
}

// genericThreats are short statements of each applicable threat, in the
// threat-grammar spirit: who can do what to the element. %s is the
// element's name.
var genericThreats = map[ElementKind]map[STRIDE]GenericThreat{
	ExternalEntity: {
		Spoofing:    {"%s can be impersonated", "A caller pretends to be %s: stolen credentials, a forged token, a confused deputy.", "Authenticate the entity with credentials that cannot be replayed (signed requests, federation with audience and subject conditions, an external ID for third parties)."},
		Repudiation: {"%s can deny its actions", "Without records tied to its identity, %s can deny what it did.", "Record the entity's calls with its identity (CloudTrail with log file validation, access logs) where it cannot alter them."},
	},
	Process: {
		Spoofing:              {"%s can be impersonated", "Something else answers or acts as %s: a spoofed endpoint, its credentials reused elsewhere.", "Authenticate callers and the process itself; keep its credentials short-lived and bound to it (IMDSv2, roles instead of keys)."},
		Tampering:             {"%s can be tampered with", "Its code, configuration or runtime is changed by someone who should not: a writable deployment path, an injected input.", "Restrict who can change its code and configuration; validate inputs; deploy from signed, reviewed artifacts."},
		Repudiation:           {"Actions of %s cannot be traced", "Without logs of what %s did and for whom, misuse cannot be proved or investigated.", "Log its actions with the caller's identity to a store it cannot modify."},
		InformationDisclosure: {"%s can leak data", "Data it handles, its secrets or its credentials reach someone who should not see them.", "Keep secrets out of its configuration; encrypt in transit; limit what its role can read."},
		DenialOfService:       {"%s can be made unavailable", "Floods, resource exhaustion or a dependency failure stop %s.", "Throttle and rate-limit callers; set concurrency and scaling limits; spread across zones."},
		ElevationOfPrivilege:  {"%s can be used to gain privileges", "A caller gets the rights of %s, or %s gets more than it needs: a role broader than its job, a passable role.", "Grant its role least privilege; deny privilege-escalation actions; isolate it from more trusted components."},
	},
	DataStore: {
		Tampering:             {"Data in %s can be altered", "Someone with write access, or a compromised writer, changes or deletes data in %s.", "Limit writers; enable versioning, backups and deletion protection; use object lock or vault lock where data must not change."},
		Repudiation:           {"Records in %s can be denied or erased", "Logs or audit records in %s are removed or altered to hide an action.", "Make the logs immutable (object lock, log file validation) and send them to a separate account."},
		InformationDisclosure: {"Data in %s can be read by the wrong party", "A public grant, a broad policy or a cross-account share exposes what %s holds.", "Block public access; encrypt with a customer-managed key; restrict its resource policy to known principals."},
		DenialOfService:       {"%s can be made unavailable", "Deletion, exhausted capacity or a revoked key makes %s unavailable to its users.", "Enable deletion protection and backups; set capacity and throttling; protect the key it is encrypted with."},
	},
	DataFlow: {
		Tampering:             {"Traffic on %s can be altered", "A party on the path of %s changes what is sent.", "Encrypt and authenticate the channel (TLS, signed requests); accept traffic only from known sources."},
		InformationDisclosure: {"Traffic on %s can be read", "What %s carries is read on the way: plaintext protocols, over-broad network exposure.", "Encrypt in transit; narrow who can reach the listener (security groups, private endpoints)."},
		DenialOfService:       {"%s can be interrupted", "%s is flooded or cut, and its target stops receiving.", "Limit who can send (security groups, WAF, throttling); plan capacity and failover."},
	},
}

// Generic returns the generic threat of category s against an element of
// kind k; ok is false when the category does not apply to the kind.
func Generic(k ElementKind, s STRIDE) (GenericThreat, bool) {
	t, ok := genericThreats[k][s]
	return t, ok
}
