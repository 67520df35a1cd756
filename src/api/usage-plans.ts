import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { ApiUsagePlanOptions } from './observable-api-props';
import { uniqueName } from '../core/naming';
import { invalidProp } from '../core/validation';

/** What the usage plans were made of. @internal */
export interface UsagePlansResult {
  readonly usagePlans: apigateway.UsagePlan[];
  readonly apiKeys: apigateway.IApiKey[];
}

/**
 * Usage plans on the REST API's stage, each with its throttle, quota, per-method throttles
 * and keys. Created keys get a value API Gateway generates: none is set here, so none can
 * reach the template or an output.
 * @internal
 */
export function addUsagePlans(
  scope: Construct,
  where: string,
  api: apigateway.RestApi,
  methods: Map<string, apigateway.Method>,
  plans: ApiUsagePlanOptions[],
): UsagePlansResult {
  const usagePlans: apigateway.UsagePlan[] = [];
  const apiKeys: apigateway.IApiKey[] = [];
  plans.forEach((plan, i) => {
    const throttle = (plan.methodThrottles ?? []).map((t) => {
      const key = `${t.method.toUpperCase()} ${t.path}`;
      const method = methods.get(key);
      if (!method) {
        invalidProp(where, `usagePlans[${plan.name}].methodThrottles[]`, key, `No such method on this API; use one of: ${[...methods.keys()].join(', ')}.`);
      }
      return { method, throttle: { rateLimit: t.rateLimitPerSecond, burstLimit: t.burstLimit } };
    });
    const usagePlan = new apigateway.UsagePlan(scope, `UsagePlan${i}`, {
      name: uniqueName(scope, plan.name),
      description: `${scope.node.path}: usage plan ${plan.name}`,
      throttle: plan.rateLimitPerSecond !== undefined || plan.burstLimit !== undefined
        ? { rateLimit: plan.rateLimitPerSecond, burstLimit: plan.burstLimit }
        : undefined,
      quota: plan.quotaRequests !== undefined ? { limit: plan.quotaRequests, period: plan.quotaPeriod ?? apigateway.Period.MONTH } : undefined,
      apiStages: [{ api, stage: api.deploymentStage, throttle: throttle.length ? throttle : undefined }],
    });
    for (const name of plan.apiKeyNames ?? []) {
      const key = new apigateway.ApiKey(scope, `ApiKey${apiKeys.length}`, {
        apiKeyName: uniqueName(scope, name),
        description: `${scope.node.path}: API key ${name} (usage plan ${plan.name})`,
        enabled: true,
      });
      usagePlan.addApiKey(key);
      apiKeys.push(key);
    }
    for (const key of plan.apiKeys ?? []) {
      usagePlan.addApiKey(key);
      apiKeys.push(key);
    }
    usagePlans.push(usagePlan);
  });
  return { usagePlans, apiKeys };
}
