import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PowertoolsFunctionOptions } from './function-options';

/** The VPC props of the function, and the security groups it got. @internal */
export interface FunctionNetworking {
  readonly functionProps: Pick<lambda.FunctionProps, 'vpc' | 'vpcSubnets' | 'securityGroups'>;
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * Lambda creates and deletes the function's network interfaces with the execution role's
 * permissions. aws-cdk-lib attaches the AWS managed AWSLambdaVPCAccessExecutionRole only to
 * roles it creates; ours gets the same actions inline, so no managed policy is needed.
 */
const NETWORK_INTERFACE_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * No VPC by default. In a VPC: private subnets with egress, and a created security group
 * that allows no inbound traffic (nothing connects to a function) and all outbound.
 * @internal
 */
export function functionNetworking(scope: Construct, role: iam.Role, o: PowertoolsFunctionOptions): FunctionNetworking {
  if (!o.vpc) return { functionProps: {} };
  const securityGroups = o.securityGroups ?? [
    new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: o.vpc,
      description: `Function ${scope.node.path}: no inbound traffic`,
      allowAllOutbound: true,
    }),
  ];
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: NETWORK_INTERFACE_ACTIONS, resources: ['*'] }));
  return {
    securityGroups,
    functionProps: {
      vpc: o.vpc,
      vpcSubnets: o.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups,
    },
  };
}
