import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import NodeEnvironment from 'jest-environment-node';
import { SHARED_VALIDATE_GLOBAL, sharedCloudFormationValidate } from './shared-cloudformation-validate';
import { SUITE_TEMP_GLOBAL } from '../temp';

/**
 * The project's jest environment: jest's node environment, plus the worker-wide CloudFormation
 * validator (see shared-cloudformation-validate.ts) on each suite's global, loaded on first use,
 * and a temporary root per test file (test/support/temp.ts), removed when the file ends.
 */
export default class TestEnvironment extends NodeEnvironment {
  private tempRoot?: string;

  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    Object.defineProperty(this.global, SHARED_VALIDATE_GLOBAL, { get: sharedCloudFormationValidate });
  }

  public override async setup(): Promise<void> {
    await super.setup();
    this.tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-suite-'));
    this.global[SUITE_TEMP_GLOBAL] = this.tempRoot;
  }

  public override async teardown(): Promise<void> {
    if (this.tempRoot && process.env.CSP_KEEP_TEST_OUTPUT !== '1') fs.rmSync(this.tempRoot, { recursive: true, force: true });
    await super.teardown();
  }
}
