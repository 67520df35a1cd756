import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';

const ID = 'ApiGatewayAccountCloudWatchRole';
const MANAGED_POLICY = 'service-role/AmazonAPIGatewayPushToCloudWatchLogs';

/**
 * The account-level (per region) role API Gateway uses to write REST API access and
 * execution logs, set with `AWS::ApiGateway::Account`. Only created on explicit opt-in,
 * once per stack; both resources are retained on deletion, because every REST API in the
 * account and region depends on the setting, not just this stack's.
 * @internal
 */
export class AccountCloudWatchRole extends Construct {
  public static of(scope: IConstruct): AccountCloudWatchRole {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(ID) as AccountCloudWatchRole | undefined) ?? new AccountCloudWatchRole(stack, ID);
  }

  public readonly role: iam.Role;
  public readonly account: apigateway.CfnAccount;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Account-level role API Gateway uses to write REST API logs to CloudWatch Logs',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(MANAGED_POLICY)],
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${MANAGED_POLICY}]`,
      reason:
        'The account-level API Gateway logging role is shared by every REST API of the account and region, ' +
        'so it cannot be scoped to one log group; AWS maintains this policy for exactly this role.',
    });
    this.account = new apigateway.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}
