import { CfnOutput } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { ApiCustomDomainOptions } from './observable-api-props';

/** A REST custom domain (TLS 1.2), its base path mapping to the stage, and the optional alias record. @internal */
export function addRestCustomDomain(
  scope: Construct,
  api: apigateway.RestApi,
  options: ApiCustomDomainOptions,
  endpointType: apigateway.EndpointType,
): apigateway.DomainName {
  const domain = new apigateway.DomainName(scope, 'CustomDomain', {
    domainName: options.domainName,
    certificate: options.certificate,
    endpointType,
    securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
  });
  domain.addBasePathMapping(api, { basePath: options.basePath, stage: api.deploymentStage });
  if (options.hostedZone) {
    new route53.ARecord(scope, 'CustomDomainAlias', {
      zone: options.hostedZone,
      recordName: options.domainName,
      target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
    });
  }
  domainOutput(scope, options);
  return domain;
}

/** An HTTP API custom domain (TLS 1.2), its API mapping to the stage, and the optional alias record. @internal */
export function addHttpCustomDomain(
  scope: Construct,
  api: apigwv2.IHttpApi,
  stage: apigwv2.IStage,
  options: ApiCustomDomainOptions,
): apigwv2.DomainName {
  const domain = new apigwv2.DomainName(scope, 'CustomDomain', {
    domainName: options.domainName,
    certificate: options.certificate,
    securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
  });
  new apigwv2.ApiMapping(scope, 'CustomDomainMapping', { api, domainName: domain, stage, apiMappingKey: options.basePath });
  if (options.hostedZone) {
    new route53.ARecord(scope, 'CustomDomainAlias', {
      zone: options.hostedZone,
      recordName: options.domainName,
      target: route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(domain.regionalDomainName, domain.regionalHostedZoneId)),
    });
  }
  domainOutput(scope, options);
  return domain;
}

/** The URL clients use with the custom domain. @internal */
export function customDomainUrl(options: ApiCustomDomainOptions): string {
  return `https://${options.domainName}/${options.basePath ? `${options.basePath}/` : ''}`;
}

function domainOutput(scope: Construct, options: ApiCustomDomainOptions): void {
  new CfnOutput(scope, 'CustomDomainUrl', { value: customDomainUrl(options), description: `${scope.node.path}: the API's URL on its custom domain` });
}
