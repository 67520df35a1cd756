import NodeEnvironment from 'jest-environment-node';
import { SHARED_VALIDATE_GLOBAL, sharedCloudFormationValidate } from './shared-cloudformation-validate';

/**
 * The project's jest environment: jest's node environment, plus the worker-wide CloudFormation
 * validator (see shared-cloudformation-validate.ts) on each suite's global, loaded on first use.
 */
export default class TestEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    Object.defineProperty(this.global, SHARED_VALIDATE_GLOBAL, { get: sharedCloudFormationValidate });
  }
}
