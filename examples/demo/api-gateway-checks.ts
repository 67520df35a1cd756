/**
 * Part of scenario 3: what API Gateway answers by itself, before any invocation, for the
 * example app's production APIs (examples/api/production-apis.ts). The checks are read from
 * the CloudFormation template those APIs synthesize, not restated here: the partner REST
 * API's POST /orders model (its JSON schema) and request validator, and the shop HTTP API's
 * JWT authorizer and where it reads the token. Requests that pass go on to the bundled
 * template. Token signatures, API keys' values and SigV4 are API Gateway's to verify and are
 * not simulated: only what decides these two rejections is.
 */
import { App, Stack } from 'aws-cdk-lib';
import { short } from './format';
import { LogTap } from './log-tap';
import type { ScenarioContext } from './scenario';
import { lambdaContext, loadTemplate } from './templates';
import { httpEvent, restEvent } from '../../test/handlers/api-events';
import { NEW_ORDER_SCHEMA, productionApis } from '../api/production-apis';

export interface GatewayFacts {
  /** API Gateway's status for a body the model rejects, and for a request without a JWT. */
  readonly invalidBodyStatus: number;
  readonly missingJwtStatus: number;
  /** How often the function ran for those two (must be 0). */
  readonly invocationsForRejected: number;
  /** The template's statuses for the same requests made right. */
  readonly acceptedStatuses: number[];
}

type CfnTemplate = { Resources: Record<string, { Type: string; Properties: any }> };

/** The production APIs' template, as `cdk synth` writes it. */
function synthesizeProductionApis(): CfnTemplate {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, 'ServerlessPowertoolsExample');
  productionApis(stack);
  return app.synth().getStackByName(stack.stackName).template;
}

function resources(template: CfnTemplate, type: string): Array<[string, any]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties]);
}

/** The REST method's body check: the model API Gateway validates `POST /orders` against, if its validator checks bodies. */
function restBodySchema(template: CfnTemplate): Record<string, any> | undefined {
  const method = resources(template, 'AWS::ApiGateway::Method').map(([, p]) => p)
    .find((p) => p.HttpMethod === 'POST' && p.RequestModels?.['application/json']);
  if (!method) return undefined;
  const validator = template.Resources[method.RequestValidatorId?.Ref]?.Properties;
  if (!validator?.ValidateRequestBody) return undefined;
  return template.Resources[method.RequestModels['application/json'].Ref]?.Properties.Schema;
}

/** The HTTP route's token check: the header a JWT authorizer reads for `POST /orders`. */
function jwtHeaderOf(template: CfnTemplate): string | undefined {
  const route = resources(template, 'AWS::ApiGatewayV2::Route').map(([, p]) => p).find((p) => p.RouteKey === 'POST /orders');
  if (route?.AuthorizationType !== 'JWT') return undefined;
  const authorizer = template.Resources[route.AuthorizerId.Ref]?.Properties;
  const source: string | undefined = authorizer?.IdentitySource?.[0];
  return source?.startsWith('$request.header.') ? source.slice('$request.header.'.length).toLowerCase() : undefined;
}

/**
 * The JSON Schema draft 4 keywords the example's model uses, checked as API Gateway does. A
 * keyword outside this set throws, so a schema change can never pass here unchecked.
 */
