import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * What CloudWatch Logs does with a log group's key (AWS's documented key policy for log
 * data encryption), as explicit actions rather than the documented wildcards.
 */
const LOGS_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'];

/**
 * A log group with finite retention, encrypted with `key` when given. The key policy lets
 * the CloudWatch Logs service of this region use the key only for log groups of this
 * account and region (the `kms:EncryptionContext:aws:logs:arn` condition). It names the
 * log groups with a wildcard: naming this one would make the key depend on the log group
 * that depends on the key.
 * @internal
 */
export function encryptedLogGroup(scope: Construct, id: string, retention: logs.RetentionDays, key?: kms.IKey): logs.LogGroup {
  if (key) {
    const stack = Stack.of(scope);
    const added = key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: LOGS_KEY_ACTIONS,
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
        },
      }),
      /* allowNoOp */ true,
    );
    if (!added.statementAdded) {
      Annotations.of(scope).addWarningV2(
        'cdk-serverless-powertools:logGroupKeyPolicy',
        'logGroupEncryptionKey is an imported key, whose policy this stack cannot change: make sure it lets the CloudWatch Logs service principal ' +
          '(logs.<region>.amazonaws.com) use it for log groups of this account, or the log group fails to create.',
      );
    }
  }
  return new logs.LogGroup(scope, id, { retention, encryptionKey: key });
}
