import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ApiKind } from './api-kind';

/**
 * A minimal app client the construct creates in your user pool, only when you ask for it:
 * authorization code grant only (no implicit grant), the scopes the API asks for, and no
 * client secret (a browser or mobile app cannot keep one).
 */
export interface CognitoAppClientOptions {
  /** Where Cognito may redirect after sign-in, e.g. `['https://app.example.com/callback']`. */
  readonly callbackUrls: string[];

  /**
   * Where Cognito may redirect after sign-out.
   *
   * @default - none
   */
  readonly logoutUrls?: string[];
}

/** Options of a Cognito user pool authorizer. */
export interface CognitoAuthorizationOptions {
  /**
   * OAuth scopes a token must carry (one of them), e.g. `['orders/read']`. Routes can ask for
   * their own with `ApiRoute.authorizationScopes`.
   *
   * @default - none: any valid token of the pool is accepted (REST: ID token; HTTP: ID or access token of the clients)
   */
  readonly scopes?: string[];

  /**
   * App clients whose tokens an HTTP API accepts (the JWT audience). An HTTP API needs them,
   * or `appClient` to have a minimal one created. REST APIs accept any client of the pool.
   *
   * @default - none; an HTTP API then needs `appClient`
   */
  readonly userPoolClients?: cognito.IUserPoolClient[];

  /**
   * Create a minimal app client in the pool for this API (HTTP APIs): authorization code
   * grant only, the API's and its routes' scopes, no secret. Nothing is created in your pool
   * unless you set this.
   *
   * @default - no client is created
   */
  readonly appClient?: CognitoAppClientOptions;
}

/** Options of an HTTP API JWT authorizer. */
export interface JwtAuthorizationOptions {
  /**
   * OAuth scopes a token must carry (one of them), e.g. `['orders/read']`. Routes can ask for
   * their own with `ApiRoute.authorizationScopes`.
   *
   * @default - none: any valid token of the issuer for the audience is accepted
   */
  readonly scopes?: string[];

  /**
   * Where API Gateway reads the token, as an identity source expression.
   *
   * @default '$request.header.Authorization'
   */
  readonly identitySource?: string;
}

/** Options of a Lambda (custom) authorizer. */
export interface LambdaAuthorizationOptions {
  /**
   * The request header that carries the caller's credentials.
   *
   * @default 'Authorization'
   */
  readonly identityHeader?: string;

  /**
   * How long API Gateway caches the authorizer's answer per identity. Zero disables caching.
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}

/** Options of a REST API Lambda TOKEN authorizer. */
export interface LambdaTokenAuthorizationOptions extends LambdaAuthorizationOptions {
  /**
   * A regular expression the token must match before API Gateway calls the authorizer
   * (cheap rejection of garbage without an invocation), e.g. `'^Bearer [-0-9a-zA-Z._]+$'`.
   *
   * @default - every token reaches the authorizer
   */
  readonly validationRegex?: string;
}

/** What a REST API method gets from the authorization choice. @internal */
export interface RestAuthorization {
  readonly authorizationType: apigateway.AuthorizationType;
  readonly authorizer?: apigateway.IAuthorizer;
  readonly authorizationScopes?: string[];
}

/** What an HTTP API route gets from the authorization choice. @internal */
export interface HttpAuthorization {
  readonly authorizer: apigwv2.IHttpRouteAuthorizer;
  readonly authorizationScopes?: string[];
}

/**
 * How an authorization binds: `idPrefix` keeps construct ids of several authorizers in one
 * API apart; `scopes` are every scope the API and its routes ask for (a created app client
 * gets them all). @internal
 */
export interface AuthorizationBindOptions {
  readonly idPrefix: string;
  readonly scopes: string[];
}

/** One problem of an authorization's options: the option, what it got, the fix. @internal */
export interface AuthorizationProblem {
  readonly prop: string;
  readonly value: unknown;
  readonly fix: string;
}

/** What an authorization kind works with. @internal */
export interface AuthorizationSupport {
  readonly rest: boolean;
  readonly http: boolean;
  readonly url: boolean;
  readonly scopes: boolean;
}

/** Which API kinds accept each authorization kind, and whether it checks scopes. @internal */
export const AUTHORIZATION_KINDS: Record<string, AuthorizationSupport> = {
  IAM: { rest: true, http: true, url: true, scopes: false },
  COGNITO: { rest: true, http: true, url: false, scopes: true },
  JWT: { rest: false, http: true, url: false, scopes: true },
  LAMBDA: { rest: true, http: true, url: false, scopes: false },
  LAMBDA_TOKEN: { rest: true, http: false, url: false, scopes: false },
  NONE: { rest: true, http: true, url: true, scopes: false },
};

/**
 * Who may call the API (or one route of it). IAM (SigV4-signed requests) is the default.
 *
 * `ApiAuthorization.none()` makes the API or route public; it needs
 * `allowUnauthenticatedAccess: true` on the ObservableApi, so it is never an accident.
 */
export abstract class ApiAuthorization {
  /** Callers sign requests with SigV4 and need `execute-api:Invoke` (Function URLs: `lambda:InvokeFunctionUrl`). The default. */
  public static iam(): ApiAuthorization {
    return new IamAuthorization();
  }

