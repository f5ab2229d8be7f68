package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

type streamInner struct {
	A string   `json:"a"`
	B []string `json:"b,omitempty"`
}

type streamEmbedded struct {
	Shared []streamInner `json:"shared"`
	Count  int           `json:"count,omitempty"`
}

type streamDoc struct {
	Version string `json:"version"`
	*streamEmbedded
	Items   []*streamInner `json:"items"`
	Empty   []string       `json:"empty"`
	Nil     []string       `json:"nil"`
	Omit    []string       `json:"omit,omitempty"`
	Bytes   []byte         `json:"bytes"`
	Map     map[string]int `json:"map"`
	HTML    string         `json:"html"`
	Skip    string         `json:"-"`
	private string         // unexported: never written
	Nested  [][]int        `json:"nested"`
	Any     any            `json:"any,omitempty"`
	When    time.Time      `json:"when"`
	Untag   bool
	Attrs   map[string]string `json:"attrs,omitempty"`
}

// TestWriteJSONMatchesEncoder holds writeJSON to the encoder's bytes, for
// the shapes the reports use.
func TestWriteJSONMatchesEncoder(t *testing.T) {
	full := &streamDoc{
		Version:        "1",
		streamEmbedded: &streamEmbedded{Shared: []streamInner{{A: "x", B: []string{"y"}}}, Count: 2},
		Items:          []*streamInner{{A: "<b>&"}, nil, {A: "", B: []string{}}},
		Empty:          []string{},
		Bytes:          []byte("raw"),
		Map:            map[string]int{"z": 1, "a": 2},
		HTML:           "ATT&CK <tag>",
		Skip:           "not written",
		private:        "not written",
		Nested:         [][]int{{1, 2}, {}, nil},
		When:           time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC),
		Untag:          true,
	}
	docs := map[string]any{
		"full":         full,
		"by value":     *full,
		"nil embedded": &streamDoc{Version: "2"},
		"empty struct": struct{}{},
		"nil pointer":  (*streamDoc)(nil),
		"not a struct": []int{1, 2},
		"marshaler":    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		"anonymous wrapper": struct {
			SchemaVersion string `json:"schema_version"`
			*streamDoc
		}{"1", full},
	}
	for name, doc := range docs {
		for _, escape := range []bool{true, false} {
			var want, got bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(escape)
			if err := enc.Encode(doc); err != nil {
				t.Fatal(err)
			}
			if err := writeJSON(&got, doc, escape); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s (escape %v): writeJSON wrote\n%s\nthe encoder\n%s", name, escape, got.String(), want.String())
			}
		}
	}
}
