import { awscdk, build, github, javascript, JsonFile, release } from 'projen';

// One Powertools version for every @aws-lambda-powertools/* package: the set must
// resolve together (2.36.0 needs an unpublished jmespath 2.36.0).
const POWERTOOLS_VERSION = '2.35.0';
const powertools = (pkg: string) => `@aws-lambda-powertools/${pkg}@${POWERTOOLS_VERSION}`;

// The CDK CLI is pinned: npm's `latest` (3.0.0) cannot read the cloud assembly
// that aws-cdk-lib 2.27x writes.
const CDK_CLI_VERSION = '2.1148.1';

const project = new awscdk.AwsCdkConstructLibrary({
  author: 'cdk-serverless-powertools maintainers',
  authorAddress: 'maintainers@example.com',
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  name: 'cdk-serverless-powertools',
  description:
    'AWS CDK L3 constructs that wire Powertools for AWS Lambda best practices: idempotent functions, SQS batch consumers, observable APIs and power-tuned functions.',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'lambda', 'powertools', 'serverless', 'idempotency', 'sqs', 'observability'],
  license: 'Apache-2.0',
  // 0.x: minor releases may still break the API (README "Upgrading" lists each break).
  stability: 'experimental',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  tsconfigDevFile: 'tsconfig.dev.json',
  repositoryUrl: 'https://github.com/cdk-serverless-powertools/cdk-serverless-powertools.git',

  // Construct Hub style: a build workflow on pull requests, releases from main versioned
  // from conventional commits (changelog + GitHub release), published to npm and PyPI, and
  // a weekly dependency-upgrade pull request. They run on GitHub only; `.ci/run` is the local
  // equivalent, and both run the `ci` task defined below.
  github: true,
  // The build workflow is defined below, around the `ci` task.
  buildWorkflow: false,
  release: true,
  releaseTrigger: release.ReleaseTrigger.continuous(),
  releaseToNpm: true,
  depsUpgrade: true,
  depsUpgradeOptions: {
    workflowOptions: { schedule: javascript.UpgradeDependenciesSchedule.WEEKLY },
    // Pinned on purpose (see the comments above and in devDeps): upgraded by hand.
    exclude: [
      ...['logger', 'metrics', 'tracer', 'idempotency', 'batch', 'jmespath', 'commons', 'parser', 'parameters'].map((p) => `@aws-lambda-powertools/${p}`),
      'aws-cdk',
      'cdk-nag',
      '@cdklabs/cdk-validator-cfnguard',
      'dynalite',
    ],
  },

  publishToPypi: {
    distName: 'cdk-serverless-powertools',
    module: 'cdk_serverless_powertools',
  },

  // Runtime templates (src/<capability>/runtime/) are bundled by esbuild into assets/, never compiled by jsii.
  excludeTypescript: ['src/*/runtime/**'],

  // The JMESPath parser Powertools uses, so synth-time validation agrees with runtime.
  bundledDeps: [powertools('jmespath'), powertools('commons')],

  devDeps: [
    powertools('logger'),
    powertools('metrics'),
    powertools('tracer'),
    powertools('idempotency'),
    powertools('batch'),
    powertools('parser'),
    powertools('parameters'),
    // The parser's schema library (Powertools 2.35 parser peers on zod 4).
    'zod@^4',
    '@aws-sdk/client-dynamodb@^3',
    '@aws-sdk/lib-dynamodb@^3',
    '@aws-sdk/client-lambda@^3',
    '@aws-sdk/client-ssm@^3',
    '@aws-sdk/client-sfn@^3',
    '@aws-sdk/client-secrets-manager@^3',
    '@aws-sdk/client-s3@^3',
    // Runs the synthesized tuner state machine in tests (needs Node >= 22: the Node 24 jest pass).
    'aws-local-stepfunctions@^3',
    // Drives Debian's chromium for the tuning report's screenshot check (no browser download).
    'playwright-core',
    '@types/aws-lambda',
    'aws-sdk-client-mock',
    `aws-cdk@${CDK_CLI_VERSION}`,
    'cdk-nag@3.0.2',
    // Control Tower proactive controls (cfn-guard rules) as a policy-validation plugin in tests.
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'dynalite@4.0.0',
    'esbuild',
    // The base of test/support/jest/environment.ts (jest's own node environment, same major as jest).
    'jest-environment-node@^30',
  ],

  jestOptions: {
    // `npm test` must never rewrite snapshots and must fail when no test exists;
    // `npx projen test:update` is the deliberate way to refresh snapshots.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testTimeout: 60_000,
      snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.ts'],
      // aws-cdk-lib's CloudFormation validation engine, built once per jest worker instead of
      // once per test file (test/support/jest/shared-cloudformation-validate.ts says how).
      testEnvironment: '<rootDir>/test/support/jest/environment.ts',
      moduleNameMapper: { '^@aws/cloudformation-validate$': '<rootDir>/test/support/jest/cloudformation-validate.ts' },
      // Coverage is of the library's source: not of the minified bundles under assets/ (built
      // from src/, up to 900 KB each, converted from V8 coverage at the end of every run) nor of
      // the test helpers.
      coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/assets/', '<rootDir>/test/'],
    },
  },

  // '/node_modules' without the slash: a symlinked node_modules (a worktree sharing another's install) is a file to git.
  gitignore: ['/node_modules', '/assets/', 'cdk.out/', '/bench/.out/', '.jsii.tabl.json', '/demo-output/', '/examples/python/.venv/', '__pycache__/'],
  npmignoreEnabled: true,

  // Lint every TypeScript tree against tsconfig.dev.json, which includes tests, examples and bench.
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'build-tools', 'projenrc', 'examples', 'bench', '.projenrc.ts'],
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
  },

  // Renders a power-tuning result as a self-contained HTML report.
  bin: { 'cdk-serverless-powertools-report': 'lib/power-tuning/report-cli.js' },
});

