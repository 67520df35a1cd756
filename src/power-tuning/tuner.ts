import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
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

/** A task waits this much longer than its function may run, so the function's own timeout is what reports. */
const TASK_TIMEOUT_MARGIN = Duration.seconds(30);

/** What the tuner needs from the construct. @internal */
export interface TunerProps {
  readonly constructName: string;
  readonly target: lambda.IFunction;
  readonly defaults: TuningConfig;
  readonly logRetention: logs.RetentionDays;
  /** What the tuner's functions inherit (see `helperFunctionOptions`). */
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
  readonly cleaner: PowertoolsFunction;
  /** Invokes the tuned function: run options (processors, payload objects) grant to its role. */
  readonly executor: PowertoolsFunction;
  /** The initializer's permission to list this state machine's executions: a run must not start before it exists. */
  readonly executionsPolicy: iam.Policy;
  /** Grants the one-function Lambda permissions (and their acknowledgements) to another role, e.g. the starter's. */
  readonly grantOnTarget: (role: iam.IRole, actions: string[], qualified: boolean) => void;
}

/**
 * Builds the tuner: five small functions from the `tuner` asset with the library's
 * function defaults, and a Standard state machine
 * `Defaults → Initialize → PublishVersions (loop) → Execute (Map) → Cleanup → Analyze → output`,
 * where any failure before Analyze goes through CleanupOnError. With an on-deploy delay,
 * a run whose input has `onDeploy: true` first waits that long. Every Lambda permission
 * names the tuned function, its versions and aliases; never `*`.
 * @internal
 */
export function buildTuner(scope: Construct, props: TunerProps): Tuner {
  const target = props.target;
  const stack = Stack.of(scope);
  const functionArn = target.functionArn;
  const versionsAndAliases = `${functionArn}:*`;
  const nagResource = nagResourceOf(stack, target);

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
      wiringEnvironment: { [TUNER_ENV.tunedFunctionName.name]: target.functionName, ...extraEnv },
      syncOnlyReason: 'Invoked synchronously by the tuner state machine (or CloudFormation), which handles and reports its failures; there are no asynchronous events to keep.',
      dashboardTitle: `Tuner function ${id}`,
    });

  const grantOnTarget = (role: iam.IRole, actions: string[], qualified: boolean) => {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: qualified ? [functionArn, versionsAndAliases] : [functionArn] }));
    if (qualified && nagResource) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource}:*]`,
        reason: 'The wildcard covers only the versions and aliases of the one tuned function (ARN:*), which the tuner creates, invokes and deletes.',
      });
    }
  };
  const qualifiedOnly = (role: iam.IRole, actions: string[]) => {
    // Qualified ARNs only: e.g. DeleteFunction may delete versions, never the function itself.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [versionsAndAliases] }));
    if (nagResource) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource}:*]`,
        reason: 'The wildcard covers only the versions and aliases of the one tuned function (ARN:*), which the tuner creates, invokes and deletes.',
      });
    }
  };
  const grantCleanup = (role: iam.IRole) => {
    grantOnTarget(role, ['lambda:ListAliases', 'lambda:ListVersionsByFunction', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'], false);
    grantOnTarget(role, ['lambda:DeleteAlias'], true);
    qualifiedOnly(role, ['lambda:DeleteFunction']);
  };

  const initializer = tunerFunction(
    'Initializer',
    'initializer',
    Duration.minutes(5),
    'Power tuner: checks the input, refuses overlapping runs, removes leftovers and reads the function at run start',
  );
  grantCleanup(initializer.role);

  const publisher = tunerFunction('Publisher', 'publisher', Duration.minutes(15), 'Power tuner: publishes a version and alias per power value');
  grantOnTarget(publisher.role, ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration', 'lambda:PublishVersion'], false);
  // Reading a version's configuration (its state) and pointing the run's aliases.
  grantOnTarget(publisher.role, ['lambda:GetFunctionConfiguration', 'lambda:CreateAlias', 'lambda:UpdateAlias'], true);

  const executor = tunerFunction('Executor', 'executor', Duration.minutes(15), 'Power tuner: invokes each power value and measures it');
  qualifiedOnly(executor.role, ['lambda:InvokeFunction']);

  const cleaner = tunerFunction('Cleaner', 'cleaner', Duration.minutes(5), 'Power tuner: deletes its versions and aliases');
  grantCleanup(cleaner.role);

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
  const definition = buildDefinition(scope, props.defaults, { initializer, publisher, executor, cleaner, analyzer }, props.onDeployDelay);
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    stateMachineType: sfn.StateMachineType.STANDARD,
    tracingEnabled: true,
    // Execution data holds the tuning payloads and results: logged only when asked for.
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: props.logExecutionData },
    timeout: stateMachineTimeout(props.onDeployDelay),
    comment: `Power tuning of ${target.node.path}`,
  });
  const functions = [initializer, publisher, executor, cleaner, analyzer];
  const tunerIds = functions.map((f) => stack.getLogicalId(f.function.node.defaultChild as lambda.CfnFunction));
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

  // Its own policy, not the role's default one: the state machine names the initializer,
  // so a default-policy statement naming the state machine would be a dependency cycle.
  const executionsPolicy = new iam.Policy(scope, 'InitializerExecutionsPolicy', {
    roles: [initializer.role],
    statements: [new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [stateMachine.stateMachineArn] })],
  });

  return { stateMachine, logGroup, functions, cleaner, executor, executionsPolicy, grantOnTarget };
}

/** How cdk-nag writes the tuned function's ARN in a finding, when we can know it. */
function nagResourceOf(stack: Stack, target: lambda.IFunction): string | undefined {
  const cfn = target.node.defaultChild;
  if (cfn instanceof lambda.CfnFunction && Stack.of(cfn) === stack) return `<${stack.getLogicalId(cfn)}.Arn>`;
  if (!Token.isUnresolved(target.functionArn)) return target.functionArn;
  return undefined;
}

