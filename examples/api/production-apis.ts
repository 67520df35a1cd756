// Two production ObservableApis, shared by examples/app.ts (which deploys them) and the demo
// (which replays API Gateway's own checks from their synthesized template). JWT authorizers
// exist only on HTTP APIs and usage plans only on REST APIs, so a production setup that
// wants both has one of each.
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ApiAuthorization, ApiKind, ObservableApi } from '../../src';

/** What API Gateway checks before the function runs: a new order's body. */
export const NEW_ORDER_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['item', 'quantity'],
  additionalProperties: false,
  properties: {
    item: { type: apigateway.JsonSchemaType.STRING, minLength: 1 },
    quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1, maximum: 1000 },
  },
};

/** The identity provider the shop's tokens come from (Auth0 here; Okta, Entra ID and Cognito work the same). */
export const SHOP_ISSUER = 'https://example.eu.auth0.com/';

export interface ProductionApis {
  /** REST: partners call it with an API key (usage plan) and IAM; bodies are validated by API Gateway. */
  readonly partnerApi: ObservableApi;
  /** HTTP: the shop's browser app calls it with a JWT; GET /health is public. */
  readonly shopApi: ObservableApi;
}

export function productionApis(scope: Construct): ProductionApis {
  // The certificate must be in the stack's region (an EDGE API's in us-east-1).
  const certificate = acm.Certificate.fromCertificateArn(scope, 'ApiCertificate', 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
  const zone = route53.HostedZone.fromHostedZoneAttributes(scope, 'ApiZone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });

  const partnerApi = new ObservableApi(scope, 'PartnerApi', {
    customDomain: { domainName: 'partners.example.com', certificate, hostedZone: zone, basePath: 'v1', disableExecuteApiEndpoint: true },
    usagePlans: [{
      name: 'standard',
      rateLimitPerSecond: 50,
      burstLimit: 100,
      quotaRequests: 100_000,
      quotaPeriod: apigateway.Period.MONTH,
      methodThrottles: [{ path: '/orders', method: 'POST', rateLimitPerSecond: 10, burstLimit: 20 }],
      // API Gateway generates the value; read it with `aws apigateway get-api-key --include-value`.
      apiKeyNames: ['acme'],
    }],
    routes: [{ path: '/orders', methods: ['POST'], requestBodySchema: NEW_ORDER_SCHEMA }],
    manageAccountCloudWatchRole: true,
  });

  const shopApi = new ObservableApi(scope, 'ShopApi', {
    apiKind: ApiKind.http(),
    authorization: ApiAuthorization.jwt(SHOP_ISSUER, ['https://shop.example.com'], { scopes: ['orders:read'] }),
    // GET /health is public on purpose; without this prop ApiAuthorization.none() fails synth.
    allowUnauthenticatedAccess: true,
    routes: [
      { path: '/health', methods: ['GET'], authorization: ApiAuthorization.none() },
      { path: '/orders', methods: ['POST'], authorizationScopes: ['orders:write'] },
    ],
    customDomain: { domainName: 'shop.example.com', certificate, hostedZone: zone },
    cors: { allowOrigins: ['https://shop.example.com'] },
    apiMonitoring: { lowTrafficRequestsPerHour: 10 },
  });
  return { partnerApi, shopApi };
}