// assets/ is git-ignored but must ship in the npm package and the jsii tarball.
project.npmignore?.addPatterns('!/assets/', '/build-tools/', '/examples/', '/bench/', 'cdk.json', '/.ci/');

// Bundle every runtime template once per build (and once per test run, so a fresh
// clone's `npm test` exercises the shipped asset).
const bundle = project.addTask('bundle:templates', {
  description: 'Bundle src/<capability>/runtime/<template>/ into assets/<template>/index.mjs with esbuild',
  exec: 'node build-tools/bundle-templates.mjs',
});
project.preCompileTask.spawn(bundle);
project.testTask.prependSpawn(bundle);

// Tests import the bundled ESM assets (what ships), which jest only allows with vm modules.
const JEST_NODE_OPTIONS = '--experimental-vm-modules --disable-warning=ExperimentalWarning';
project.testTask.env('NODE_OPTIONS', JEST_NODE_OPTIONS);
project.tasks.tryFind('test:update')?.env('NODE_OPTIONS', JEST_NODE_OPTIONS);
project.tasks.tryFind('test:watch')?.env('NODE_OPTIONS', JEST_NODE_OPTIONS);

// Runtime templates are bundled at build time, so their imports are devDependencies by design.
project.eslint?.addOverride({
  files: ['src/*/runtime/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: true }] },
});

// The construct <-> template boundary. A template is bundled into a Lambda asset, so what it
// imports ships: only its capability's contract (dependency-free), other template code and
// runtime packages. Constructs never reach into templates: what both need is in the contract.
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      {
        target: './src/*/runtime/**/*',
        from: './src/**/*',
        except: ['**/src/*/runtime/**', '**/src/*/contract.ts', '**/src/*/contract/**'],
        message: 'A template may import only its contract (src/<capability>/contract), other template code and runtime packages; construct code would be bundled into the Lambda asset.',
      },
      {
        target: ['./src/*.ts', './src/*/*.ts', './src/*/!(runtime)/**/*.ts'],
        from: './src/*/runtime/**/*',
        message: 'Constructs never import template code; move what both sides need into the capability\'s contract.',
      },
    ],
  }],
});

// jsii must compile with no warning silenced (projen silences reserved-word by default).
project.compileTask.reset('jsii');

