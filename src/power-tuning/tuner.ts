import { Duration, Stack, Tokenization, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { TUNER_ENV } from './contract/tuner-env';
import { ON_DEPLOY_INPUT, TuningConfig } from './contract/tuning-input';
import { PowertoolsFunctionOptions } from '../core/function-options';
import { HandlerCode, TEMPLATE_RUNTIME, templateCode } from '../core/handler-code';
import { encryptedLogGroup } from '../core/log-group-encryption';
import { PowertoolsFunction } from '../core/powertools-function';

/** The bundled asset holding every tuner handler. @internal */
export const TUNER_TEMPLATE = { name: 'tuner', wrapExport: 'initializer' };

/** The tuner's own functions do little work: API calls and arithmetic. */
export const TUNER_FUNCTION_MEMORY_MB = 256;

/** Errors that mean "slow down": Lambda throttling the tuner's own functions, or the tuner's Lambda API calls. */
export const THROTTLING_ERRORS = ['Lambda.TooManyRequestsException', 'TooManyRequestsException', 'ThrottlingException'];

/** What the tuner needs from the construct. @internal */
export interface TunerProps {
  readonly constructName: string;
  readonly target: lambda.Function;
  readonly defaults: TuningConfig;
  readonly logRetention: logs.RetentionDays;
  /** What the tuner's functions inherit from the tuned function's options (see `helperFunctionOptions`). */
  readonly functionOptions: PowertoolsFunctionOptions;
  readonly resultsParameterName?: string;
  /** With tuneOnDeploy: how long an execution the starter started waits before Initialize. */
  readonly onDeployDelay?: Duration;
  /** Log every state's input and output (`includeExecutionData`). */
  readonly logExecutionData: boolean;
}

/** Longest run the state machine allows, without the on-deploy wait. */
const TUNING_TIMEOUT = Duration.hours(2);

/** The tuner's parts. @internal */
export interface Tuner {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly functions: PowertoolsFunction[];
}

/**
 * Builds the tuner: five small functions from the `tuner` asset with the library's
 * function defaults, and a Standard state machine
 * `Defaults → Initialize → Execute (Map) → Cleanup → Analyze → output`, where any failure
 * before Analyze goes through CleanupOnError. With an on-deploy delay, a run whose input
 * has `onDeploy: true` first waits that long (`StartedByDeploy → WaitAfterDeploy`). Every Lambda permission names the tuned
 * function, its versions and aliases; never `*`.
 * @internal
 */
export function buildTuner(scope: Construct, props: TunerProps): Tuner {
  const target = props.target;
  const stack = Stack.of(scope);
  const functionArn = target.functionArn;
  const versionsAndAliases = `${functionArn}:*`;
  const targetLogicalId = stack.getLogicalId(target.node.defaultChild as lambda.CfnFunction);

  const environment = {
    [TUNER_ENV.tunedFunctionName.name]: target.functionName,
    [TUNER_ENV.tunedFunctionMemoryMb.name]: Tokenization.stringifyNumber(
      (target.node.defaultChild as lambda.CfnFunction).memorySize ?? 128,
    ),
  };

  const tunerFunction = (id: string, handler: string, timeout: Duration, description: string, extraEnv: Record<string, string> = {}) =>
    PowertoolsFunction._forPattern(scope, id, {
      ...props.functionOptions,
      handlerCode: HandlerCode.fromCode(templateCode(scope, TUNER_TEMPLATE.name), `index.${handler}`, TEMPLATE_RUNTIME),
      memorySizeMb: TUNER_FUNCTION_MEMORY_MB,
      timeout,
      logRetention: props.logRetention,
      description,
    }, {
      constructName: props.constructName,
      template: TUNER_TEMPLATE,
      description,
      wiringEnvironment: { ...environment, ...extraEnv },
      syncOnlyReason: 'Invoked synchronously by the tuner state machine (or CloudFormation), which handles and reports its failures; there are no asynchronous events to keep.',
      dashboardTitle: `Tuner function ${id}`,
    });

  const grantOnTarget = (role: iam.IRole, actions: string[], resources: string[]) => {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
    if (resources.includes(versionsAndAliases)) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${targetLogicalId}.Arn>:*]`,
        reason: 'The wildcard covers only the versions and aliases of the one tuned function (ARN:*), which the tuner creates, invokes and deletes.',
      });
    }
  };

  const initializer = tunerFunction(
    'Initializer',
    'initializer',
    Duration.minutes(15),
    'Power tuner: publishes a version and alias per power value',
  );
  grantOnTarget(initializer.role, ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration', 'lambda:PublishVersion'], [functionArn]);
  grantOnTarget(initializer.role, ['lambda:CreateAlias', 'lambda:UpdateAlias'], [functionArn, versionsAndAliases]);

  const executor = tunerFunction('Executor', 'executor', Duration.minutes(15), 'Power tuner: invokes each power value and measures it');
  grantOnTarget(executor.role, ['lambda:InvokeFunction'], [versionsAndAliases]);

  const cleaner = tunerFunction('Cleaner', 'cleaner', Duration.minutes(5), 'Power tuner: deletes its versions and aliases');
  grantOnTarget(
    cleaner.role,
    ['lambda:ListAliases', 'lambda:ListVersionsByFunction', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'],
    [functionArn],
  );
  grantOnTarget(cleaner.role, ['lambda:DeleteAlias'], [functionArn, versionsAndAliases]);
  // Qualified ARNs only: the cleaner can delete versions, never the function itself.
  grantOnTarget(cleaner.role, ['lambda:DeleteFunction'], [versionsAndAliases]);

  const analyzer = tunerFunction(
    'Analyzer',
    'analyzer',
    Duration.seconds(30),
    'Power tuner: computes the recommendation',
    props.resultsParameterName ? { [TUNER_ENV.resultsParameterName.name]: props.resultsParameterName } : {},
  );
  if (props.resultsParameterName) {
    analyzer.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:PutParameter'],
        resources: [
          stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: props.resultsParameterName.replace(/^\//, '') }),
        ],
      }),
    );
  }

  const logGroup = encryptedLogGroup(scope, 'StateMachineLogs', props.logRetention, props.functionOptions.logGroupEncryptionKey);
  const definition = buildDefinition(scope, props.defaults, {
    initializer: initializer.function,
    executor: executor.function,
    cleaner: cleaner.function,
    analyzer: analyzer.function,
  }, props.onDeployDelay);
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    stateMachineType: sfn.StateMachineType.STANDARD,
    tracingEnabled: true,
    // Execution data holds the tuning payloads and results: logged only when asked for.
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: props.logExecutionData },
    timeout: stateMachineTimeout(props.onDeployDelay),
    comment: `Power tuning of ${target.node.path}`,
  });
  const tunerIds = [initializer, executor, cleaner, analyzer].map((f) => stack.getLogicalId(f.function.node.defaultChild as lambda.CfnFunction));
  Validations.of(stateMachine.role).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only X-Ray and CloudWatch Logs delivery actions use "*": they support no resource-level permissions.',
    },
    ...tunerIds.map((id) => ({
      id: `AwsSolutions-IAM5[Resource::<${id}.Arn>:*]`,
      reason: 'Step Functions may invoke the versions and aliases of its own tuner function only (ARN:*), as the LambdaInvoke task grants.',
    })),
  );

  return {
    stateMachine,
    logGroup,
    functions: [initializer, executor, cleaner, analyzer],
  };
}

interface TunerFunctions {
  readonly initializer: lambda.IFunction;
  readonly executor: lambda.IFunction;
  readonly cleaner: lambda.IFunction;
  readonly analyzer: lambda.IFunction;
}

function invoke(scope: Construct, id: string, fn: lambda.IFunction, props: Partial<tasks.LambdaInvokeProps> = {}): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, { lambdaFunction: fn, payloadResponseOnly: true, retryOnServiceExceptions: true, ...props });
  task.addRetry({ errors: THROTTLING_ERRORS, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
  return task;
}

/** Two hours for the tuning, plus the on-deploy wait (at most an hour when it is a token). */
function stateMachineTimeout(onDeployDelay: Duration | undefined): Duration {
  if (!onDeployDelay) return TUNING_TIMEOUT;
  if (onDeployDelay.isUnresolved()) return TUNING_TIMEOUT.plus(Duration.hours(1));
  return Duration.seconds(TUNING_TIMEOUT.toSeconds() + onDeployDelay.toSeconds());
}

function buildDefinition(scope: Construct, defaults: TuningConfig, fns: TunerFunctions, onDeployDelay?: Duration): sfn.IChainable {
  const failed = new sfn.Fail(scope, 'TuningFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
  const cleanupOnError = invoke(scope, 'CleanupOnError', fns.cleaner, { resultPath: sfn.JsonPath.DISCARD });
  cleanupOnError.addCatch(failed, { resultPath: '$.cleanupError' });
  cleanupOnError.next(failed);

  const defaultsState = new sfn.Pass(scope, 'Defaults', {
    comment: 'The construct props; the execution input overrides them per run',
    result: sfn.Result.fromObject(defaults as unknown as Record<string, unknown>),
    resultPath: '$.defaults',
  });

  const initialize = invoke(scope, 'Initialize', fns.initializer, {
    payload: sfn.TaskInput.fromObject({ input: sfn.JsonPath.objectAt('$$.Execution.Input'), defaults: sfn.JsonPath.objectAt('$.defaults') }),
    resultPath: '$.plan',
  });
  initialize.addCatch(cleanupOnError, { resultPath: '$.error' });

  const execute = invoke(scope, 'ExecutePowerValue', fns.executor);
  const markSkipped = new sfn.Pass(scope, 'MarkSkipped', {
    comment: 'The executor itself failed for this power value: skip it with the reason and go on',
    parameters: {
      'powerMb.$': '$.target.powerMb',
      'status': 'skipped',
      'reason.$': "States.Format('the executor failed ({}): {}', $.error.Error, $.error.Cause)",
    },
  });
  execute.addCatch(markSkipped, { resultPath: '$.error' });

  const executeAll = new sfn.Map(scope, 'Execute', {
    comment: 'One branch per power value',
    itemsPath: sfn.JsonPath.stringAt('$.plan.targets'),
    itemSelector: {
      target: sfn.JsonPath.objectAt('$$.Map.Item.Value'),
      config: sfn.JsonPath.objectAt('$.plan.config'),
      function: sfn.JsonPath.objectAt('$.plan.function'),
    },
    resultPath: '$.results',
    maxConcurrency: 0,
  });
  executeAll.itemProcessor(execute);
  executeAll.addCatch(cleanupOnError, { resultPath: '$.error' });

  // Adaptive sampling compares values while it samples them, so one executor call runs them all.
  const executeAdaptively = invoke(scope, 'ExecuteAdaptively', fns.executor, {
    payload: sfn.TaskInput.fromObject({
      targets: sfn.JsonPath.objectAt('$.plan.targets'),
      config: sfn.JsonPath.objectAt('$.plan.config'),
      function: sfn.JsonPath.objectAt('$.plan.function'),
    }),
    resultPath: '$.results',
  });
  executeAdaptively.addCatch(cleanupOnError, { resultPath: '$.error' });
  const samplingMode = '$.plan.config.sampling.mode';
  const sampling = new sfn.Choice(scope, 'Sampling')
    .when(sfn.Condition.and(sfn.Condition.isPresent(samplingMode), sfn.Condition.stringEquals(samplingMode, 'adaptive')), executeAdaptively)
    .otherwise(executeAll);

  const cleanup = invoke(scope, 'Cleanup', fns.cleaner, { resultPath: sfn.JsonPath.DISCARD });
  cleanup.addCatch(failed, { resultPath: '$.error' });

  const analyze = invoke(scope, 'Analyze', fns.analyzer, {
    payload: sfn.TaskInput.fromObject({ plan: sfn.JsonPath.objectAt('$.plan'), results: sfn.JsonPath.objectAt('$.results') }),
    resultPath: '$.analysis',
  });
  analyze.addCatch(failed, { resultPath: '$.error' });

  const done = new sfn.Pass(scope, 'Done', { outputPath: '$.analysis' });
  const allFailed = new sfn.Fail(scope, 'AllPowerValuesFailed', {
    error: 'PowerTuning.AllPowerValuesFailed',
    causePath: '$.analysis.message',
  });
  const hasRecommendation = new sfn.Choice(scope, 'HasRecommendation')
    .when(sfn.Condition.isPresent('$.analysis.recommendation'), done)
    .otherwise(allFailed);

  const tuning = defaultsState.next(initialize).next(sampling);
  sampling.afterwards().next(cleanup).next(analyze).next(hasRecommendation);
  if (!onDeployDelay) return tuning;

  // A run the deployment started waits, so CloudFormation has finished with the function
  // (including a rollback) before the initializer changes its memory. Other runs start at once.
  const waitAfterDeploy = new sfn.Wait(scope, 'WaitAfterDeploy', {
    comment: 'Started by a deployment: let CloudFormation finish updating the function first',
    time: sfn.WaitTime.duration(onDeployDelay),
  });
  const flag = `$.${ON_DEPLOY_INPUT}`;
  return new sfn.Choice(scope, 'StartedByDeploy')
    .when(sfn.Condition.and(sfn.Condition.isPresent(flag), sfn.Condition.booleanEquals(flag, true)), waitAfterDeploy.next(defaultsState))
    .otherwise(defaultsState);
}
