// Package mappings holds the frameworks findings are mapped to: the STRIDE
// categories as a typed enum and MITRE ATT&CK Enterprise techniques and
// tactics, embedded from pinned data (see data/attack/SOURCE.md) so the
// binary needs nothing at run time.
package mappings
