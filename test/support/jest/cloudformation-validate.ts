/**
 * What `@aws/cloudformation-validate` resolves to inside a suite (jest `moduleNameMapper`): the
 * worker-wide copy the test environment holds, so aws-cdk-lib's validation engine is built once
 * per jest worker instead of once per test file (see shared-cloudformation-validate.ts).
 */
import { SHARED_VALIDATE_GLOBAL } from './shared-cloudformation-validate';

const shared = (globalThis as any)[SHARED_VALIDATE_GLOBAL];
if (!shared) {
  throw new Error(`@aws/cloudformation-validate is mapped to the worker-wide copy on globalThis.${SHARED_VALIDATE_GLOBAL}, which test/support/jest/environment.ts provides: keep it as jest's testEnvironment`);
}
export = shared;