/** The ARN pattern of this state machine's executions. @internal */
export function executionArnPattern(stateMachine: sfn.StateMachine): string {
  return Stack.of(stateMachine).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachine.stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

interface TunerFunctions {
  readonly initializer: PowertoolsFunction;
  readonly publisher: PowertoolsFunction;
  readonly executor: PowertoolsFunction;
  readonly cleaner: PowertoolsFunction;
  readonly analyzer: PowertoolsFunction;
}

function invoke(scope: Construct, id: string, fn: PowertoolsFunction, props: Partial<tasks.LambdaInvokeProps> = {}): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn.function,
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
    // A lost invocation must not hold the run until the state machine's own timeout.
    taskTimeout: sfn.Timeout.duration(fn.timeout.plus(TASK_TIMEOUT_MARGIN)),
    ...props,
  });
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
  const ownRun = { executionArn: sfn.JsonPath.stringAt('$$.Execution.Id') };
  const failed = new sfn.Fail(scope, 'TuningFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
  const cleanupOnError = invoke(scope, 'CleanupOnError', fns.cleaner, { payload: sfn.TaskInput.fromObject(ownRun), resultPath: sfn.JsonPath.DISCARD });
  cleanupOnError.addCatch(failed, { resultPath: '$.cleanupError' });
  cleanupOnError.next(failed);

  const defaultsState = new sfn.Pass(scope, 'Defaults', {
    comment: 'The construct props; the execution input overrides them per run',
    result: sfn.Result.fromObject(defaults as unknown as Record<string, unknown>),
    resultPath: '$.defaults',
  });

  const initialize = invoke(scope, 'Initialize', fns.initializer, {
    payload: sfn.TaskInput.fromObject({
      input: sfn.JsonPath.objectAt('$$.Execution.Input'),
      defaults: sfn.JsonPath.objectAt('$.defaults'),
      execution: { executionArn: sfn.JsonPath.stringAt('$$.Execution.Id'), stateMachineArn: sfn.JsonPath.stringAt('$$.StateMachine.Id') },
    }),
    resultPath: '$.plan',
  });
  initialize.addCatch(cleanupOnError, { resultPath: '$.error' });

  // Versions are published a few per call in a loop, never num × powerValues in one call.
  const publishFromFirst = new sfn.Pass(scope, 'PublishFromFirst', { result: sfn.Result.fromObject({ next: 0, done: false }), resultPath: '$.publish' });
  const publish = invoke(scope, 'PublishVersions', fns.publisher, {
    payload: sfn.TaskInput.fromObject({ plan: sfn.JsonPath.objectAt('$.plan'), next: sfn.JsonPath.numberAt('$.publish.next') }),
    resultPath: '$.publish',
  });
  publish.addCatch(cleanupOnError, { resultPath: '$.error' });

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

  const allPublished = new sfn.Choice(scope, 'AllPublished')
    .when(sfn.Condition.booleanEquals('$.publish.done', true), sampling)
    .otherwise(publish);

  const cleanup = invoke(scope, 'Cleanup', fns.cleaner, { payload: sfn.TaskInput.fromObject(ownRun), resultPath: sfn.JsonPath.DISCARD });
  cleanup.addCatch(failed, { resultPath: '$.error' });

  const analyze = invoke(scope, 'Analyze', fns.analyzer, {
    payload: sfn.TaskInput.fromObject({
      plan: sfn.JsonPath.objectAt('$.plan'),
      results: sfn.JsonPath.objectAt('$.results'),
      // For the run's Step Functions cost: which optional states this definition has and this run entered.
      definition: { onDeployChoice: onDeployDelay !== undefined },
      input: sfn.JsonPath.objectAt('$$.Execution.Input'),
    }),
    resultPath: '$.analysis',
  });
  analyze.addCatch(failed, { resultPath: '$.error' });

  // The recommendation, and whether $LATEST got its memory back (or changed during the run).
  const done = new sfn.Pass(scope, 'Done', {
    parameters: { output: sfn.JsonPath.jsonMerge(sfn.JsonPath.objectAt('$.analysis'), sfn.JsonPath.objectAt('$.publish.report')) },
    outputPath: '$.output',
  });
  const allFailed = new sfn.Fail(scope, 'AllPowerValuesFailed', {
    error: 'PowerTuning.AllPowerValuesFailed',
    causePath: '$.analysis.message',
  });
  const hasRecommendation = new sfn.Choice(scope, 'HasRecommendation')
    .when(sfn.Condition.isPresent('$.analysis.recommendation'), done)
    .otherwise(allFailed);

  sampling.afterwards().next(cleanup).next(analyze).next(hasRecommendation);
  const tuning = defaultsState.next(initialize).next(publishFromFirst).next(publish).next(allPublished);
  if (!onDeployDelay) return tuning;

  // A run the deployment started waits, so CloudFormation has finished with the function
  // (including a rollback) before the run changes its memory. Other runs start at once.
  const waitAfterDeploy = new sfn.Wait(scope, 'WaitAfterDeploy', {
    comment: 'Started by a deployment: let CloudFormation finish updating the function first',
    time: sfn.WaitTime.duration(onDeployDelay),
  });
  const flag = `$.${ON_DEPLOY_INPUT}`;
  return new sfn.Choice(scope, 'StartedByDeploy')
    .when(sfn.Condition.and(sfn.Condition.isPresent(flag), sfn.Condition.booleanEquals(flag, true)), waitAfterDeploy.next(defaultsState))
    .otherwise(defaultsState);
}