// Handlers are excluded from jsii, so type-check them (and the tests) with tsc.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check templates, tests and examples',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.testTask.spawn(typecheck);

// What CI checks, as one task both CI runners call, so they cannot drift: `.ci/run` (this
// machine) and the GitHub build workflow (through the build task). The README's test
// command, the jsii build, the API.md check and the npm + Python packages.
const ciTask = project.addTask('ci', {
  description: 'CI: the README test command (npm test), jsii compile, API.md check, npm + Python packages, packed-tarball check',
});
// Compiled first (as projen's build task does), so the packaging test reads this .jsii instead
// of compiling the library a second time (test/docs/packaging.test.ts checks it is current).
ciTask.spawn(project.preCompileTask);
ciTask.spawn(project.compileTask);
ciTask.spawn(project.postCompileTask);
ciTask.exec('npm test');
// A plain command: projen runs exec steps without shell control flow such as `||`.
ciTask.exec('git diff --exit-code API.md', { name: 'API.md matches the compiled API (if stale: run npx projen build and commit it)' });
ciTask.spawn(project.tasks.tryFind('package-all')!);
ciTask.exec('node .ci/packed-tarball-check.js');
// The GitHub build workflow, on pull requests: install from the lock, synthesize the project
// files, then `npx projen ci`, exactly what `.ci/run` runs. Immutable: any file the run changes
// (a stale generated file, API.md or snapshot) fails the workflow instead of being pushed back.
new build.BuildWorkflow(project, {
  buildTask: ciTask,
  artifactsDirectory: project.artifactsDirectory,
  mutableBuild: false,
  workflowTriggers: { pullRequest: {}, workflowDispatch: {} },
  permissions: { contents: github.workflows.JobPermission.READ },
  preBuildSteps: [
    ...project.renderWorkflowSetup({ mutable: false }),
    { name: 'Synthesize project files', run: 'npx projen' },
  ],
});

// The local PyPI mirror lacks the setuptools version jsii-pacmak pins, so generate
// code only and build the wheel with what is installed.
const pythonTask = project.tasks.tryFind('package:python');
if (pythonTask) {
  pythonTask.reset('jsii-pacmak -v --target python --code-only');
  pythonTask.exec('bash build-tools/build-python-wheel.sh');
}

// The example app is synthesized with the pinned CLI; templates are bundled first so
// a fresh clone's `npx cdk synth` works.
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'node build-tools/bundle-templates.mjs --quiet && npx ts-node --prefer-ts-exts examples/app.ts',
    watch: { include: ['src/**', 'examples/**'] },
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
    },
  },
});

project.tsconfigDev.addInclude('.projenrc.ts');
project.tsconfigDev.addInclude('examples/**/*.ts');
project.tsconfigDev.addInclude('build-tools/**/*.ts');
project.tsconfigDev.addInclude('bench/**/*.ts');
// Example entries for the handler-types test, some wrong on purpose: compiled by that test
// against the emitted declarations, never by the project's own type-check or lint.
project.tsconfigDev.addExclude('test/docs/entry-types/**');
project.eslint?.addIgnorePattern('test/docs/entry-types/');

// Benchmarks measure; tests check. `npm run bench -- --smoke` is CI's quick pass.
const benchTask = project.addTask('bench', {
  description: 'Measure templates and constructs against their anchors (writes bench/results.json)',
  exec: 'ts-node --prefer-ts-exts bench/run.ts',
  receiveArgs: true,
});
benchTask.prependSpawn(bundle);

// A local end-to-end demo of the example app's bundled templates: no AWS account, no setup.
const demoTask = project.addTask('demo', {
  description: 'Run the bundled templates end to end on embedded DynamoDB and the SQS simulator',
  exec: 'ts-node --prefer-ts-exts examples/demo/run.ts',
  receiveArgs: true,
});
demoTask.prependSpawn(bundle);

project.addTask('examples:synth', {
  description: 'Synthesize the example app with the pinned CDK CLI',
  exec: 'cdk synth --quiet',
});

project.synth();
