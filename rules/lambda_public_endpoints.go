package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// The Lambda rules of this file use IDs in the 1NN range, apart from the
// permission rules.

// isPublicFront says whether a front lets callers on the internet invoke
// its function: a function URL without IAM auth, or any API Gateway
// integration (its methods answer the internet, authorised or not).
func isPublicFront(f *graph.LambdaFront) bool {
	if f.Kind != "function URL" {
		return true
	}
	return f.Auth.State == graph.Set && strings.EqualFold(strings.TrimSpace(f.Auth.V), "NONE")
}

// LambdaURLNoAuth flags Lambda function URLs that anyone may call.
var LambdaURLNoAuth = Rule{
	ID:        "SDR-LAMBDA-101",
	Slug:      "lambda-function-url-without-auth",
	Title:     "Lambda function URL requires no authentication",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege, mappings.DenialOfService},
	ATTACK:    []string{"T1190"},
	Rationale: "A function URL with authorization type `NONE` is a public HTTPS endpoint: anyone who learns the URL " +
		"invokes the function, with the function's role, and every call is billed to you. Unless the code " +
		"authenticates each request (a signed webhook, for one), its data and side effects are open to the internet, " +
		"with no API Gateway in front for throttling, WAF or usage plans.",
	Remediation: "Use `AWS_IAM` and sign requests (CloudFront with origin access control can sign for browsers), or put " +
		"the function behind API Gateway with an authorizer. If the URL must be public, verify a signature or token in " +
		"the code and set reserved concurrency to bound the cost of abuse.",
	FixTerraform: `resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "AWS_IAM"
}`,
	FixCloudFormation: `ApiUrl:
  Type: AWS::Lambda::Url
  Properties:
    TargetFunctionArn: !GetAtt ApiFunction.Arn
    AuthType: AWS_IAM`,
	References: []string{
		"https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
		"https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html",
	},
	Check: func(pass *Pass) error {
		for _, r := range pass.Graph.Resources {
			f := r.Facets.LambdaFront()
			if f == nil || f.Kind != "function URL" || !isPublicFront(f) {
				continue
			}
			target := "its function"
			if f.Function != nil {
				target = f.Function.Target
			}
			pass.Reportf(r, f.Auth.Range, "%s has authorization type NONE: anyone on the internet can invoke %s", r.Addr, target)
		}
		return nil
	},
}

// LambdaPublicNoReservedConcurrency flags functions that the internet
// can invoke and that have no reserved concurrency.
var LambdaPublicNoReservedConcurrency = Rule{
	ID:        "SDR-LAMBDA-102",
	Slug:      "lambda-public-without-reserved-concurrency",
	Title:     "Publicly invoked Lambda function has no reserved concurrency",
	Severity:  Low,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.DenialOfService},
	ATTACK:    []string{"T1499.003", "T1496"},
	Rationale: `All functions of an account and region share one concurrency quota (1,000 by default). A function ` +
		`that the internet can invoke — through a public function URL or an API Gateway — and that has no reserved ` +
		`concurrency can be driven to take the whole quota by a flood of requests: every other function in the account ` +
		`is then throttled (an application-layer denial of service), and the bill grows with every invocation. ` +
		`Reserved concurrency caps the function and guarantees the others their share.`,
	Remediation: `Set ` + "`reserved_concurrent_executions`" + ` (` + "`ReservedConcurrentExecutions`" + `) to the ` +
		`peak the function needs, and throttle the API stage or put a WAF rate limit in front.`,
	FixTerraform: `resource "aws_lambda_function" "api" {
  function_name                  = "api"
  role                           = aws_iam_role.api.arn
  handler                        = "app.handler"
  runtime                        = "python3.12"
  filename                       = "api.zip"
  reserved_concurrent_executions = 50
}`,
	FixCloudFormation: `ApiFunction:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Role: !GetAtt ApiRole.Arn
    Code:
      S3Bucket: !Ref ArtifactBucket
      S3Key: api.zip
    ReservedConcurrentExecutions: 50`,
	References: []string{
		"https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",
		"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html",
	},
	Check: func(pass *Pass) error {
		for _, r := range pass.Graph.Resources {
			fn := r.Facets.LambdaFunction()
			if fn == nil || fn.ReservedConcurrency.State == graph.Unknown ||
				fn.ReservedConcurrency.State == graph.Set && fn.ReservedConcurrency.V >= 0 {
				continue
			}
			var fronts []string
			for _, f := range fn.Fronts {
				if isPublicFront(f.Facets.LambdaFront()) {
					fronts = append(fronts, f.Facets.LambdaFront().Kind+" "+f.Addr.String())
				}
			}
			if len(fronts) == 0 {
				continue
			}
			pass.Reportf(r, r.Range, "%s is invoked from the internet through %s and has no reserved concurrency: a request flood can exhaust the account's concurrency",
				r.Addr, strings.Join(fronts, ", "))
		}
		return nil
	},
}
