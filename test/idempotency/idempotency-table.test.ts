import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IdempotencyTable } from '../../src/idempotency';
import { createTestApp } from '../support/app';
import { expectNagClean } from '../support/nag';

function roleIn(stack: Stack, id = 'Role'): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

/** Every Allow statement of every IAM policy in the template, flattened. */
function statements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function actionsOf(statement: any): string[] {
  return ([] as string[]).concat(statement.Action);
}

describe('IdempotencyTable defaults', () => {
  const app = createTestApp();
  const stack = new Stack(app, 'TableStack');
  const table = new IdempotencyTable(stack, 'Idem');
  table.grantReadWriteIdempotency(roleIn(stack));
  const template = Template.fromStack(stack);

  test('partition key id (String), no sort key, TTL on expiration, on-demand', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(table.partitionKeyName).toBe('id');
    expect(table.sortKeyName).toBeUndefined();
    expect(table.expirationAttributeName).toBe('expiration');
  });

  test('encrypted with the AWS managed key and point-in-time recovery on', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      // SSEEnabled without a key id is the AWS managed key alias/aws/dynamodb.
      SSESpecification: Match.objectEquals({ SSEEnabled: true }),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('retained on stack deletion by default', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the grant is exactly GetItem, PutItem, UpdateItem, DeleteItem on the table ARN', () => {
    const ddb = statements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(ddb).toHaveLength(1);
    expect(actionsOf(ddb[0]).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(ddb[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IdemTable/), 'Arn'] });
    const all = statements(template).flatMap(actionsOf);
    expect(all.filter((a) => /Scan|Query|Batch|\*/.test(a))).toEqual([]);
    expect(all.filter((a) => a.startsWith('kms:'))).toEqual([]);
  });

  test('nag-clean with no props', () => {
    const nagApp = createTestApp();
    const s = new Stack(nagApp, 'NagStack');
    new IdempotencyTable(s, 'Idem').grantReadWriteIdempotency(roleIn(s));
    expectNagClean(nagApp);
  });
});

describe('IdempotencyTable options', () => {
  test('customer key, no PITR, destroy, sort key layout, table name', () => {
    const stack = new Stack(createTestApp(), 'Opts');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const table = new IdempotencyTable(stack, 'Idem', {
      encryptionKey: key,
      pointInTimeRecovery: false,
      removalPolicy: RemovalPolicy.DESTROY,
      sortKeyName: 'sk',
      tableName: 'idempotency',
    });
    table.grantReadWriteIdempotency(roleIn(stack));
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        TableName: 'idempotency',
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    });
    expect(table.sortKeyName).toBe('sk');
    const kmsActions = statements(template).flatMap(actionsOf).filter((a) => a.startsWith('kms:'));
    expect(kmsActions.sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
  });

  test('static grant on an imported ITable grants the four actions on its ARN only', () => {
    const stack = new Stack(createTestApp(), 'Imported');
    const existing = dynamodb.Table.fromTableName(stack, 'Existing', 'orders-idempotency');
    IdempotencyTable.grantReadWriteIdempotencyOn(existing, roleIn(stack));
    const ddb = statements(Template.fromStack(stack));
    expect(ddb).toHaveLength(1);
    expect(actionsOf(ddb[0]).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(JSON.stringify(ddb[0].Resource)).toContain(':table/orders-idempotency');
    expect(JSON.stringify(ddb[0].Resource)).not.toContain('*');
  });

  test.each([
    ['id', /invalid `sortKeyName` \(got "id"\).*must differ/],
    ['expiration', /invalid `sortKeyName` \(got "expiration"\)/],
    ['', /invalid `sortKeyName` \(got ""\).*1-255 letters/],
    ['has space', /invalid `sortKeyName` \(got "has space"\)/],
  ])('rejects sortKeyName %p', (sortKeyName, message) => {
    const stack = new Stack(createTestApp(), 'Bad');
    expect(() => new IdempotencyTable(stack, 'Idem', { sortKeyName })).toThrow(message);
  });
});
