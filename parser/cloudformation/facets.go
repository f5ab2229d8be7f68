package cloudformation

import (
	"strings"

	"github.com/strider-sec/strider/graph"
)

// Resource types with facets, as CloudFormation spells them.
const (
	typeInstance            = "AWS::EC2::Instance"
	typeLaunchTemplate      = "AWS::EC2::LaunchTemplate"
	typeLaunchConfiguration = "AWS::AutoScaling::LaunchConfiguration"
)

// fillFacets sets the facets of r that its type carries, from its
// evaluated properties.
func fillFacets(r *graph.Resource, st *resState) {
	fillIAMFacets(r, st)
	fillServices(r, st)
	fillZones(r, st)
	switch r.Addr.Type {
	case typeLaunchTemplate:
		m := imds(r, "LaunchTemplateData.MetadataOptions")
		m.TemplateName = r.StringAttr("LaunchTemplateName")
		m.Image = imageLink(r, st, "LaunchTemplateData.ImageId")
		r.Facets.SetIMDS(m)
	case typeLaunchConfiguration:
		m := imds(r, "MetadataOptions")
		m.Image = imageLink(r, st, "ImageId")
		r.Facets.SetIMDS(m)
	case typeInstance:
		// Its own MetadataOptions win; without them, a launch template's
		// apply.
		m := imds(r, "MetadataOptions")
		m.LaunchTemplate = templateLink(r, st)
		m.Image = imageLink(r, st, "ImageId")
		r.Facets.SetIMDS(m)
	}
}

// imageLink reads where an image ID property comes from, when the
// template says: a parameter holding an image ID from SSM, or a dynamic
// reference {{resolve:ssm:name}}.
func imageLink(r *graph.Resource, st *resState, prop string) *graph.ImageLink {
	if name, ok := st.images[prop]; ok {
		return &graph.ImageLink{Range: r.AttrRange(prop), Source: &graph.ImageSource{Names: []graph.Value[string]{name}, SSM: true}}
	}
	v := r.StringAttr(prop)
	if v.State != graph.Set || !strings.HasPrefix(v.V, "{{resolve:ssm:") || !strings.HasSuffix(v.V, "}}") {
		return nil
	}
	name := strings.TrimSuffix(strings.TrimPrefix(v.V, "{{resolve:ssm:"), "}}")
	if i := strings.LastIndexByte(name, ':'); i > 0 {
		name = name[:i] // a version or label
	}
	return &graph.ImageLink{Range: v.Range, Source: &graph.ImageSource{Names: []graph.Value[string]{graph.Known(name, v.Range)}, SSM: true}}
}

// imds reads the metadata options block at path.
func imds(r *graph.Resource, block string) *graph.IMDS {
	m := &graph.IMDS{
		Tokens:     r.StringAttr(block + ".HttpTokens"),
		TokensName: "HttpTokens",
		Endpoint:   r.StringAttr(block + ".HttpEndpoint"),
		HopLimit:   r.IntAttr(block + ".HttpPutResponseHopLimit"),
		BlockSet:   r.HasAttr(block),
		Block:      r.Range,
	}
	if m.BlockSet {
		m.Block = r.AttrRange(block)
	}
	return m
}

// templateLink reads an instance's LaunchTemplate property. The link names
// a resource only when LaunchTemplateId or LaunchTemplateName is, as a
// whole, a Ref or Fn::GetAtt to it: a reference inside a string or an
// undecided Fn::If does not say which template is used.
func templateLink(r *graph.Resource, st *resState) *graph.TemplateLink {
	const block = "LaunchTemplate"
	if !r.HasAttr(block) {
		return nil
	}
	l := &graph.TemplateLink{
		Name:  r.StringAttr(block + ".LaunchTemplateName"),
		Range: r.AttrRange(block),
	}
	for _, attr := range []string{"LaunchTemplateId", "LaunchTemplateName"} {
		if ref, ok := st.direct[block+"."+attr]; ok {
			l.Ref = &ref
			break
		}
	}
	return l
}
