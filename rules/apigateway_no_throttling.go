package rules

import (
	"strconv"
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// APIGatewayNoThrottling flags API Gateway stages that set no request
// throttling of their own.
var APIGatewayNoThrottling = Rule{
	ID:        "SDR-APIGW-002",
	Slug:      "apigateway-stage-without-throttling",
	Title:     "API Gateway stage sets no throttling",
	Severity:  Low,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.DenialOfService},
	ATTACK:    []string{"T1499.003", "T1496"},
	Rationale: `Without a stage or route throttle, an API accepts requests up to the account-level limit shared by ` +
		`every API in the region (10,000 requests per second by default). A flood against one public API then ` +
		`throttles all the others, and every accepted request invokes the backend — Lambda concurrency, database ` +
		`connections, and the bill. A stage limit sized for the API's real traffic contains the damage to that API.`,
	Remediation: `Set a rate and burst limit on the stage: ` + "`aws_api_gateway_method_settings`" + ` with ` +
		"`settings { throttling_rate_limit, throttling_burst_limit }`" + ` for REST APIs, ` +
		"`default_route_settings`" + ` for HTTP APIs (` + "`MethodSettings`" + ` / ` + "`DefaultRouteSettings`" +
		` in CloudFormation), and usage plans for per-client limits.`,
	FixTerraform: `resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = 200
  }
}`,
	FixCloudFormation: `ProdStage:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    StageName: prod
    MethodSettings:
      - ResourcePath: "/*"
        HttpMethod: "*"
        ThrottlingRateLimit: 100
        ThrottlingBurstLimit: 200`,
	References: []string{
		"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html",
		"https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html",
	},
	Check: checkAPIGatewayNoThrottling,
}

// throttleState says whether a rate limit is set (true), not set
// (false), or cannot be known (unknown state).
func throttleState(v graph.Value[string]) graph.Value[bool] {
	switch v.State {
	case graph.Unknown:
		return graph.UnknownValue[bool](v.Range)
	case graph.Set:
		// -1 is how the providers spell "not throttled".
		if f, err := strconv.ParseFloat(strings.TrimSpace(v.V), 64); err == nil && f >= 0 {
			return graph.Known(true, v.Range)
		}
	}
	return graph.Known(false, v.Range)
}

func checkAPIGatewayNoThrottling(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		st := r.Facets.APIStage()
		if st == nil {
			continue
		}
		states := []graph.Value[bool]{throttleState(st.RateLimit)}
		for _, s := range st.Settings {
			states = append(states, throttleState(s.Facets.APIMethodSettings().RateLimit))
		}
		decided, unknown := false, false
		for _, s := range states {
			decided = decided || s.Is(true)
			unknown = unknown || s.State == graph.Unknown
		}
		if decided || unknown {
			continue
		}
		pass.Reportf(r, r.Range, "%s sets no throttling: requests are limited only by the account-wide quota shared with every other API", r.Addr)
	}
	return nil
}
