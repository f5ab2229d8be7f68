package graph

import (
	"encoding/base64"
	"strings"
)

// PlainConfig is configuration a resource hands to running code in plain
// text, where anyone who can read the resource's definition (the
// describe API, the state file, the template) reads it too: user data,
// Lambda environment variables, ECS container environment.
type PlainConfig struct {
	Entries []ConfigEntry
}

// ConfigEntry is one value of plain configuration.
type ConfigEntry struct {
	// Where says what the value is, for messages: "user_data",
	// "environment variable DB_PASSWORD", "container web environment
	// variable TOKEN".
	Where string
	// Name is the variable's name when it has one, else empty.
	Name  string
	Value Value[string]
}

// DecodeUserData returns the decoded text when s is entirely standard
// base64 of text, else s. User data is written one way or the other, and a
// script is never valid base64 of text by accident.
func DecodeUserData(s string) string {
	t := strings.Join(strings.Fields(s), "")
	if len(t) < 8 || len(t)%4 != 0 {
		return s
	}
	b, err := base64.StdEncoding.DecodeString(t)
	if err != nil {
		return s
	}
	for _, c := range string(b) {
		if c == '\uFFFD' || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
			return s
		}
	}
	return string(b)
}
