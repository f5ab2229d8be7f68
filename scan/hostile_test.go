package scan

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/rules"
)

// Hostile and broken inputs, each beside a normal Terraform file: the scan
// finishes, names the bad file in a diagnostic of the expected severity,
// and still reports the normal file's finding.
func TestHostileInputs(t *testing.T) {
	billionLaughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		billionLaughs += n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = n
	}
	billionLaughs = "AWSTemplateFormatVersion: '2010-09-09'\n" + billionLaughs +
		"Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *i\n"

	tests := []struct {
		name     string
		file     string
		src      string
		severity graph.Severity
	}{
		{"HCL nested past the parser's stack", "deep/main.tf",
			"locals {\n  x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + "\n}\n", graph.Error},
		{"JSON configuration nested deep", "deepjson/main.tf.json",
			`{"locals": {"x": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "}}", graph.Error},
		{"binary data with a .tf name", "bin/main.tf", "resource \x00\xff\xfe binary", graph.Error},
		{"invalid UTF-8", "latin1/main.tf", "locals { x = \"caf\xe9\" }\n", graph.Error},
		{"YAML alias expansion", "cfn/laughs.yaml", billionLaughs, graph.Error},
		{"YAML nested deep", "cfn/deep.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: " +
			strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", graph.Error},
		{"plan JSON nested deep", "plans/deep-plan.json", `{"format_version": "1.2", "planned_values": ` +
			strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}", graph.Error},
		{"plan of an unknown format", "plans/future-plan.json", `{"format_version": "9.0", "planned_values": {"root_module": {}}}`, graph.Warning},
		{"CloudFormation with unknown intrinsics", "cfn/odd.yaml",
			"Resources:\n  R:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData: {\"Fn::Nope\": [1]}\n", graph.Warning},
		{"CloudFormation of the wrong shape", "cfn/shape.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: [1, 2]\n", graph.Error},
		{"a count of a billion", "count/main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  count = 1000000000\n}\n", graph.Error},
		{"a module calling itself", "cycle/main.tf", "module \"again\" {\n  source = \"./\"\n}\n", graph.Error},
		{"two modules calling each other", "pair/b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n", graph.Error},
		{"a runaway for expression", "work/main.tf", "locals {\n  x = [for i in range(100000000) : i]\n}\n", graph.Warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{
				"normal/main.tf": "resource \"aws_instance\" \"normal\" {}\n",
				tt.file:          tt.src,
			})
			if strings.HasPrefix(tt.file, "pair/") {
				write(t, dir, map[string]string{"pair/a/main.tf": "module \"b\" {\n  source = \"../b\"\n}\n"})
			}
			res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) > 0 {
				t.Errorf("internal errors: %v", res.Errors)
			}
			if !slices.ContainsFunc(res.Findings, func(f rules.Finding) bool { return f.Resource.Addr.Name == "normal" }) {
				t.Errorf("the normal file's finding is missing; findings %v", res.Findings)
			}
			named := slices.ContainsFunc(res.Diagnostics, func(d graph.Diagnostic) bool {
				return d.Range.Filename == tt.file && d.Severity == tt.severity
			})
			if !named {
				t.Errorf("no %v diagnostic naming %s; got %v", tt.severity, tt.file, res.Diagnostics)
			}
			if len(res.Diagnostics) > 20 {
				t.Errorf("%d diagnostics: one bad file should not flood the output", len(res.Diagnostics))
			}
		})
	}
}

// A symbolic link to a directory above it would loop forever if followed.
func TestSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"a/main.tf": "resource \"aws_instance\" \"normal\" {}\n"})
	if err := os.Symlink("..", filepath.Join(dir, "a", "loop")); err != nil {
		t.Skip(err)
	}
	res, err := Run(context.Background(), Options{Paths: []string{dir}, BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Errorf("findings %v", res.Findings)
	}
}