export function schemaProblems(schema: Record<string, any>, value: unknown, at = 'body'): string[] {
  const known = new Set(['$schema', 'type', 'required', 'properties', 'additionalProperties', 'minLength', 'minimum', 'maximum']);
  const unknown = Object.keys(schema).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`the demo's schema check does not know ${unknown.join(', ')}; extend schemaProblems`);
  const types: Record<string, (v: unknown) => boolean> = {
    object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    string: (v) => typeof v === 'string',
    integer: (v) => Number.isInteger(v),
  };
  if (schema.type && !types[schema.type]?.(value)) return [`${at} is not ${/^[aeiou]/.test(schema.type) ? 'an' : 'a'} ${schema.type}`];
  const problems: string[] = [];
  if (typeof value === 'string' && schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at} is shorter than ${schema.minLength}`);
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) problems.push(`${at} is below ${schema.minimum}`);
  if (typeof value === 'number' && schema.maximum !== undefined && value > schema.maximum) problems.push(`${at} is above ${schema.maximum}`);
  if (types.object(value)) {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in record)) problems.push(`${at}.${name} is missing`);
    for (const [name, sub] of Object.entries<Record<string, any>>(schema.properties ?? {})) {
      if (name in record) problems.push(...schemaProblems(sub, record[name], `${at}.${name}`));
    }
    if (schema.additionalProperties === false) {
      for (const name of Object.keys(record)) if (!(name in (schema.properties ?? {}))) problems.push(`${at}.${name} is not allowed`);
    }
  }
  return problems;
}

interface GatewayAnswer {
  readonly statusCode: number;
  readonly body: string;
  /** Whether API Gateway passed the request to the function. */
  readonly invoked: boolean;
}

export async function apiGatewayChecks(ctx: ScenarioContext, functionName: string): Promise<GatewayFacts> {
  const { log, check } = ctx;
  const template = synthesizeProductionApis();
  const schema = restBodySchema(template);
  const jwtHeader = jwtHeaderOf(template);
  check('the partner REST API validates POST /orders against the example\'s JSON schema model', JSON.stringify(schema) === JSON.stringify(stripCdkKeys(NEW_ORDER_SCHEMA)));
  check('the shop HTTP API authorizes POST /orders with a JWT from the Authorization header', jwtHeader === 'authorization', jwtHeader ?? 'no JWT authorizer');

  const api = await loadTemplate(ctx.assetsDir, 'api');
  const tap = new LogTap();
  let invocations = 0;
  const invoke = async (event: unknown, requestId: string) => {
    invocations++;
    return tap.around<any>(() => api.handler(event, lambdaContext(functionName, requestId)));
  };

  // REST: the request validator runs after authorization and before the integration.
  const partner = async (body: string, requestId: string): Promise<GatewayAnswer> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const problems = parsed === undefined ? ['body is not JSON'] : schemaProblems(schema ?? {}, parsed);
    if (problems.length > 0) return { statusCode: 400, body: JSON.stringify({ message: 'Invalid request body' }), invoked: false };
    const event = restEvent({ method: 'POST', path: '/orders', body, requestId, headers: { 'Content-Type': 'application/json', 'x-api-key': '(the acme key)' } });
    return { ...(await invoke(event, requestId)), invoked: true };
  };
  // HTTP: a JWT authorizer answers 401 when its identity source is missing, before any invocation.
  const shop = async (headers: Record<string, string>, requestId: string): Promise<GatewayAnswer> => {
    if (!jwtHeader || !Object.keys(headers).some((h) => h.toLowerCase() === jwtHeader)) {
      return { statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }), invoked: false };
    }
    const event = httpEvent({ method: 'POST', path: '/orders', body: '{"item":"pen","quantity":3}', requestId, headers: { 'content-type': 'application/json', ...headers } });
    return { ...(await invoke(event, requestId)), invoked: true };
  };

  log('  The production APIs (examples/api/production-apis.ts): what API Gateway answers before the function');
  const calls: Array<[string, () => Promise<GatewayAnswer>]> = [
    ['partner  POST /v1/orders {"item":"book","quantity":0}', () => partner('{"item":"book","quantity":0}', 'gw-0001')],
    ['partner  POST /v1/orders {"item":"book","quantity":2}', () => partner('{"item":"book","quantity":2}', 'gw-0002')],
    ['shop     POST /orders (no Authorization header)', () => shop({}, 'gw-0003')],
    ['shop     POST /orders (Authorization: Bearer <jwt>)', () => shop({ authorization: 'Bearer eyJhbGciOi.demo.token' }, 'gw-0004')],
  ];
  const answers: GatewayAnswer[] = [];
  for (const [label, call] of calls) {
    const answer = await call();
    answers.push(answer);
    log(`  ${label.padEnd(58)} → ${answer.statusCode} ${short(answer.body, 40)} ${answer.invoked ? '(function ran)' : '(API Gateway answered; no invocation)'}`);
  }
  const [invalid, valid, noJwt, withJwt] = answers;
  const rejectedInvocations = [invalid, noJwt].filter((a) => a.invoked).length;
  check('a body the model rejects gets API Gateway\'s 400 and never reaches the function', invalid.statusCode === 400 && !invalid.invoked);
  check('a request without a JWT gets API Gateway\'s 401 and never reaches the function', noJwt.statusCode === 401 && !noJwt.invoked);
  check('the same requests made right reach the template and create orders (201)', valid.statusCode === 201 && withJwt.statusCode === 201,
    `${valid.statusCode}, ${withJwt.statusCode}`);
  check('the function ran only for the two accepted requests', invocations === 2, `${invocations} invocations`);
  return {
    invalidBodyStatus: invalid.statusCode,
    missingJwtStatus: noJwt.statusCode,
    invocationsForRejected: rejectedInvocations,
    acceptedStatuses: [valid.statusCode, withJwt.statusCode],
  };
}

/** aws-cdk-lib writes `schema` as `$schema` in the model. */
function stripCdkKeys(schema: Record<string, any>): Record<string, any> {
  const { schema: version, ...rest } = schema;
  return version ? { $schema: version, ...rest } : rest;
}
