import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Options of a Cognito user pool authorizer. */
export interface CognitoAuthorizationOptions {
  /**
   * OAuth scopes a token must carry (one of them).
   *
   * @default - none: any valid ID or access token of the pool is accepted (REST: ID token)
   */
  readonly scopes?: string[];

  /**
   * App clients whose tokens an HTTP API accepts (the JWT audience). REST APIs ignore it.
   *
   * @default - for an HTTP API, a new app client is created in the pool
   */
  readonly userPoolClients?: cognito.IUserPoolClient[];
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
 * Who may call the API. Always an explicit choice; IAM (SigV4-signed requests) is the default.
 *
 * Choosing `ApiAuthorization.none()` makes the API public: cdk-nag then reports
 * AwsSolutions-APIG4 (and, on REST APIs, AwsSolutions-COG4), which is yours to acknowledge.
 */
export abstract class ApiAuthorization {
  /** Callers sign requests with SigV4 and need `execute-api:Invoke` on the API. The default. */
  public static iam(): ApiAuthorization {
    return new IamAuthorization();
  }

  /** Callers send a token from this Cognito user pool in the `Authorization` header. */
  public static cognito(userPool: cognito.IUserPool, options: CognitoAuthorizationOptions = {}): ApiAuthorization {
    return new CognitoAuthorization(userPool, options);
  }

  /**
   * A Lambda authorizer decides. It receives the request (REST: REQUEST authorizer; HTTP:
   * payload format 2.0) and returns an IAM policy.
   */
  public static lambdaAuthorizer(authorizerFunction: lambda.IFunction, options: LambdaAuthorizationOptions = {}): ApiAuthorization {
    return new LambdaAuthorization(authorizerFunction, options);
  }

  /**
   * No authorization: anyone on the internet may call the API. An explicit, documented
   * choice; its cdk-nag findings (AwsSolutions-APIG4, and AwsSolutions-COG4 on REST APIs)
   * are left for you to acknowledge.
   */
  public static none(): ApiAuthorization {
    return new NoAuthorization();
  }

  /** `IAM`, `COGNITO`, `LAMBDA` or `NONE`. */
  public abstract readonly kind: string;

  /** @internal */
  public abstract _bindRest(scope: Construct): RestAuthorization;

  /** @internal */
  public abstract _bindHttp(scope: Construct): HttpAuthorization;
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
  public _bindRest(scope: Construct): RestAuthorization {
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(scope, 'CognitoAuthorizer', { cognitoUserPools: [this.userPool] });
    return { authorizationType: apigateway.AuthorizationType.COGNITO, authorizer, authorizationScopes: this.options.scopes };
  }
  public _bindHttp(): HttpAuthorization {
    const authorizer = new authorizers.HttpUserPoolAuthorizer('CognitoAuthorizer', this.userPool, {
      userPoolClients: this.options.userPoolClients,
    });
    return { authorizer, authorizationScopes: this.options.scopes };
  }
}

class LambdaAuthorization extends ApiAuthorization {
  public readonly kind = 'LAMBDA';
  constructor(private readonly fn: lambda.IFunction, private readonly options: LambdaAuthorizationOptions) {
    super();
  }
  public _bindRest(scope: Construct): RestAuthorization {
    const authorizer = new apigateway.RequestAuthorizer(scope, 'LambdaAuthorizer', {
      handler: this.fn,
      identitySources: [apigateway.IdentitySource.header(this.header)],
      resultsCacheTtl: this.options.resultsCacheTtl ?? Duration.minutes(5),
    });
    return { authorizationType: apigateway.AuthorizationType.CUSTOM, authorizer };
  }
  public _bindHttp(): HttpAuthorization {
    const authorizer = new authorizers.HttpLambdaAuthorizer('LambdaAuthorizer', this.fn, {
      identitySource: [`$request.header.${this.header}`],
      resultsCacheTtl: this.options.resultsCacheTtl ?? Duration.minutes(5),
    });
    return { authorizer };
  }
  private get header(): string {
    return this.options.identityHeader ?? 'Authorization';
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
