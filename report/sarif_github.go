package report

import (
	"cmp"
	"crypto/sha1"
	"fmt"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// automationID turns a category into automationDetails.id. GitHub reads
// the category as everything before the last "/", so a trailing slash
// makes the whole value the category (what upload-sarif's own category
// input does).
func automationID(category string) string {
	if strings.HasSuffix(category, "/") {
		return category
	}
	return category + "/"
}

// lineHashCache hashes each file once, however many results it holds.
// Results come sorted by file, so only the last file's hashes are kept: a
// large tree's hashes would otherwise all stay in memory at once.
type lineHashCache struct {
	read   func(string) ([]byte, error)
	file   string
	hashes []lineHash
	loaded bool
}

// at is the primaryLocationLineHash of the line rg starts on, or "" when
// the file cannot be read or the line is not in it (the upload action
// then leaves the result without one, too).
func (c *lineHashCache) at(rg graph.Range) string {
	if c.read == nil || rg.Filename == "" || rg.Start.Line < 1 {
		return ""
	}
	if rg.Filename != c.file || !c.loaded {
		c.file, c.hashes, c.loaded = rg.Filename, nil, true
		if src, err := c.read(rg.Filename); err == nil {
			c.hashes = lineHashes(src)
		}
	}
	if int(rg.Start.Line) > len(c.hashes) {
		return ""
	}
	return c.hashes[rg.Start.Line-1].String()
}

// keepResults picks at most limit findings, the most severe first, and
// returns their indexes in the original order with the number left out.
func keepResults(fs []rules.Finding, limit int) (kept []int, cut int) {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	if len(fs) <= limit {
		return idx, 0
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Compare(fs[b].EffectiveSeverity(), fs[a].EffectiveSeverity())
	})
	kept = idx[:limit]
	slices.Sort(kept)
	return kept, len(fs) - limit
}

// addState writes the baseline state and suppressions of a result.
func addState(res *sarif.Result, f rules.Finding, st State) {
	if st.Baseline != "" {
		res.WithBaselineState(st.Baseline)
	}
	for _, s := range st.Suppressions {
		sup := sarif.NewSuppression(s.Kind).WithStatus("accepted").
			WithJustifcation(nonEmpty(s.Justification, "accepted")).
			WithGuid(suppressionGUID(fingerprint(f), s))
		rg := s.Range
		if rg.Filename == "" {
			rg = findingRange(f)
		}
		sup.WithLocation(sarif.NewLocationWithPhysicalLocation(physicalLocation(rg, true)))
		res.AddSuppression(sup)
	}
}

// suppressionNamespace is the UUID namespace of suppression GUIDs: the
// version 5 UUID of Strider's URL in the RFC 4122 URL namespace.
var suppressionNamespace = uuid5([16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}, informationURIForIDs)

const informationURIForIDs = "https://github.com/strider-sec/strider"

// suppressionGUID is a stable name-based UUID (version 5) for a
// suppression: go-sarif writes "guid": null when none is set, which the
// schema rejects, and a random one would make reports differ run to run.
// The schema accepts versions 1 to 5 only.
func suppressionGUID(fp string, s Suppression) string {
	b := uuid5(suppressionNamespace, fp+"\x00"+s.Kind+"\x00"+s.Justification+"\x00"+s.Range.String())
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// uuid5 is the RFC 4122 name-based UUID with SHA-1.
func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var b [16]byte
	copy(b[:], h.Sum(nil))
	b[6] = b[6]&0x0f | 0x50 // version 5
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return b
}
