package suppress

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/strider-sec/strider/graph"
)

// isCloudFormation says whether a file may hold a template worth reading
// for Metadata: cheaper than decoding every .tf file as YAML.
func isCloudFormation(name string, src []byte) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".json", ".template", ".cfn":
		return bytes.Contains(src, []byte("Resources")) && bytes.Contains(src, []byte("strider"))
	}
	return false
}

// cloudFormation reads Resources.<id>.Metadata.strider.ignore from a
// template. YAML is a superset of JSON, and intrinsic tags (!Ref) decode
// as tagged nodes, so one decoder serves both forms. A template that does
// not decode is the parser's to report; here it just has no directives.
func (s *Scanner) cloudFormation(name string, src []byte) map[string][]Directive {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	out := map[string][]Directive{}
	resources := mapValue(doc.Content[0], "Resources")
	if resources == nil || resources.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		id := resources.Content[i].Value
		ignore := mapValue(mapValue(mapValue(resources.Content[i+1], "Metadata"), "strider"), "ignore")
		if ignore == nil {
			continue
		}
		at := func(n *yaml.Node) graph.Range {
			return graph.Range{Filename: name, Start: graph.PosAt(n.Line, n.Column)}
		}
		if ignore.Kind != yaml.SequenceNode {
			s.check(Directive{Range: at(ignore)}, fmt.Errorf("Metadata.strider.ignore of %s must be a list of {id, reason, expires}", id))
			continue
		}
		for _, e := range ignore.Content {
			d := Directive{Range: at(e)}
			var err error
			if e.Kind != yaml.MappingNode {
				err = fmt.Errorf("an entry of Metadata.strider.ignore of %s is not a mapping", id)
			} else {
				if v := mapValue(e, "id"); v != nil {
					for part := range strings.SplitSeq(v.Value, ",") {
						if part = strings.TrimSpace(part); part != "" {
							d.IDs = append(d.IDs, part)
						}
					}
				}
				if v := mapValue(e, "reason"); v != nil {
					d.Reason = strings.TrimSpace(v.Value)
				}
				if v := mapValue(e, "expires"); v != nil {
					t, perr := time.Parse(time.DateOnly, v.Value)
					if perr != nil {
						err = fmt.Errorf("expires %q is not a date YYYY-MM-DD", v.Value)
					}
					d.Expires = t
				}
			}
			out[id] = append(out[id], s.check(d, err))
		}
	}
	return out
}

// mapValue is the value of key in a mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