  /**
   * Callers send a token from this Cognito user pool in the `Authorization` header. An HTTP
   * API needs `userPoolClients` (the accepted audiences) or `appClient`: nothing is created
   * in your pool unless you ask.
   */
  public static cognito(userPool: cognito.IUserPool, options: CognitoAuthorizationOptions = {}): ApiAuthorization {
    return new CognitoAuthorization(userPool, options);
  }

  /**
   * An HTTP API JWT authorizer for any OpenID Connect provider (Auth0, Okta, Entra ID,
   * Cognito): API Gateway checks the token's signature against the issuer's JWKS, its `iss`
   * and its `aud` (or `client_id`) before the function runs. HTTP APIs only.
   *
   * @param issuer the issuer URL, e.g. `https://example.eu.auth0.com/`
   * @param audience accepted audiences (`aud` or `client_id` claims)
   */
  public static jwt(issuer: string, audience: string[], options: JwtAuthorizationOptions = {}): ApiAuthorization {
    return new JwtAuthorization(issuer, audience, options);
  }

  /**
   * A Lambda authorizer decides. It receives the request (REST: REQUEST authorizer; HTTP:
   * payload format 2.0) and returns an IAM policy.
   */
  public static lambdaAuthorizer(authorizerFunction: lambda.IFunction, options: LambdaAuthorizationOptions = {}): ApiAuthorization {
    return new LambdaAuthorization(authorizerFunction, options);
  }

  /**
   * A REST API Lambda TOKEN authorizer: it receives only the token from one header (and the
   * method ARN) and returns an IAM policy; answers are cached per token. REST APIs only.
   */
  public static lambdaTokenAuthorizer(authorizerFunction: lambda.IFunction, options: LambdaTokenAuthorizationOptions = {}): ApiAuthorization {
    return new LambdaTokenAuthorization(authorizerFunction, options);
  }

  /**
   * No authorization: anyone on the internet may call the API or route. Needs
   * `allowUnauthenticatedAccess: true` on the ObservableApi; its cdk-nag findings
   * (AwsSolutions-APIG4 and, on REST, AwsSolutions-COG4) are then acknowledged with that reason.
   */
  public static none(): ApiAuthorization {
    return new NoAuthorization();
  }

  /** `IAM`, `COGNITO`, `JWT`, `LAMBDA`, `LAMBDA_TOKEN` or `NONE`. */
  public abstract readonly kind: string;

  /**
   * The scopes this authorization asks for itself.
   * @internal
   */
  public get _scopes(): string[] {
    return [];
  }

  /**
   * What is wrong with the options for this API kind (the construct reports it with the prop path).
   * @internal
   */
  public _problems(_kind: ApiKind): AuthorizationProblem[] {
    return [];
  }

