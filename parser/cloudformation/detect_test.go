package cloudformation

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want bool
	}{
		{"version only", "AWSTemplateFormatVersion: '2010-09-09'\n", true},
		{"resources without version", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", true},
		{"sam without version", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", true},
		{"json", `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`, true},
		{"json with version", `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`, true},
		{"resources through alias", "Base: &b\n  B:\n    Type: AWS::S3::Bucket\nResources: *b\n", true},
		{"short tags", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub x\n", true},
		{"broken but versioned", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B: [\n", true},
		{"broken json but versioned", "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n", true},

		{"empty", "", false},
		{"whitespace", "\n\n  \n", false},
		{"kubernetes", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    note: AWS::EC2::Instance\nspec:\n  replicas: 2\n", false},
		{"kubernetes multi-doc", "apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  Type: AWS::S3::Bucket\n", false},
		{"docker compose", "services:\n  web:\n    image: nginx\n    environment:\n      RESOURCE: AWS::S3::Bucket\n", false},
		{"plain json", `{"name": "x", "Type": "AWS::S3::Bucket"}`, false},
		{"terraform plan", `{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [{"address": "aws_instance.a", "type": "aws_instance"}]}}, "resource_changes": [{"type": "aws_cloudformation_stack", "change": {"after": {"template_body": "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}"}}}]}`, false},
		{"resources of other kind", "Resources:\n  X:\n    Type: Custom::Thing\n", false},
		{"resources is a list", "Resources:\n  - Type: AWS::S3::Bucket\n", false},
		{"nested version", "Outer:\n  AWSTemplateFormatVersion: '2010-09-09'\n", false},
		{"broken without version", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n  [\n", false},
		{"scalar", "AWS::S3::Bucket\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.src)); got != tt.want {
				t.Errorf("Detect = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestDetectFixtures checks that every fixture, broken ones included, is
// detected, so that a scan reaches Parse and reports their problems.
func TestDetectFixtures(t *testing.T) {
	for _, path := range fixtures(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := !strings.HasSuffix(path, "not_mapping.yaml") || strings.HasSuffix(path, "resources_not_mapping.yaml")
		if got := Detect(src); got != want {
			t.Errorf("Detect(%s) = %v, want %v", path, got, want)
		}
	}
}

// TestSchema checks properties of facet resource types against
// goformation's types.
func TestSchema(t *testing.T) {
	tests := []struct {
		name, resource string
		want           []string
	}{
		{"valid launch template", `
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: x
      TagSpecifications: [{ResourceType: launch-template, Tags: [{Key: a, Value: b}]}]
      LaunchTemplateData:
        MetadataOptions: {HttpTokens: required, HttpEndpoint: enabled, HttpPutResponseHopLimit: 1, InstanceMetadataTags: enabled}
        BlockDeviceMappings: [{DeviceName: /dev/xvda, Ebs: {VolumeSize: 8}}]
`, nil},
		{"miscased property", `
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: {httpTokens: required}
`, []string{"t.yaml:10:27: warning: unknown property LaunchTemplateData.MetadataOptions.httpTokens of AWS::EC2::LaunchTemplate R: did you mean HttpTokens? Property names are case-sensitive; it is not in the resource specification Strider knows (goformation's); CloudFormation rejects unsupported properties, and Strider does not read it"}},
		{"unknown property in list element", `
    Type: AWS::EC2::LaunchTemplate
    Properties:
      TagSpecifications: [{ResourceType: x, Tagz: []}]
`, []string{"t.yaml:9:45: warning: unknown property TagSpecifications.0.Tagz of AWS::EC2::LaunchTemplate R: it is not in the resource specification Strider knows (goformation's); CloudFormation rejects unsupported properties, and Strider does not read it"}},
		{"instance launch template id miscased", `
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateID: lt-1, Version: "1"}
`, []string{"t.yaml:9:24: warning: unknown property LaunchTemplate.LaunchTemplateID of AWS::EC2::Instance R: did you mean LaunchTemplateId? Property names are case-sensitive; it is not in the resource specification Strider knows (goformation's); CloudFormation rejects unsupported properties, and Strider does not read it"}},
		{"launch configuration metadata options", `
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-1
      InstanceType: t3.micro
      MetadataOptions: {HttpTokens: required, HttpToken: optional}
`, []string{"t.yaml:11:47: warning: unknown property MetadataOptions.HttpToken of AWS::AutoScaling::LaunchConfiguration R: it is not in the resource specification Strider knows (goformation's); CloudFormation rejects unsupported properties, and Strider does not read it"}},
		{"unknown values are not checked", `
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: !If [C, {Nonsense: 1}, {Junk: 2}]
`, nil},
		{"other types are not checked", `
    Type: AWS::S3::Bucket
    Properties:
      NoSuchProperty: 1
`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "Parameters:\n  P: {Type: String}\nConditions:\n  C: !Equals [!Ref P, x]\nResources:\n  R:" + tt.resource
			rs, ds := Parse([]byte(src), "t.yaml")
			checkInvariants(t, "t.yaml", rs, ds)
			if len(rs) != 1 {
				t.Fatalf("got %d resources: %v", len(rs), ds)
			}
			var got []string
			for _, d := range ds {
				got = append(got, d.String())
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
}

// TestSchemaTypes guards the goformation types the check relies on: if an
// upgrade renamed them, every property would be reported unknown.
func TestSchemaTypes(t *testing.T) {
	for typ, rt := range schemas {
		fields := fieldsOf(rt)
		for _, want := range map[string][]string{
			typeInstance:            {"LaunchTemplate", "ImageId", "UserData"},
			typeLaunchTemplate:      {"LaunchTemplateData", "LaunchTemplateName"},
			typeLaunchConfiguration: {"MetadataOptions", "ImageId"},
		}[typ] {
			if _, ok := fields[want]; !ok {
				t.Errorf("%s (%v) has no property %s", typ, rt, want)
			}
		}
		for name := range fields {
			if strings.HasPrefix(name, "AWSCloudFormation") {
				t.Errorf("%s: resource attribute field %s listed as a property", typ, name)
			}
		}
	}
	// The facet paths must exist in the specification.
	lt := fieldsOf(schemas[typeLaunchTemplate])
	data := fieldsOf(lt["LaunchTemplateData"].Elem())
	opts := fieldsOf(data["MetadataOptions"].Elem())
	for _, f := range []string{"HttpTokens", "HttpEndpoint", "HttpPutResponseHopLimit"} {
		if _, ok := opts[f]; !ok {
			t.Errorf("LaunchTemplateData.MetadataOptions has no %s", f)
		}
	}
}
