package cloudformation

import (
	"os"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Detect and Parse, seeded with the
// fixtures. Parse must not panic (it would recover and report
// internalError, which checkInvariants rejects) and must keep its output
// well-formed.
func FuzzParse(f *testing.F) {
	for _, path := range fixtures(f) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(intrinsicPrelude + "!If [Unsure, !Sub '${Other.Arn}', !Select [0, !Split [',', !Join [',', !Ref Zones]]]]\n"))
	f.Add([]byte("Resources:\n  A: &a\n    Type: AWS::S3::Bucket\n    Properties: {Self: *a, <<: *a}\n"))
	f.Add([]byte("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: sts:AssumeRole, Condition: {StringEquals: {aws:PrincipalOrgID: !Ref Org}}}]}\n      Policies: [{PolicyName: p, PolicyDocument: '{\"Statement\": {\"Effect\": \"Allow\"}}'}]\n  U:\n    Type: AWS::IAM::User\n    Properties: {Groups: [!Ref G], LoginProfile: {Password: x}}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		Detect(src)
		rs, ds := Parse(src, "fuzz.yaml")
		checkInvariants(t, "fuzz.yaml", rs, ds)
		for _, r := range rs {
			if m := r.Facets.IMDS(); m != nil && m.TokensName != "HttpTokens" {
				t.Errorf("%s: TokensName %q", r.Addr.Name, m.TokensName)
			}
		}
	})
}