  /** @internal */
  public abstract _bindRest(scope: Construct, options: AuthorizationBindOptions): RestAuthorization;

  /** @internal */
  public abstract _bindHttp(scope: Construct, options: AuthorizationBindOptions): HttpAuthorization;
}

class IamAuthorization extends ApiAuthorization {
  public readonly kind = 'IAM';
  public _bindRest(): RestAuthorization {
    return { authorizationType: apigateway.AuthorizationType.IAM };
  }
  public _bindHttp(): HttpAuthorization {
    return { authorizer: new authorizers.HttpIamAuthorizer() };
  }
}

class CognitoAuthorization extends ApiAuthorization {
  public readonly kind = 'COGNITO';
  constructor(private readonly userPool: cognito.IUserPool, private readonly options: CognitoAuthorizationOptions) {
    super();
  }
  public get _scopes(): string[] {
    return this.options.scopes ?? [];
  }
  public _problems(kind: ApiKind): AuthorizationProblem[] {
    const problems: AuthorizationProblem[] = [];
    const app = this.options.appClient;
    if (kind.isHttp && !this.options.userPoolClients?.length && !app) {
      problems.push({
        prop: 'userPoolClients',
        value: 'none',
        fix: 'An HTTP API accepts tokens of the app clients you list (the JWT audience): pass userPoolClients: [client], ' +
          'or appClient: { callbackUrls: [...] } to have a minimal one (code grant only, the API\'s scopes) created. Nothing is created in your pool unasked.',
      });
    }
    if (app && !kind.isHttp) {
      problems.push({ prop: 'appClient', value: 'set', fix: 'A REST API accepts tokens of every client of the pool, so no client is created for it; remove appClient.' });
    }
    if (app && (app.callbackUrls.length === 0 || app.callbackUrls.some((u) => !Token.isUnresolved(u) && !/^(https:\/\/|http:\/\/localhost[:/])/.test(u)))) {
      problems.push({ prop: 'appClient.callbackUrls', value: app.callbackUrls, fix: 'List at least one callback URL, each https:// (http://localhost is allowed for development).' });
    }
    return problems;
  }
  public _bindRest(scope: Construct, bind: AuthorizationBindOptions): RestAuthorization {
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(scope, `${bind.idPrefix}CognitoAuthorizer`, { cognitoUserPools: [this.userPool] });
    return { authorizationType: apigateway.AuthorizationType.COGNITO, authorizer, authorizationScopes: this.options.scopes };
  }
  public _bindHttp(scope: Construct, bind: AuthorizationBindOptions): HttpAuthorization {
    // aws-cdk-lib adds a client with its permissive defaults to the pool itself when none is
    // given (and two APIs on one pool then collide on its id); ours are explicit and scoped to the API.
    const clients = [...(this.options.userPoolClients ?? [])];
    if (this.options.appClient) clients.push(this.createClient(scope, bind));
    const authorizer = new authorizers.HttpUserPoolAuthorizer(`${bind.idPrefix}CognitoAuthorizer`, this.userPool, { userPoolClients: clients });
    return { authorizer, authorizationScopes: this.options.scopes };
  }
  private createClient(scope: Construct, bind: AuthorizationBindOptions): cognito.UserPoolClient {
    const app = this.options.appClient!;
    return new cognito.UserPoolClient(scope, `${bind.idPrefix}CognitoAppClient`, {
      userPool: this.userPool,
      generateSecret: false,
      preventUserExistenceErrors: true,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, ...bind.scopes.map((s) => cognito.OAuthScope.custom(s))],
        callbackUrls: app.callbackUrls,
        logoutUrls: app.logoutUrls,
      },
    });
  }
}

