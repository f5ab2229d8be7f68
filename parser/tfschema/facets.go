package tfschema

import "github.com/strider-sec/strider/graph"

// Fill sets the facets of r that its Terraform type carries. It reads
// r.Attrs, r.AttrRanges and r.Refs, so parsers call it last.
func Fill(r *graph.Resource) {
	if r.Addr.Mode != graph.Managed {
		return
	}
	switch r.Addr.Type {
	case "aws_instance", "aws_spot_instance_request":
		m := imds(r)
		m.LaunchTemplate = templateLink(r)
		r.Facets.IMDS = m
	case "aws_launch_template":
		m := imds(r)
		m.TemplateName = String(r, "name")
		r.Facets.IMDS = m
	case "aws_launch_configuration":
		r.Facets.IMDS = imds(r)
	case "aws_ec2_instance_metadata_defaults":
		r.Facets.IMDSDefaults = &graph.IMDSDefaults{
			Tokens:   String(r, "http_tokens"),
			Endpoint: String(r, "http_endpoint"),
		}
	}
}

func imds(r *graph.Resource) *graph.IMDS {
	const block = "metadata_options.0"
	m := &graph.IMDS{
		Tokens:     String(r, block+".http_tokens"),
		TokensName: "http_tokens",
		Endpoint:   String(r, block+".http_endpoint"),
		HopLimit:   Int(r, block+".http_put_response_hop_limit"),
		Settable:   true,
		BlockSet:   HasBlock(r, block),
		Block:      r.Range,
	}
	if m.BlockSet {
		m.Block = r.AttrRange(block)
	}
	return m
}

func templateLink(r *graph.Resource) *graph.TemplateLink {
	const block = "launch_template.0"
	if !HasBlock(r, block) {
		return nil
	}
	return &graph.TemplateLink{
		Ref:   RefAt(r, block),
		Name:  String(r, block+".name"),
		Range: r.AttrRange(block),
	}
}
