package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// CloudFrontViewerHTTP flags CloudFront cache behaviors that serve
// viewers over plain HTTP.
var CloudFrontViewerHTTP = Rule{
	ID:        "SDR-CF-001",
	Slug:      "cloudfront-allows-http",
	Title:     "CloudFront serves viewers over plain HTTP",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering},
	ATTACK:    []string{"T1557", "T1040"},
	Rationale: "A cache behavior with the viewer protocol policy `allow-all` answers plain HTTP requests with content " +
		"instead of redirecting them. Cookies, tokens and page contents then travel in clear text between the viewer and " +
		"the edge, where anyone on the network path can read or rewrite them (injecting scripts into pages, for one).",
	Remediation: "Set the viewer protocol policy of the default and of every ordered cache behavior to " +
		"`redirect-to-https` or `https-only`, and the viewer certificate's minimum protocol version to `TLSv1.2_2021`.",
	FixTerraform: `resource "aws_cloudfront_distribution" "site" {
  enabled = true

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = data.aws_cloudfront_cache_policy.optimized.id
  }

  # origin, restrictions and viewer_certificate as before
}`,
	FixCloudFormation: `Distribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      DefaultCacheBehavior:
        TargetOriginId: site
        ViewerProtocolPolicy: redirect-to-https
        CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-3",
	},
	Check: checkCloudFrontViewerHTTP,
}

func checkCloudFrontViewerHTTP(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		d := r.Facets.Distribution()
		if d == nil {
			continue
		}
		for _, b := range d.Behaviors {
			// Both APIs require the policy; "allow-all" is the one value
			// that serves HTTP.
			if b.Policy.State == graph.Set && strings.EqualFold(strings.TrimSpace(b.Policy.V), "allow-all") {
				pass.Reportf(r, b.Policy.Range, "%s: the %s has viewer protocol policy %q and serves content over plain HTTP", r.Addr, b.Behavior, b.Policy.V)
			}
		}
	}
	return nil
}

// weakViewerProtocols are CloudFront minimum protocol versions that
// accept SSLv3, TLS 1.0 or TLS 1.1.
var weakViewerProtocols = map[string]string{
	"SSLv3": "SSLv3", "TLSv1": "TLS 1.0", "TLSv1_2016": "TLS 1.0", "TLSv1.1_2016": "TLS 1.1",
}

// CloudFrontWeakTLS flags distributions whose viewer certificate accepts
// TLS below 1.2.
var CloudFrontWeakTLS = Rule{
	ID:        "SDR-CF-002",
	Slug:      "cloudfront-weak-tls",
	Title:     "CloudFront accepts viewers on TLS 1.1 or older",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering},
	ATTACK:    []string{"T1557", "T1040"},
	Rationale: `The viewer certificate's minimum protocol version decides the oldest TLS a viewer may negotiate. ` +
		`SSLv3, TLS 1.0 and TLS 1.1 are deprecated (RFC 8996) and let an active attacker on the path downgrade ` +
		`connections to ciphers and constructions with known attacks. Every current browser and client speaks TLS 1.2.`,
	Remediation: `Set ` + "`minimum_protocol_version = \"TLSv1.2_2021\"`" + ` (` + "`MinimumProtocolVersion: TLSv1.2_2021`" +
		`) with an SNI-only custom certificate.`,
	FixTerraform: `resource "aws_cloudfront_distribution" "site" {
  # origin, default_cache_behavior and restrictions as before

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.site.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}`,
	FixCloudFormation: `Distribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      ViewerCertificate:
        AcmCertificateArn: !Ref Certificate
        SslSupportMethod: sni-only
        MinimumProtocolVersion: TLSv1.2_2021`,
	References: []string{
		"https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
		"https://www.rfc-editor.org/rfc/rfc8996",
	},
	Check: func(pass *Pass) error {
		for _, r := range pass.Graph.Resources {
			d := r.Facets.Distribution()
			if d == nil || d.MinimumProtocol.State != graph.Set {
				continue
			}
			if v, weak := weakViewerProtocols[strings.TrimSpace(d.MinimumProtocol.V)]; weak {
				pass.Reportf(r, d.MinimumProtocol.Range, "%s accepts viewers on %s (minimum protocol version %s)", r.Addr, v, d.MinimumProtocol.V)
			}
		}
		return nil
	},
}
