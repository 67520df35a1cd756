import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';

/**
 * The SNS topic every construct of this library in a stack sends its alarms to, unless
 * told otherwise. Created on first use, encrypted with a customer managed key that
 * CloudWatch may use (the AWS managed `aws/sns` key cannot receive CloudWatch alarms),
 * and TLS-only. Subscribe to it with `StackAlarmTopic.of(this).topic.addSubscription(...)`.
 */
export class StackAlarmTopic extends Construct {
  /** The stack's shared alarm topic, created on first call. */
  public static of(scope: IConstruct): StackAlarmTopic {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(StackAlarmTopic.ID);
    return (existing as StackAlarmTopic | undefined) ?? new StackAlarmTopic(stack, StackAlarmTopic.ID);
  }

  private static readonly ID = 'ServerlessPowertoolsAlarms';

  /** The topic alarms publish to. */
  public readonly topic: sns.Topic;
  /** The key that encrypts the topic. */
  public readonly key: kms.Key;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the cdk-serverless-powertools alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarm notifications as the service principal, so it needs the
    // two key operations SNS asks of a publisher, scoped to this account's alarms.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    // Grants are a side door to the key: a principal allowed kms:CreateGrant (the account
    // root in the default policy) could hand Decrypt to anyone. Only AWS services acting for
    // an AWS resource need grants, so deny every other CreateGrant (Control Tower CT.KMS.PR.3,
    // which wants exactly this statement: Deny, `*`, kms:CreateGrant, BoolIfExists on both keys
    // "false"). The account keeps every other key permission, including PutKeyPolicy.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyCreateGrantExceptForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Serverless Powertools alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
  }
}

/**
 * Where alarms send their notifications.
 */
export abstract class AlarmAction {
  /** The stack's shared, encrypted topic (see `StackAlarmTopic`), created on first use. */
  public static stackTopic(): AlarmAction {
    return new StackTopicAction();
  }

  /** Your own topic. */
  public static toTopic(topic: sns.ITopic): AlarmAction {
    return new TopicAction(topic);
  }

  /** Alarms are created without any action. */
  public static none(): AlarmAction {
    return new NoAction();
  }

  /** @internal */
  public abstract _bind(scope: IConstruct): AlarmTarget;
}

/** What a bound AlarmAction gives the alarm factory. @internal */
export interface AlarmTarget {
  readonly action?: cloudwatch.IAlarmAction;
  readonly topic?: sns.ITopic;
}

class StackTopicAction extends AlarmAction {
  public _bind(scope: IConstruct): AlarmTarget {
    const topic = StackAlarmTopic.of(scope).topic;
    return { topic, action: new cw_actions.SnsAction(topic) };
  }
}

class TopicAction extends AlarmAction {
  constructor(private readonly topic: sns.ITopic) {
    super();
  }
  public _bind(): AlarmTarget {
    return { topic: this.topic, action: new cw_actions.SnsAction(this.topic) };
  }
}

class NoAction extends AlarmAction {
  public _bind(): AlarmTarget {
    return {};
  }
}
