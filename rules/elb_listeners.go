package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// ELBHTTPListener flags load balancer listeners that serve plain HTTP
// instead of redirecting it to HTTPS.
var ELBHTTPListener = Rule{
	ID:        "SDR-ELB-001",
	Slug:      "lb-http-listener-without-redirect",
	Title:     "Load balancer serves plain HTTP without redirecting to HTTPS",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering, mappings.Spoofing},
	ATTACK:    []string{"T1557", "T1040"},
	Rationale: `An HTTP listener whose default action forwards traffic serves the application in clear text: session ` +
		`cookies, credentials and data cross the internet readable and modifiable by anyone on the path (public Wi-Fi, ` +
		`a compromised router, a hostile network). Users and links that start on http:// never get upgraded. The ` +
		`listener should only answer with a permanent redirect to HTTPS.`,
	Remediation: `Make the HTTP listener's default action a redirect to HTTPS (status ` + "`HTTP_301`" + `) and serve ` +
		`the application from an HTTPS listener with a current TLS policy.`,
	FixTerraform: `resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}`,
	FixCloudFormation: `HttpListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref LoadBalancer
    Port: 80
    Protocol: HTTP
    DefaultActions:
      - Type: redirect
        RedirectConfig:
          Port: "443"
          Protocol: HTTPS
          StatusCode: HTTP_301`,
	References: []string{
		"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1",
	},
	Check: checkELBHTTPListener,
}

func checkELBHTTPListener(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		l := r.Facets.Listener()
		if l == nil || !l.Protocol.Is("HTTP") || !l.RedirectsToHTTPS.Is(false) {
			continue
		}
		pass.Reportf(r, l.Protocol.Range, "%s serves HTTP and its default action does not redirect to HTTPS: traffic crosses the network in clear text", r.Addr)
	}
	return nil
}

// weakTLSPolicies are the predefined ELB security policies that still
// accept TLS 1.0 or 1.1.
var weakTLSPolicies = map[string]string{
	"ELBSecurityPolicy-2016-08":                "TLS 1.0",
	"ELBSecurityPolicy-2015-05":                "TLS 1.0",
	"ELBSecurityPolicy-TLS-1-0-2015-04":        "TLS 1.0",
	"ELBSecurityPolicy-FS-2018-06":             "TLS 1.0",
	"ELBSecurityPolicy-TLS13-1-0-2021-06":      "TLS 1.0",
	"ELBSecurityPolicy-TLS-1-1-2017-01":        "TLS 1.1",
	"ELBSecurityPolicy-FS-1-1-2019-08":         "TLS 1.1",
	"ELBSecurityPolicy-TLS13-1-1-2021-06":      "TLS 1.1",
	"ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04": "TLS 1.0",
	"ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04": "TLS 1.1",
}

// ELBWeakTLSPolicy flags HTTPS and TLS listeners whose security policy
// still accepts TLS 1.0 or 1.1.
var ELBWeakTLSPolicy = Rule{
	ID:        "SDR-ELB-002",
	Slug:      "lb-weak-tls-policy",
	Title:     "Load balancer listener accepts TLS 1.0 or 1.1",
	Severity:  Medium,
	Precision: PrecisionHigh,
	STRIDE:    []mappings.STRIDE{mappings.InformationDisclosure, mappings.Tampering},
	ATTACK:    []string{"T1557", "T1040"},
	Rationale: `TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and CBC constructions with known ` +
		`attacks, and a policy that accepts them lets an active attacker on the path negotiate clients down to them. ` +
		`The older predefined ELB policies, including ` + "`ELBSecurityPolicy-2016-08`" + ` which many templates copy, ` +
		`still accept TLS 1.0. A listener that names no policy is not reported: its default depends on the API used.`,
	Remediation: `Use ` + "`ELBSecurityPolicy-TLS13-1-2-2021-06`" + ` (TLS 1.2 and 1.3) or a stricter predefined policy.`,
	FixTerraform: `resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.web.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}`,
	FixCloudFormation: `HttpsListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref LoadBalancer
    Port: 443
    Protocol: HTTPS
    SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
    Certificates:
      - CertificateArn: !Ref Certificate
    DefaultActions:
      - Type: forward
        TargetGroupArn: !Ref TargetGroup`,
	References: []string{
		"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
		"https://www.rfc-editor.org/rfc/rfc8996",
	},
	Check: checkELBWeakTLSPolicy,
}

func checkELBWeakTLSPolicy(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		l := r.Facets.Listener()
		if l == nil || l.SSLPolicy.State != graph.Set {
			continue
		}
		version := weakTLSPolicies[strings.TrimSpace(l.SSLPolicy.V)]
		if version == "" {
			continue
		}
		pass.Reportf(r, l.SSLPolicy.Range, "%s uses the TLS policy %s, which accepts %s", r.Addr, l.SSLPolicy.V, version)
	}
	return nil
}
