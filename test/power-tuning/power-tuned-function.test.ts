import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmAction } from '../../src/core/alarm-action';
import { PowerTunedFunction, TuningStrategy } from '../../src/power-tuning';
import { DEFAULT_TUNING_CONFIG } from '../../src/power-tuning/contract/tuning-input';
import { maskVersionIds } from '../../src/testing';
import { alarmsOf } from '../support/alarms';
import { createTestApp } from '../support/app';
import { collectFindings } from '../support/nag';

function build(props: ConstructorParameters<typeof PowerTunedFunction>[2] = {}, app: App = createTestApp()) {
  const stack = new Stack(app, 'Shop');
  const construct = new PowerTunedFunction(stack, 'Fn', props);
  return { app, stack, construct, template: Template.fromStack(stack) };
}

const ALL_OPTIONS = () => {
  const stack = new Stack(createTestApp(), 'Topic');
  return {
    memorySizeMb: 512,
    timeout: Duration.seconds(20),
    logRetention: logs.RetentionDays.ONE_MONTH,
    powerValuesMb: [256, 512, 1024, 2048],
    invocationsPerValue: 20,
    payload: { iterations: 5000 },
    parallelInvocation: true,
    strategy: TuningStrategy.BALANCED,
    balancedWeight: 0.7,
    discardTopBottom: 0.1,
    onlyColdStarts: false,
    includeRequestCost: false,
    tuneOnDeploy: true,
    resultsParameterName: '/shop/power-tuning',
    serviceName: 'shop',
    monitoring: { alarmAction: AlarmAction.toTopic(sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:us-east-1:123456789012:alarms')) },
  };
};

/** The state machine definition as JSON, with CloudFormation references written as `<LogicalId>`. */
function definition(template: Template): any {
  const [sm] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
  const parts: any[] = sm.Properties.DefinitionString['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `<${p['Fn::GetAtt']?.[0] ?? p.Ref}>`)).join(''));
}

function logicalIdOf(template: Template, type: string, props: object): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('PowerTunedFunction with no props', () => {
  let t: Template;
  let construct: PowerTunedFunction;
  beforeAll(() => {
    ({ template: t, construct } = build());
  });

  test('the function has the library defaults', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'Fn', POWERTOOLS_METRICS_NAMESPACE: 'Shop', POWERTOOLS_LOG_LEVEL: 'INFO' }) },
    });
    expect(construct.function.runtime.name).toBe('nodejs24.x');
    expect(construct.role).toBe(construct.function.role);
    expect(construct.logGroup).toBe(construct.function.logGroup);
    expect(construct.asyncDeadLetterQueue).toBeDefined();
  });

  test('five tuner functions from one asset, each with its handler, the defaults and the tuned function\'s name', () => {
    const fnId = logicalIdOf(t, 'AWS::Lambda::Function', { Handler: 'index.handler' });
    const expected: Record<string, number> = { 'index.initializer': 300, 'index.publisher': 900, 'index.executor': 900, 'index.cleaner': 300, 'index.analyzer': 30 };
    const codes = new Set<string>();
    for (const [handler, timeout] of Object.entries(expected)) {
      const id = logicalIdOf(t, 'AWS::Lambda::Function', { Handler: handler });
      const props = (t.toJSON().Resources[id] as any).Properties;
      expect(props).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: timeout, MemorySize: 256, TracingConfig: { Mode: 'Active' } });
      expect(props.Environment.Variables).toMatchObject({ TUNED_FUNCTION_NAME: { Ref: fnId } });
      // the memory to restore is read at run start, never from a deploy-time variable
      expect(props.Environment.Variables.TUNED_FUNCTION_MEMORY_MB).toBeUndefined();
      expect(props.Environment.Variables.RESULTS_PARAMETER_NAME).toBeUndefined();
      codes.add(JSON.stringify(props.Code));
    }
    expect(codes.size).toBe(1);
    // no run-on-deploy by default
    t.resourceCountIs('Custom::PowerTuningOnDeploy', 0);
    t.resourceCountIs('AWS::Lambda::Function', 6);
  });

  test('every log group has a finite retention', () => {
    const groups = Object.values(t.findResources('AWS::Logs::LogGroup')) as any[];
    expect(groups).toHaveLength(7);
    for (const g of groups) expect(g.Properties.RetentionInDays).toBe(90);
  });

  test('the state machine: Standard, X-Ray on, ALL logging without execution data to its own log group', () => {
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnTunerStateMachineLogs'), 'Arn'] } } }],
      },
    });
    expect(construct.stateMachineLogGroup).toBeDefined();
  });

  test('definition: Initialize → PublishVersions (loop) → Execute (Map) → Cleanup → Analyze → output, with catch → cleanup', () => {
    const d = definition(t);
    expect(d.StartAt).toBe('Defaults');
    expect(d.TimeoutSeconds).toBe(7200);
    const s = d.States;
    expect(Object.keys(s).sort()).toEqual(
      ['AllPowerValuesFailed', 'AllPublished', 'Analyze', 'Cleanup', 'CleanupOnError', 'Defaults', 'Done', 'Execute', 'HasRecommendation', 'Initialize', 'PublishFromFirst', 'PublishVersions', 'TuningFailed']
        .concat(['Sampling', 'ExecuteAdaptively']).sort(),
    );
    const catchToCleanup = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CleanupOnError' }];
    expect(s.Defaults).toMatchObject({ Type: 'Pass', Result: DEFAULT_TUNING_CONFIG, ResultPath: '$.defaults', Next: 'Initialize' });
    expect(s.Initialize).toMatchObject({
      Type: 'Task',
      Resource: expect.stringMatching(/^<FnTunerInitializerFunction/),
      Parameters: {
        'input.$': '$$.Execution.Input',
        'defaults.$': '$.defaults',
        'execution': { 'executionArn.$': '$$.Execution.Id', 'stateMachineArn.$': '$$.StateMachine.Id' },
      },
      ResultPath: '$.plan',
      Next: 'PublishFromFirst',
      Catch: catchToCleanup,
    });
    // adaptive sampling runs every value in one executor call; fixed sampling maps over them
    expect(s.Sampling).toMatchObject({ Type: 'Choice', Default: 'Execute', Choices: [{ Next: 'ExecuteAdaptively' }] });
    expect(s.ExecuteAdaptively).toMatchObject({
      Type: 'Task',
      Resource: expect.stringMatching(/^<FnTunerExecutorFunction/),
      Parameters: { 'targets.$': '$.plan.targets', 'config.$': '$.plan.config', 'function.$': '$.plan.function' },
      ResultPath: '$.results',
      Next: 'Cleanup',
      Catch: catchToCleanup,
    });
    expect(s.PublishFromFirst).toEqual({ Type: 'Pass', Result: { next: 0, done: false }, ResultPath: '$.publish', Next: 'PublishVersions' });
    expect(s.PublishVersions).toMatchObject({
      Resource: expect.stringMatching(/^<FnTunerPublisherFunction/),
      Parameters: { 'plan.$': '$.plan', 'next.$': '$.publish.next' },
      ResultPath: '$.publish',
      Next: 'AllPublished',
      Catch: catchToCleanup,
    });
    expect(s.AllPublished).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.publish.done', BooleanEquals: true, Next: 'Sampling' }], Default: 'PublishVersions' });
    expect(s.Execute).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.plan.targets',
      ItemSelector: { 'target.$': '$$.Map.Item.Value', 'config.$': '$.plan.config', 'function.$': '$.plan.function' },
      ResultPath: '$.results',
      Next: 'Cleanup',
      Catch: catchToCleanup,
    });
    // no MaxConcurrency: every power value runs at once, as in the anchor
    expect(s.Execute.MaxConcurrency).toBeUndefined();
    const inner = s.Execute.ItemProcessor.States;
    expect(inner.ExecutePowerValue).toMatchObject({ Type: 'Task', Resource: expect.stringMatching(/^<FnTunerExecutorFunction/), End: true });
    expect(inner.ExecutePowerValue.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkSkipped' }]);
    expect(inner.MarkSkipped).toMatchObject({ Type: 'Pass', End: true, Parameters: { 'powerMb.$': '$.target.powerMb', 'status': 'skipped', 'reason.$': expect.stringContaining('States.Format') } });
    // cleanup is scoped to this execution's own run
    expect(s.Cleanup).toMatchObject({ Resource: expect.stringMatching(/^<FnTunerCleanerFunction/), Parameters: { 'executionArn.$': '$$.Execution.Id' }, ResultPath: null, Next: 'Analyze' });
    expect(s.Analyze).toMatchObject({
      Resource: expect.stringMatching(/^<FnTunerAnalyzerFunction/),
      Parameters: { 'plan.$': '$.plan', 'results.$': '$.results' },
      ResultPath: '$.analysis',
      Next: 'HasRecommendation',
    });
    expect(s.HasRecommendation).toMatchObject({ Type: 'Choice', Choices: [{ Variable: '$.analysis.recommendation', IsPresent: true, Next: 'Done' }], Default: 'AllPowerValuesFailed' });
    expect(s.Done).toEqual({ Type: 'Pass', Parameters: { 'output.$': 'States.JsonMerge($.analysis, $.publish.report, false)' }, OutputPath: '$.output', End: true });
    expect(s.AllPowerValuesFailed).toEqual({ Type: 'Fail', Error: 'PowerTuning.AllPowerValuesFailed', CausePath: '$.analysis.message' });
    expect(s.CleanupOnError).toMatchObject({ Resource: expect.stringMatching(/^<FnTunerCleanerFunction/), Parameters: { 'executionArn.$': '$$.Execution.Id' }, ResultPath: null, Next: 'TuningFailed' });
    expect(s.CleanupOnError.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.cleanupError', Next: 'TuningFailed' }]);
    expect(s.TuningFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  test('every task has a timeout: its function\'s, plus 30 s', () => {
    const s = definition(t).States;
    const timeouts = {
      Initialize: s.Initialize,
      PublishVersions: s.PublishVersions,
      ExecutePowerValue: s.Execute.ItemProcessor.States.ExecutePowerValue,
      ExecuteAdaptively: s.ExecuteAdaptively,
      Cleanup: s.Cleanup,
      CleanupOnError: s.CleanupOnError,
      Analyze: s.Analyze,
    };
    expect(Object.fromEntries(Object.entries(timeouts).map(([name, task]) => [name, task.TimeoutSeconds]))).toEqual({
      Initialize: 330,
      PublishVersions: 930,
      ExecutePowerValue: 930,
      ExecuteAdaptively: 930,
      Cleanup: 330,
      CleanupOnError: 330,
      Analyze: 60,
    });
    const all = JSON.stringify(definition(t));
    expect(all.match(/"Type":"Task"/g)).toHaveLength(Object.keys(timeouts).length);
  });

  test('every task retries throttling and Lambda service errors', () => {
    const s = definition(t).States;
    const execute = s.Execute.ItemProcessor.States.ExecutePowerValue;
    const tasks = [s.Initialize, s.PublishVersions, execute, s.ExecuteAdaptively, s.Cleanup, s.CleanupOnError, s.Analyze];
    for (const task of tasks) {
      const errors = task.Retry.flatMap((r: any) => r.ErrorEquals);
      expect(errors).toEqual(expect.arrayContaining(['Lambda.TooManyRequestsException', 'TooManyRequestsException', 'Lambda.ServiceException']));
      const throttle = task.Retry.find((r: any) => r.ErrorEquals.includes('Lambda.TooManyRequestsException'));
      expect(throttle).toMatchObject({ IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' });
    }
  });

  test('alarms: the function set and DLQ for the tuned function and for every tuner function, tuner failures and timeouts', () => {
    const functionSet = ['DurationP90', 'DurationP99', 'ErrorRate', 'Errors', 'Throttles'];
    const names = alarmsOf(t).map((a) => a.properties.AlarmName);
    expect(names.sort()).toEqual(
      [
        ...[...functionSet, 'AsyncDeadLetterQueue'].map((n) => `Shop-Fn-Handler-${n}`),
        ...['Initializer', 'Publisher', 'Executor', 'Cleaner', 'Analyzer'].flatMap((f) => functionSet.map((n) => `Shop-Fn-Tuner-${f}-${n}`)),
        'Shop-Fn-Tuner-TunerExecutionsFailed',
        'Shop-Fn-Tuner-TunerExecutionsTimedOut',
      ].sort(),
    );
    expect(construct.alarms).toHaveLength(names.length);
    expect(construct.tunerFunctions.map((f) => f.node.id)).toEqual(['Initializer', 'Publisher', 'Executor', 'Cleaner', 'Analyzer']);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Shop-Fn-Tuner-TunerExecutionsFailed',
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^ServerlessPowertoolsAlarmsTopic') }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Fn-Tuner-TunerExecutionsTimedOut', MetricName: 'ExecutionsTimedOut' });
  });

  test('a dashboard with a function row and a tuner executions row', () => {
    const [dash] = Object.values(t.findResources('AWS::CloudWatch::Dashboard')) as any[];
    const body = JSON.stringify(dash.Properties.DashboardBody);
    expect(body).toContain('### Function');
    expect(body).toContain('### Power tuner executions');
    expect(body).toContain('ExecutionsSucceeded');
    expect(construct.dashboard).toBeDefined();
  });

  test('snapshot', () => {
    const json = t.toJSON();
    expect(JSON.stringify(json)).toMatch(/[0-9a-f]{64}/); // the serializer masks these
    expect(json).toMatchSnapshot();
  });
});

describe('IAM: scoped to the one function, its versions and aliases; never "*" for Lambda', () => {
  /** Every Allow statement with a Lambda action, from every policy in the template. */
  function lambdaStatements(t: Template): { policy: string; actions: string[]; resources: any[] }[] {
    const out: { policy: string; actions: string[]; resources: any[] }[] = [];
    for (const [id, policy] of Object.entries(t.findResources('AWS::IAM::Policy')) as [string, any][]) {
      for (const st of policy.Properties.PolicyDocument.Statement) {
        const actions = [st.Action].flat();
        if (actions.some((a: string) => a.startsWith('lambda:') || a === '*')) out.push({ policy: id, actions, resources: [st.Resource].flat() });
      }
    }
    return out;
  }
  const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
  const versionsOf = (id: string) => ({ 'Fn::Join': ['', [arnOf(id), ':*']] });

  for (const [name, props] of [['no props', {}], ['all options', ALL_OPTIONS()]] as const) {
    test(`${name}: every Lambda permission names the tuned function or a tuner function`, () => {
      const { template: t } = build(props);
      const tuned = logicalIdOf(t, 'AWS::Lambda::Function', { Handler: 'index.handler' });
      const tunerFns = Object.keys(t.findResources('AWS::Lambda::Function')).filter((id) => id !== tuned);
      const smRolePolicy = Object.keys(t.findResources('AWS::IAM::Policy')).find((id) => id.startsWith('FnTunerStateMachineRole'))!;
      // the starter may invoke the cleaner (on stack delete), like the state machine
      const invokesTuner = (policy: string) => policy === smRolePolicy || policy.startsWith('FnTunerTuneOnDeployStarter');
      const statements = lambdaStatements(t);
      expect(statements.length).toBeGreaterThanOrEqual(7);
      for (const st of statements) {
        for (const action of st.actions) {
          expect(action).toMatch(/^lambda:[A-Za-z]+$/); // no "*", no "lambda:*", no "lambda:Get*"
        }
        for (const resource of st.resources) {
          expect(resource).not.toBe('*');
          const allowed =
            invokesTuner(st.policy)
              ? tunerFns.flatMap((id) => [arnOf(id), versionsOf(id)])
              : [arnOf(tuned), versionsOf(tuned)];
          expect(allowed).toContainEqual(resource);
        }
      }
    });
  }

  test('least privilege per role: the executor only invokes versions/aliases, the cleaner only deletes versions', () => {
    const { template: t } = build();
    const tuned = logicalIdOf(t, 'AWS::Lambda::Function', { Handler: 'index.handler' });
    const byPolicy = (prefix: string) =>
      lambdaStatements(t)
        .filter((s) => s.policy.startsWith(prefix))
        .flatMap((s) => s.actions.map((a) => [a, s.resources]));
    expect(byPolicy('FnTunerExecutor')).toEqual([['lambda:InvokeFunction', [versionsOf(tuned)]]]);
    expect(byPolicy('FnTunerCleaner')).toContainEqual(['lambda:DeleteFunction', [versionsOf(tuned)]]);
    expect(byPolicy('FnTunerAnalyzer')).toEqual([]);
    const cleanupActions = ['lambda:DeleteAlias', 'lambda:DeleteFunction', 'lambda:GetFunctionConfiguration', 'lambda:ListAliases', 'lambda:ListVersionsByFunction', 'lambda:UpdateFunctionConfiguration'];
    // the initializer sweeps leftovers: the cleaner's permissions, nothing to publish
    expect(byPolicy('FnTunerInitializer').map(([a]) => a).sort()).toEqual(cleanupActions);
    expect(byPolicy('FnTunerCleaner').map(([a]) => a).sort()).toEqual(cleanupActions);
    expect([...new Set(byPolicy('FnTunerPublisher').map(([a]) => a))].sort()).toEqual(
      ['lambda:CreateAlias', 'lambda:GetFunctionConfiguration', 'lambda:PublishVersion', 'lambda:UpdateAlias', 'lambda:UpdateFunctionConfiguration'].sort(),
    );
    // PublishVersion and configuration updates on the function itself only
    expect(byPolicy('FnTunerPublisher')).toContainEqual(['lambda:PublishVersion', [arnOf(tuned)]]);
    // the initializer may list this state machine's executions, in its own policy (a default-policy statement would be a cycle)
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^FnTunerInitializerExecutionsPolicy'),
      PolicyDocument: { Statement: [{ Action: 'states:ListExecutions', Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^FnTunerStateMachine') } }] },
    });
    // the tuned function itself gets no Lambda permission at all
    expect(byPolicy('FnServiceRole')).toEqual([]);
  });
});

describe('props', () => {
  let all: ReturnType<typeof build>;
  beforeAll(() => {
    all = build(ALL_OPTIONS());
  });

  test('tuning props become the Defaults of every execution', () => {
    expect(definition(all.template).States.Defaults.Result).toEqual({
      powerValues: [256, 512, 1024, 2048],
      num: 20,
      payload: { iterations: 5000 },
      parallelInvocation: true,
      strategy: 'balanced',
      balancedWeight: 0.7,
      discardTopBottom: 0.1,
      onlyColdStarts: false,
      sleepBetweenRunsMs: 0,
      includeRequestCost: false,
    });
  });

  test('function props shape the function and the tuner\'s view of it', () => {
    const t = all.template;
    t.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', MemorySize: 512, Timeout: 20 });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.cleaner',
      Environment: { Variables: Match.objectLike({ TUNED_FUNCTION_NAME: { Ref: logicalIdOf(t, 'AWS::Lambda::Function', { Handler: 'index.handler' }) } }) },
    });
    for (const g of Object.values(t.findResources('AWS::Logs::LogGroup')) as any[]) expect(g.Properties.RetentionInDays).toBe(30);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Fn-Tuner-TunerExecutionsFailed', AlarmActions: ['arn:aws:sns:us-east-1:123456789012:alarms'] });
  });

  test('resultsParameterName: the analyzer gets the name and may write exactly that parameter', () => {
    const t = all.template;
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.analyzer',
      Environment: { Variables: Match.objectLike({ RESULTS_PARAMETER_NAME: '/shop/power-tuning' }) },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^FnTunerAnalyzer'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'ssm:PutParameter',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':parameter/shop/power-tuning']] },
          },
        ]),
      },
    });
    expect(all.construct.resultsParameterName).toBe('/shop/power-tuning');
    // the stack does not own the parameter, so the tuner's writes never drift from CloudFormation
    all.template.resourceCountIs('AWS::SSM::Parameter', 0);
  });

  test('tuneOnDeploy: a custom resource keyed on the function version, with a bounded wait and explicit retries', () => {
    const t = all.template;
    const starter = logicalIdOf(t, 'AWS::Lambda::Function', { Handler: 'index.starter' });
    const cleaner = logicalIdOf(t, 'AWS::Lambda::Function', { Handler: 'index.cleaner' });
    const version = Object.keys(t.findResources('AWS::Lambda::Version'));
    expect(version).toHaveLength(1);
    t.hasResource('AWS::Lambda::Version', { DeletionPolicy: 'Delete' });
    const sm = Object.keys(t.findResources('AWS::StepFunctions::StateMachine'))[0];
    const executionsPolicy = logicalIdOf(t, 'AWS::IAM::Policy', { PolicyName: Match.stringLikeRegexp('^FnTunerInitializerExecutionsPolicy') });
    t.hasResource('Custom::PowerTuningOnDeploy', {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [starter, 'Arn'] },
        ServiceTimeout: '600',
        StateMachineArn: { Ref: sm },
        // the version number grows with each deployment and goes back on a rollback
        DeployToken: { 'Fn::GetAtt': [version[0], 'Version'] },
        CleanerFunctionName: { Ref: cleaner },
      },
      // a run may start at once: the initializer's permission to list executions exists first
      DependsOn: Match.arrayWith([executionsPolicy]),
    });
    t.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.starter', Timeout: 360 });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: starter }, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 1800 });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^FnTunerTuneOnDeployStarter'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: sm } },
          { Action: 'states:ListExecutions', Effect: 'Allow', Resource: { Ref: sm } },
          Match.objectLike({ Action: 'states:StopExecution', Resource: Match.objectLike({ 'Fn::Join': Match.anyValue() }) }),
          { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [cleaner, 'Arn'] } },
        ]),
      },
    });
  });

  test('tuneOnDeploy: a run the deployment started waits 5 minutes before Initialize; other runs start at once', () => {
    const d = definition(all.template);
    expect(d.StartAt).toBe('StartedByDeploy');
    expect(d.States.StartedByDeploy).toEqual({
      Type: 'Choice',
      Choices: [{ And: [{ Variable: '$.onDeploy', IsPresent: true }, { Variable: '$.onDeploy', BooleanEquals: true }], Next: 'WaitAfterDeploy' }],
      Default: 'Defaults',
    });
    expect(d.States.WaitAfterDeploy).toMatchObject({ Type: 'Wait', Seconds: 300, Next: 'Defaults' });
    expect(d.States.Defaults.Next).toBe('Initialize');
    // the wait does not eat into the tuning's two hours
    expect(d.TimeoutSeconds).toBe(7200 + 300);
  });

  test('tuneOnDeployDelay sets the wait', () => {
    const d = definition(build({ tuneOnDeploy: true, tuneOnDeployDelay: Duration.minutes(15) }).template);
    expect(d.States.WaitAfterDeploy.Seconds).toBe(900);
    expect(d.TimeoutSeconds).toBe(7200 + 900);
  });

  test('logExecutionData: true logs state inputs and outputs', () => {
    build({ logExecutionData: true }).template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
  });

  test('asyncDeadLetterQueue: false, alarms and dashboard off', () => {
    const { template: t, construct } = build({ asyncDeadLetterQueue: false, monitoring: { alarms: false, dashboard: false } });
    t.resourceCountIs('AWS::SQS::Queue', 0);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    t.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', DeadLetterConfig: Match.absent() });
    expect(construct.alarms).toEqual([]);
    expect(construct.dashboard).toBeUndefined();
    expect(construct.asyncDeadLetterQueue).toBeUndefined();
  });

  test('tokens are not rejected', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Tokens');
    const param = new CfnParameter(stack, 'ParamName', { type: 'String' });
    expect(
      () =>
        new PowerTunedFunction(stack, 'Fn', {
          invocationsPerValue: Lazy.number({ produce: () => 12 }),
          balancedWeight: Lazy.number({ produce: () => 0.2 }),
          strategy: TuningStrategy.BALANCED,
          resultsParameterName: param.valueAsString,
        }),
    ).not.toThrow();
    expect(definition(Template.fromStack(stack)).States.Defaults.Result).toMatchObject({ num: 12, balancedWeight: 0.2 });
  });

  test('risky choices are warnings', () => {
    const { stack } = build({ balancedWeight: 0.3, timeout: Duration.minutes(3) });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Shop/Fn', Match.stringLikeRegexp('balancedWeight only applies to TuningStrategy.BALANCED'));
    annotations.hasWarning('/Shop/Fn', Match.stringLikeRegexp("10 serial invocations of up to 180 s may not fit the executor's 15 minutes"));
  });
});

