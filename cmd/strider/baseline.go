package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// baseline is the set of Strider fingerprints ("strider/v1") in an earlier
// report. They are rule@stack::address hashes, so a finding stays known
// when lines move; a new resource, a renamed one or a new rule on an old
// one is new.
type baseline map[string]bool

// loadBaseline reads an earlier SARIF or JSON report by Strider.
func loadBaseline(path string) (baseline, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Runs *[]struct {
			Results []struct {
				PartialFingerprints map[string]any `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
		Findings *[]struct {
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	b := baseline{}
	switch {
	case doc.Runs != nil:
		for _, run := range *doc.Runs {
			for _, res := range run.Results {
				if fp, ok := res.PartialFingerprints["strider/v1"].(string); ok && fp != "" {
					b[fp] = true
				}
			}
		}
	case doc.Findings != nil:
		for _, f := range *doc.Findings {
			if f.Fingerprint != "" {
				b[f.Fingerprint] = true
			}
		}
	default:
		return nil, fmt.Errorf("baseline %s: neither a SARIF log nor a Strider JSON report", path)
	}
	return b, nil
}
