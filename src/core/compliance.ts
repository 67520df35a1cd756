import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The plugin name `@cdklabs/cdk-validator-cfnguard` reports Control Tower findings under. @internal */
export const CONTROL_TOWER_PLUGIN = 'cdk-validator-cfnguard';

/**
 * Acknowledges one AWS Control Tower proactive control on one exact resource, for a finding
 * the rule cannot get right (never on a scope: an acknowledgement covers everything below it).
 * The id is the guard rule's name, e.g. `sqs_dlq_check` for CT.SQS.PR.1.
 * @internal
 */
export function acknowledgeControlTower(resource: IConstruct, guardRule: string, control: string, reason: string): void {
  Validations.of(resource).acknowledge({ id: `${CONTROL_TOWER_PLUGIN}::${guardRule}`, reason: `${control}: ${reason}` });
}