class JwtAuthorization extends ApiAuthorization {
  public readonly kind = 'JWT';
  constructor(private readonly issuer: string, private readonly audience: string[], private readonly options: JwtAuthorizationOptions) {
    super();
  }
  public get _scopes(): string[] {
    return this.options.scopes ?? [];
  }
  public _problems(): AuthorizationProblem[] {
    const problems: AuthorizationProblem[] = [];
    if (!Token.isUnresolved(this.issuer) && !/^https:\/\/[^\s/]+/.test(this.issuer)) {
      problems.push({ prop: 'issuer', value: this.issuer, fix: 'Give the issuer URL exactly as in the token\'s "iss" claim, starting with https://, e.g. "https://example.eu.auth0.com/".' });
    }
    if (this.audience.length === 0 || this.audience.some((a) => !Token.isUnresolved(a) && a.trim() === '')) {
      problems.push({ prop: 'audience', value: this.audience, fix: 'List the accepted audiences ("aud" or "client_id" claims), e.g. ["https://api.example.com"].' });
    }
    return problems;
  }
  public _bindRest(): RestAuthorization {
    throw new Error('A JWT authorizer cannot bind to a REST API (the construct checks this first).');
  }
  public _bindHttp(_scope: Construct, bind: AuthorizationBindOptions): HttpAuthorization {
    const authorizer = new authorizers.HttpJwtAuthorizer(`${bind.idPrefix}JwtAuthorizer`, this.issuer, {
      jwtAudience: this.audience,
      identitySource: [this.options.identitySource ?? '$request.header.Authorization'],
    });
    return { authorizer, authorizationScopes: this.options.scopes };
  }
}

class LambdaAuthorization extends ApiAuthorization {
  public readonly kind: string = 'LAMBDA';
  constructor(protected readonly fn: lambda.IFunction, protected readonly options: LambdaAuthorizationOptions) {
    super();
  }
  public _bindRest(scope: Construct, bind: AuthorizationBindOptions): RestAuthorization {
    const authorizer = new apigateway.RequestAuthorizer(scope, `${bind.idPrefix}LambdaAuthorizer`, {
      handler: this.fn,
      identitySources: [apigateway.IdentitySource.header(this.header)],
      resultsCacheTtl: this.cacheTtl,
    });
    return { authorizationType: apigateway.AuthorizationType.CUSTOM, authorizer };
  }
  public _bindHttp(_scope: Construct, bind: AuthorizationBindOptions): HttpAuthorization {
    const authorizer = new authorizers.HttpLambdaAuthorizer(`${bind.idPrefix}LambdaAuthorizer`, this.fn, {
      identitySource: [`$request.header.${this.header}`],
      resultsCacheTtl: this.cacheTtl,
    });
    return { authorizer };
  }
  protected get header(): string {
    return this.options.identityHeader ?? 'Authorization';
  }
  protected get cacheTtl(): Duration {
    return this.options.resultsCacheTtl ?? Duration.minutes(5);
  }
}

class LambdaTokenAuthorization extends LambdaAuthorization {
  public readonly kind = 'LAMBDA_TOKEN';
  constructor(fn: lambda.IFunction, private readonly tokenOptions: LambdaTokenAuthorizationOptions) {
    super(fn, tokenOptions);
  }
  public _bindRest(scope: Construct, bind: AuthorizationBindOptions): RestAuthorization {
    const authorizer = new apigateway.TokenAuthorizer(scope, `${bind.idPrefix}LambdaTokenAuthorizer`, {
      handler: this.fn,
      identitySource: apigateway.IdentitySource.header(this.header),
      validationRegex: this.tokenOptions.validationRegex,
      resultsCacheTtl: this.cacheTtl,
    });
    return { authorizationType: apigateway.AuthorizationType.CUSTOM, authorizer };
  }
  public _bindHttp(): HttpAuthorization {
    throw new Error('A TOKEN authorizer cannot bind to an HTTP API (the construct checks this first).');
  }
}

class NoAuthorization extends ApiAuthorization {
  public readonly kind = 'NONE';
  public _bindRest(): RestAuthorization {
    return { authorizationType: apigateway.AuthorizationType.NONE };
  }
  public _bindHttp(): HttpAuthorization {
    return { authorizer: new apigwv2.HttpNoneAuthorizer() };
  }
}
