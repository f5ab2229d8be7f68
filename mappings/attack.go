package mappings

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// ATTACKVersion is the ATT&CK release the embedded data comes from.
const ATTACKVersion = "v18.1"

//go:embed data/attack/enterprise-techniques.tsv
var techniquesTSV []byte

//go:embed data/attack/tactics.tsv
var tacticsTSV []byte

// Technique is an ATT&CK Enterprise technique or sub-technique.
type Technique struct {
	ID      string
	Name    string
	Tactics []string // tactic short names, "credential-access"
	// Revoked is true for techniques revoked or deprecated by MITRE; rules
	// must not map to them.
	Revoked bool
}

// URL is the technique's page on attack.mitre.org.
func (t Technique) URL() string {
	return "https://attack.mitre.org/techniques/" + strings.ReplaceAll(t.ID, ".", "/") + "/"
}

// Tactic is an ATT&CK Enterprise tactic.
type Tactic struct {
	ID        string
	ShortName string
	Name      string
}

var attackData = sync.OnceValues(loadAttack)

type attackIndex struct {
	techniques map[string]Technique
	tactics    map[string]Tactic // by short name
}

func loadAttack() (*attackIndex, error) {
	idx := &attackIndex{techniques: map[string]Technique{}, tactics: map[string]Tactic{}}
	err := eachRow(techniquesTSV, 6, func(f []string) {
		idx.techniques[f[0]] = Technique{
			ID:      f[0],
			Name:    f[1],
			Tactics: splitList(f[2]),
			Revoked: f[5] != "false",
		}
	})
	if err != nil {
		return nil, fmt.Errorf("embedded techniques: %w", err)
	}
	err = eachRow(tacticsTSV, 5, func(f []string) {
		idx.tactics[f[1]] = Tactic{ID: f[0], ShortName: f[1], Name: f[2]}
	})
	if err != nil {
		return nil, fmt.Errorf("embedded tactics: %w", err)
	}
	return idx, nil
}

func eachRow(data []byte, minCols int, fn func([]string)) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 || sc.Text() == "" {
			continue // header
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) < minCols {
			return fmt.Errorf("line %d: %d columns, want at least %d", line, len(f), minCols)
		}
		fn(f)
	}
	return sc.Err()
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// LookupTechnique returns the technique with the given ID ("T1552.005").
func LookupTechnique(id string) (Technique, bool) {
	idx, err := attackData()
	if err != nil {
		return Technique{}, false
	}
	t, ok := idx.techniques[id]
	return t, ok
}

// LookupTactic returns the tactic with the given short name.
func LookupTactic(shortName string) (Tactic, bool) {
	idx, err := attackData()
	if err != nil {
		return Tactic{}, false
	}
	t, ok := idx.tactics[shortName]
	return t, ok
}

// CheckTechnique returns an error unless id names an active technique.
func CheckTechnique(id string) error {
	if _, err := attackData(); err != nil {
		return err
	}
	t, ok := LookupTechnique(id)
	switch {
	case !ok:
		return fmt.Errorf("ATT&CK technique %s does not exist in %s", id, ATTACKVersion)
	case t.Revoked:
		return fmt.Errorf("ATT&CK technique %s (%s) is revoked or deprecated in %s", id, t.Name, ATTACKVersion)
	}
	return nil
}
