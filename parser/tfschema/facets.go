package tfschema

import (
	"strconv"

	"github.com/strider-sec/strider/graph"
)

// Fill sets the facets of r that its Terraform type carries. It reads
// r.Attrs, r.AttrRanges and r.Refs, so parsers call it last.
func Fill(r *graph.Resource) {
	if r.Addr.Mode != graph.Managed {
		fillPolicyDocument(r)
		fillImageSource(r)
		return
	}
	fillIAM(r)
	fillServices(r)
	fillZones(r)
	switch r.Addr.Type {
	case "aws_instance", "aws_spot_instance_request":
		m := imds(r)
		m.LaunchTemplate = templateLink(r)
		m.Image = imageLink(r, "ami")
		r.Facets.SetIMDS(m)
	case "aws_launch_template":
		m := imds(r)
		m.TemplateName = r.StringAttr("name")
		m.Image = imageLink(r, "image_id")
		r.Facets.SetIMDS(m)
	case "aws_launch_configuration":
		m := imds(r)
		m.Image = imageLink(r, "image_id")
		r.Facets.SetIMDS(m)
	case "aws_ec2_instance_metadata_defaults":
		r.Facets.SetIMDSDefaults(&graph.IMDSDefaults{
			Tokens:   r.StringAttr("http_tokens"),
			Endpoint: r.StringAttr("http_endpoint"),
		})
	}
}

func imds(r *graph.Resource) *graph.IMDS {
	const block = "metadata_options.0"
	m := &graph.IMDS{
		Tokens:     r.StringAttr(block + ".http_tokens"),
		TokensName: "http_tokens",
		Endpoint:   r.StringAttr(block + ".http_endpoint"),
		HopLimit:   r.IntAttr(block + ".http_put_response_hop_limit"),
		BlockSet:   r.HasAttr(block),
		Block:      r.Range,
	}
	if m.BlockSet {
		m.Block = r.AttrRange(block)
	}
	return m
}

func templateLink(r *graph.Resource) *graph.TemplateLink {
	const block = "launch_template.0"
	if !r.HasAttr(block) {
		return nil
	}
	return &graph.TemplateLink{
		Ref:   RefAt(r, block),
		Name:  r.StringAttr(block + ".name"),
		Range: r.AttrRange(block),
	}
}

// imageLink reads an image attribute that refers to a data source.
func imageLink(r *graph.Resource, attr string) *graph.ImageLink {
	ref := RefAt(r, attr)
	if ref == nil {
		return nil
	}
	return &graph.ImageLink{Ref: ref, Range: r.AttrRange(attr)}
}

// fillImageSource reads the data sources that find machine images.
func fillImageSource(r *graph.Resource) {
	switch r.Addr.Type {
	case "aws_ami":
		s := &graph.ImageSource{IMDSSupport: r.StringAttr("imds_support")}
		s.Owners, _ = r.StringListAttr("owners")
		if v := r.StringAttr("name_regex"); v.State != graph.Absent {
			s.Names = append(s.Names, v)
		}
		n, _ := r.ListLen("filter")
		for i := range n {
			p := "filter." + strconv.Itoa(i)
			if r.StringAttr(p + ".name").Is("name") {
				vs, _ := r.StringListAttr(p + ".values")
				s.Names = append(s.Names, vs...)
			}
		}
		r.Facets.SetImageSource(s)
	case "aws_ssm_parameter":
		r.Facets.SetImageSource(&graph.ImageSource{Names: []graph.Value[string]{r.StringAttr("name")}, SSM: true})
	}
}
