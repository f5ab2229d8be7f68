package cloudformation

import (
	"bytes"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Detect reports whether src, YAML or JSON, is a CloudFormation template:
// it has a top-level AWSTemplateFormatVersion, or a top-level Resources
// mapping with at least one entry whose Type starts with "AWS::".
//
// A file that does not parse is still detected when its text shows a
// top-level AWSTemplateFormatVersion key, so that a broken template
// reaches Parse and its syntax error is reported instead of the file being
// silently skipped.
func Detect(src []byte) (ok bool) {
	// Most files a scan meets mention neither; skip parsing them.
	if !bytes.Contains(src, []byte("AWSTemplateFormatVersion")) && !bytes.Contains(src, []byte("AWS::")) {
		return false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return versionKey.Match(src)
	}
	if len(doc.Content) == 0 {
		return false
	}
	root := deref(doc.Content[0])
	if root == nil || root.Kind != yaml.MappingNode {
		return false
	}
	// Detection looks at written keys only: no merge keys, no budget.
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := deref(root.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			continue
		}
		switch k.Value {
		case "AWSTemplateFormatVersion":
			return true
		case "Resources":
			if hasAWSResource(deref(root.Content[i+1])) {
				return true
			}
		}
	}
	return false
}

// versionKey matches AWSTemplateFormatVersion as a key at the start of a
// line (YAML) or as a quoted member name (JSON).
var versionKey = regexp.MustCompile(`(?m)^AWSTemplateFormatVersion\s*:|"AWSTemplateFormatVersion"\s*:`)

func hasAWSResource(res *yaml.Node) bool {
	if res == nil || res.Kind != yaml.MappingNode {
		return false
	}
	for i := 1; i < len(res.Content); i += 2 {
		body := deref(res.Content[i])
		if body == nil || body.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(body.Content); j += 2 {
			k, v := deref(body.Content[j]), deref(body.Content[j+1])
			if k != nil && k.Kind == yaml.ScalarNode && k.Value == "Type" &&
				v != nil && v.Kind == yaml.ScalarNode && strings.HasPrefix(v.Value, "AWS::") {
				return true
			}
		}
	}
	return false
}
