package rules

import (
	"strings"

	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/mappings"
)

// APIGatewayNoAuth flags API Gateway methods and HTTP API routes that
// any caller may invoke without authorization.
var APIGatewayNoAuth = Rule{
	ID:        "SDR-APIGW-001",
	Slug:      "apigateway-method-without-authorization",
	Title:     "API Gateway method or route has no authorization",
	Severity:  Medium,
	Precision: PrecisionMedium,
	STRIDE:    []mappings.STRIDE{mappings.Spoofing, mappings.ElevationOfPrivilege},
	ATTACK:    []string{"T1190"},
	Rationale: "A method with authorization `NONE` (the default when none is given) lets anyone who knows the URL " +
		"invoke the backend — a Lambda function, an AWS service integration or an internal HTTP service — with no " +
		"identity at all. Unless the backend authenticates each request itself, its data and actions are open to the " +
		"internet, and nothing ties a request to a caller in the logs. Public endpoints exist (a health check, a " +
		"sign-up form), which is why this rule's precision is medium; CORS preflight (OPTIONS) methods are not reported.",
	Remediation: "Set an authorizer: `AWS_IAM`, a Cognito user pool, a Lambda (`CUSTOM`) or, for HTTP APIs, `JWT`. For a " +
		"method that must be public, require an API key with a usage plan so that it can be throttled and revoked, " +
		"and document the exception.",
	FixTerraform: `resource "aws_api_gateway_method" "get_orders" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.users.id
}`,
	FixCloudFormation: `GetOrders:
  Type: AWS::ApiGateway::Method
  Properties:
    RestApiId: !Ref Api
    ResourceId: !Ref OrdersResource
    HttpMethod: GET
    AuthorizationType: COGNITO_USER_POOLS
    AuthorizerId: !Ref UsersAuthorizer`,
	References: []string{
		"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html",
		"https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html",
	},
	Check: checkAPIGatewayNoAuth,
}

func checkAPIGatewayNoAuth(pass *Pass) error {
	for _, r := range pass.Graph.Resources {
		m := r.Facets.APIMethod()
		if m == nil || m.HTTPMethod.State != graph.Set || m.APIKeyRequired.Is(true) {
			continue
		}
		method := strings.TrimSpace(m.HTTPMethod.V)
		// Preflight requests carry no credentials by design.
		if strings.EqualFold(method, "OPTIONS") || strings.HasPrefix(strings.ToUpper(method), "OPTIONS ") {
			continue
		}
		switch {
		case m.Authorization.State == graph.Absent:
			pass.Reportf(r, r.Range, "%s (%s) sets no authorization, which defaults to NONE: anyone who knows the URL can invoke it", r.Addr, method)
		case m.Authorization.State == graph.Set && strings.EqualFold(strings.TrimSpace(m.Authorization.V), "NONE"):
			pass.Reportf(r, m.Authorization.Range, "%s (%s) has authorization NONE: anyone who knows the URL can invoke it", r.Addr, method)
		}
	}
	return nil
}
