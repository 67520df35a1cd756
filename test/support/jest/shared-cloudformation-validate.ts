/**
 * aws-cdk-lib checks every synthesized template with `@aws/cloudformation-validate`: a 9 MB
 * WebAssembly module whose engine takes seconds to build. aws-cdk-lib builds that engine once per
 * process and reuses it for every later synth, but jest gives each test file a fresh module
 * registry, so each suite that synthesized compiled the module and built the engine again
 * (4-9 s of a typical construct suite on CI's 2 cores).
 *
 * The test environment (test/support/jest/environment.ts) loads this module outside the per-file
 * registry, so Node keeps it for the life of the jest worker, and the registry maps
 * `@aws/cloudformation-validate` onto it (test/support/jest/cloudformation-validate.ts): every
 * suite in a worker gets the same module and the same engine per configuration. That is what
 * aws-cdk-lib already does for every synth within one process, extended across suites: each
 * template is still validated, by an engine built from the same configuration.
 */
import * as path from 'path';

/** The part of the module aws-cdk-lib uses (it also reads `version()` and `TemplateContent`, passed through). */
interface Engine {
  validateTemplate(template: unknown, config?: object): unknown;
  free(): void;
}
interface Module {
  readonly CompositeEngine: new (config: object) => Engine;
}
/** The shared module also says how many engines this worker has built (what the support test checks). */
export interface SharedModule extends Module {
  engineBuilds(): number;
}

/** The suite global the test environment defines and the mapped module reads. */
export const SHARED_VALIDATE_GLOBAL = '__cspSharedCloudFormationValidate';

let shared: SharedModule | undefined;

/** The worker-wide module, loaded on first use (suites that never synthesize never pay for it). */
export function sharedCloudFormationValidate(): SharedModule {
  shared ??= wrap(loadReal());
  return shared;
}

/** The copy aws-cdk-lib resolves (it may be nested under aws-cdk-lib/node_modules). */
function loadReal(): Module {
  const cdkLib = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('@aws/cloudformation-validate', { paths: [cdkLib] }));
}

function wrap(real: Module): SharedModule {
  const engines = new Map<string, Engine>();
  let builds = 0;
  const engineFor = (key: string): Engine => {
    let engine = engines.get(key);
    if (!engine) {
      engine = new real.CompositeEngine(JSON.parse(key));
      engines.set(key, engine);
      builds += 1;
    }
    return engine;
  };
  /**
   * Objects from a test file's realm fail the module's plain-object checks (their prototype is
   * that realm's Object.prototype), so configurations are copied into this realm as JSON (the
   * configurations aws-cdk-lib passes are JSON data).
   */
  const here = (value: unknown): any => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

  class SharedCompositeEngine {
    private readonly key: string;
    constructor(config?: object) {
      this.key = JSON.stringify(config ?? {});
    }
    validateTemplate(template: unknown, config?: object) {
      const engine = engineFor(this.key);
      try {
        return engine.validateTemplate(template, here(config));
      } catch (err) {
        // A trap terminates the engine's WebAssembly instance: the next synth builds a fresh one.
        engines.delete(this.key);
        throw err;
      }
    }
    validateStandard(template: unknown, config?: object) {
      return this.validateTemplate(template, { ...here(config), detailLevel: 'STANDARD' });
    }
    validateDetailed(template: unknown, config?: object) {
      return this.validateTemplate(template, { ...here(config), detailLevel: 'DETAILED' });
    }
    /** The engine outlives each suite's plugin; the worker's exit releases it. */
    free(): void {}
  }

  return { ...real, CompositeEngine: SharedCompositeEngine, engineBuilds: () => builds } as unknown as SharedModule;
}
