// Package cloudformation reads AWS CloudFormation templates, YAML or JSON,
// into graph resources with their facets.
//
// The template is read as a gopkg.in/yaml.v3 node tree: JSON is YAML, so
// one walk serves both formats and yields a line and column for every key,
// which CloudFormation tooling built on encoding/json cannot. That walk is
// the source of truth for resources, attributes, references and ranges.
//
// # Values
//
// Resource.Attrs holds the resource's Properties. Mappings
// become cty objects, sequences cty tuples. Scalars keep the type YAML
// resolves them to: a plain or tagged int or float becomes a cty.Number, a
// bool a cty.Bool, null a null value, everything else (quoted scalars
// included, so "1" stays a string) a cty.String. JSON numbers and booleans
// therefore become numbers and booleans too.
//
// Intrinsic functions, in long form ({"Fn::Join": ...}) or as YAML short
// tags (!Join), are evaluated only where the template alone decides the
// result; everything else is an unknown value (cty.DynamicVal), never a
// guess:
//
//   - Ref to a parameter yields its Default (String and Number parameters as
//     strings, as CloudFormation passes them; CommaDelimitedList and List<>
//     as tuples of strings). Parameters without a Default, and SSM parameter
//     types whose Default names the value rather than being it, are unknown.
//     Overrides at deploy time cannot be seen, so the Default is what the
//     template says when nobody overrides it.
//   - Ref to a pseudo parameter (AWS::Region, AWS::AccountId, ...) is
//     unknown. Ref to AWS::NoValue removes the property or list element.
//     In an ARN that Fn::Sub builds, ${AWS::AccountId} and ${AWS::Region}
//     in the account and region fields become empty, the form the graph
//     gives ARNs whose account and region the code does not tell (policy
//     matching lets them match the deploying account and region), and
//     ${AWS::Partition} becomes "aws", as in every ARN the graph builds:
//     arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app is
//     arn:aws:iam:::role/app.
//   - Ref and Fn::GetAtt to a resource are unknown and record a graph.Ref
//     whose Attr is the property path holding it.
//   - Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap and
//     Fn::Base64 compute their result when every input is known; otherwise
//     they are unknown, still recording a graph.Ref for every resource they
//     name.
//   - Fn::If picks a branch when its condition can be evaluated (Fn::Equals
//     of known values, Fn::And, Fn::Or, Fn::Not, Condition); otherwise it is
//     unknown and the references of both branches are recorded.
//   - Fn::GetAZs, Fn::ImportValue, Fn::Cidr, Fn::Transform, Fn::Length and
//     Fn::ToJsonString are unknown. Any other function name is unknown and
//     reported as a warning.
//
// A resource whose Condition is known to be false is not emitted, since
// CloudFormation will not create it; one whose Condition is unknown is.
//
// YAML anchors, aliases and merge keys are expanded. Since aliases let a
// few bytes describe an exponential tree, evaluation stops with an Error
// after a million nodes or 64 MiB of text handled, and what remains is
// unknown; real templates (at most 1 MB, 500 resources) stay far below.
//
// # Ranges
//
// A resource's range is its logical ID key. Resource.AttrRanges maps each
// property path to the range of its key, or of the element for list items:
// names joined by dots, list indices as numbers
// ("LaunchTemplateData.MetadataOptions.HttpTokens",
// "SecurityGroupIngress.0.CidrIp"). Paths are those of the evaluated value:
// a branch Fn::If chose contributes its keys under the property's path.
//
// # goformation
//
// github.com/awslabs/goformation/v7 supplies the CloudFormation resource
// specification as Go types. Its template parser is not used: it resolves
// pseudo parameters to invented values ("us-east-1", "123456789012"),
// replaces Fn::GetAtt with nothing, fails the whole template on one unknown
// property or type, keeps no line numbers, panics on some malformed
// intrinsics and registers its YAML tags in an unguarded global map on
// every call, which is fatal under concurrent parsing. Instead, the
// properties of the resource types whose facets Strider computes are
// checked against goformation's generated types, so that a misspelled or
// miscased property (HttpToken, httpTokens), which would silently read as
// "not set", is reported as a warning at its line.
package cloudformation
