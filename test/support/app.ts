import { App, Stack } from 'aws-cdk-lib';
import { tempDir } from './temp';

/** Context every test app sets, so aws-cdk-lib's own CloudFormation validation turns findings into errors. */
export const TEST_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
};

/** A fresh app writing to its own temp dir, with the validation flag on. */
export function createTestApp(): App {
  const outdir = tempDir('csp-test-');
  return new App({ outdir, context: TEST_CONTEXT });
}

/** An env-agnostic stack in a fresh test app. */
export function createTestStack(id = 'TestStack'): Stack {
  return new Stack(createTestApp(), id);
}