describe('bad props', () => {
  const cases: [string, object, RegExp][] = [
    ['empty power values', { powerValuesMb: [] }, /invalid `powerValuesMb` \(got \[\]\)\. powerValuesMb must be a non-empty list of memory sizes in MB\.$/],
    ['unsorted power values', { powerValuesMb: [512, 256] }, /invalid `powerValuesMb` \(got \[512, 256\]\)\. powerValuesMb must be sorted ascending without duplicates\.$/],
    ['too many power values', { powerValuesMb: Array.from({ length: 51 }, (_, i) => 128 + i) }, /powerValuesMb may hold at most 50 values\.$/],
    ['duplicate power values', { powerValuesMb: [256, 256] }, /powerValuesMb must be sorted ascending without duplicates/],
    ['power value below 128 MB', { powerValuesMb: [64, 128] }, /powerValuesMb must be whole numbers of MB from 128 to 10240; \[64\] are not/],
    ['power value above 10240 MB', { powerValuesMb: [128, 20480] }, /\[20480\] are not/],
    ['num below 5', { invocationsPerValue: 4 }, /invalid `invocationsPerValue` \(got 4\)\. Use a whole number from 5 to 1000/],
    ['fractional num', { invocationsPerValue: 5.5 }, /invalid `invocationsPerValue` \(got 5.5\)/],
    ['balancedWeight above 1', { balancedWeight: 1.5 }, /invalid `balancedWeight` \(got 1.5\)\. Use a number from 0 to 1/],
    ['balancedWeight below 0', { balancedWeight: -0.1 }, /invalid `balancedWeight` \(got -0.1\)/],
    ['discardTopBottom above 0.4', { discardTopBottom: 0.5 }, /invalid `discardTopBottom` \(got 0.5\)\. Use a number from 0 to 0.4/],
    ['negative sleep', { sleepBetweenRunsMs: -1 }, /invalid `sleepBetweenRunsMs` \(got -1\)\. Use a whole number from 0 to 60000/],
    ['sleep with parallel invocation', { sleepBetweenRunsMs: 100, parallelInvocation: true }, /invalid `sleepBetweenRunsMs` \(got 100\)\. sleepBetweenRunsMs only applies to serial invocations/],
    ['unknown strategy', { strategy: 'cheapest' }, /invalid `strategy` \(got "cheapest"\)\. Use TuningStrategy.COST/],
    ['parameter path without leading slash', { resultsParameterName: 'shop/tuning' }, /invalid `resultsParameterName` \(got "shop\/tuning"\)\. Use letters, digits/],
    ['reserved parameter prefix', { resultsParameterName: '/aws/tuning' }, /invalid `resultsParameterName` \(got "\/aws\/tuning"\)/],
    ['parameter name with spaces', { resultsParameterName: '/my tuning' }, /invalid `resultsParameterName`/],
    ['memory out of range (core check)', { memorySizeMb: 64 }, /invalid `memorySizeMb` \(got 64\)/],
    ['tuneOnDeployDelay without tuneOnDeploy', { tuneOnDeployDelay: Duration.minutes(1) }, /invalid `tuneOnDeployDelay` \(got 1 minute\)\. It only applies with tuneOnDeploy: true/],
    ['tuneOnDeployDelay above an hour', { tuneOnDeploy: true, tuneOnDeployDelay: Duration.hours(2) }, /invalid `tuneOnDeployDelay` \(got 2 hours\)\. Use a whole number of seconds from 0 to 1 hour/],
    ['tuneOnDeployDelay in fractions of a second', { tuneOnDeploy: true, tuneOnDeployDelay: Duration.millis(1500) }, /invalid `tuneOnDeployDelay` \(got 1 second 500 millis\)\. Use a whole number of seconds/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    const stack = new Stack(createTestApp(), 'Bad');
    expect(() => new PowerTunedFunction(stack, 'Fn', props as any)).toThrow(message);
    expect(() => new PowerTunedFunction(new Stack(createTestApp(), 'Bad2'), 'Fn', props as any)).toThrow(/^PowerTunedFunction Bad2\/Fn: invalid `/);
    // the value is shown once, by the error itself; the fix text never repeats it
    let thrown = '';
    try {
      new PowerTunedFunction(new Stack(createTestApp(), 'Bad3'), 'Fn', props as any);
    } catch (err) {
      thrown = (err as Error).message;
    }
    expect(thrown.match(/\(got /g)).toHaveLength(1);
  });

  test('a tuneOnDeployDelay token must be in seconds', () => {
    const stack = new Stack(createTestApp(), 'Bad');
    const minutes = new CfnParameter(stack, 'Delay', { type: 'Number' }).valueAsNumber;
    expect(() => new PowerTunedFunction(stack, 'Fn', { tuneOnDeploy: true, tuneOnDeployDelay: Duration.minutes(minutes) })).toThrow(
      /invalid `tuneOnDeployDelay` \(got a token Duration\)\. .*A deploy-time value must be Duration\.seconds\(token\)/,
    );
    const ok = new Stack(createTestApp(), 'Ok');
    const seconds = new CfnParameter(ok, 'Delay', { type: 'Number' }).valueAsNumber;
    new PowerTunedFunction(ok, 'Fn', { tuneOnDeploy: true, tuneOnDeployDelay: Duration.seconds(seconds) });
    const [sm] = Object.values(Template.fromStack(ok).findResources('AWS::StepFunctions::StateMachine')) as any[];
    const parts: any[] = sm.Properties.DefinitionString['Fn::Join'][1];
    // the parameter is a bare number in the JSON; the ARNs sit inside strings
    const text = parts.map((p) => (typeof p === 'string' ? p : p.Ref === 'Delay' ? '"<Delay>"' : `<${p['Fn::GetAtt']?.[0] ?? p.Ref}>`)).join('');
    const d = JSON.parse(text);
    expect(d.States.WaitAfterDeploy.Seconds).toBe('<Delay>');
    expect(d.TimeoutSeconds).toBe(7200 + 3600);
  });

  test('a payload that is not JSON', () => {
    const circular: any = {};
    circular.self = circular;
    expect(() => new PowerTunedFunction(new Stack(createTestApp(), 'Bad'), 'Fn', { payload: circular })).toThrow(
      /invalid `payload` \(got Object\)\. payload must be JSON-serializable: Converting circular structure/,
    );
  });
});

describe('cdk-nag and CloudFormation validation', () => {
  test('no props: no findings', () => {
    const { app } = build();
    expect(collectFindings(app)).toEqual([]);
  });

  test('all options: no findings, and a snapshot', () => {
    const { app, template } = build(ALL_OPTIONS());
    expect(collectFindings(app)).toEqual([]);
    expect(maskVersionIds(template.toJSON())).toMatchSnapshot();
  });

  test('the acknowledgements are needed: the same ARN:* grant on another role is a finding', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Plain');
    const construct = new PowerTunedFunction(stack, 'Fn');
    const role = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [`${construct.function.functionArn}:*`] }));
    const findings = collectFindings(app);
    // the finding id is exactly the one the construct acknowledges on its own roles
    expect(findings.map((f) => f.rule)).toEqual([expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<FnHandlerFunction[0-9A-F]{8}\.Arn>:\*\]$/)]);
    expect(findings[0].resource).toMatch(/Other/);
  });
});
