package mappings

import (
	"fmt"
	"strings"
)

// STRIDE is one of Microsoft's six threat categories.
type STRIDE uint8

// The categories, in the mnemonic's order.
const (
	Spoofing STRIDE = iota + 1
	Tampering
	Repudiation
	InformationDisclosure
	DenialOfService
	ElevationOfPrivilege
)

var strideNames = [...]string{
	Spoofing:              "Spoofing",
	Tampering:             "Tampering",
	Repudiation:           "Repudiation",
	InformationDisclosure: "Information Disclosure",
	DenialOfService:       "Denial of Service",
	ElevationOfPrivilege:  "Elevation of Privilege",
}

var strideViolates = [...]string{
	Spoofing:              "Authentication",
	Tampering:             "Integrity",
	Repudiation:           "Non-repudiation",
	InformationDisclosure: "Confidentiality",
	DenialOfService:       "Availability",
	ElevationOfPrivilege:  "Authorization",
}

// AllSTRIDE lists the categories in order.
var AllSTRIDE = []STRIDE{Spoofing, Tampering, Repudiation, InformationDisclosure, DenialOfService, ElevationOfPrivilege}

// Valid reports whether s is one of the six categories.
func (s STRIDE) Valid() bool { return s >= Spoofing && s <= ElevationOfPrivilege }

// String is the category's name exactly as SARIF consumers read it.
func (s STRIDE) String() string {
	if !s.Valid() {
		return fmt.Sprintf("STRIDE(%d)", uint8(s))
	}
	return strideNames[s]
}

// Letter is the category's initial in the mnemonic.
func (s STRIDE) Letter() string { return s.String()[:1] }

// Violates names the security property the category breaks.
func (s STRIDE) Violates() string {
	if !s.Valid() {
		return ""
	}
	return strideViolates[s]
}

// Tag is the category as a lower-case tag, "stride/elevation-of-privilege".
func (s STRIDE) Tag() string {
	return "stride/" + strings.ReplaceAll(strings.ToLower(s.String()), " ", "-")
}

// MarshalText writes the category's name.
func (s STRIDE) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("invalid STRIDE category %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// ParseSTRIDE reads a category by name or by letter, ignoring case.
func ParseSTRIDE(name string) (STRIDE, error) {
	for _, s := range AllSTRIDE {
		if strings.EqualFold(name, s.String()) || strings.EqualFold(name, s.Letter()) {
			return s, nil
		}
	}
	return 0, fmt.Errorf("unknown STRIDE category %q", name)
}

// UnmarshalText reads a category by name.
func (s *STRIDE) UnmarshalText(b []byte) error {
	v, err := ParseSTRIDE(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
