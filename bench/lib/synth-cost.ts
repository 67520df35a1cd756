import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';

const INSTANCES_PER_STACK = 5;

/** Adds one instance of the subject to the stack. */
export type Builder = (stack: Stack, id: string) => void;

/** Wall time in ms to build an app with `n` instances and synthesize it. */
export function synthMs(build: Builder, n: number): number {
  // Asset staging caches bundling results per process; clear it so every sample pays the
  // same cost a fresh `cdk synth` pays.
  AssetStaging.clearAssetHashCache();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-bench-synth-'));
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir });
  // Five instances per stack keeps every subject (a PowerTunedFunction is ~55 resources) under CloudFormation's 500 resources per
  // stack; all subjects are split the same way.
  let stack: Stack | undefined;
  for (let i = 0; i < n; i++) {
    if (i % INSTANCES_PER_STACK === 0) stack = new Stack(app, `Bench${i / INSTANCES_PER_STACK}`);
    build(stack!, `Subject${i}`);
  }
  app.synth();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

/** Anchor: a bare lambda.Function with inline code (no asset, no bundling). */
export const bareFunction: Builder = (stack, id) => {
  new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(`exports.handler = async () => ${JSON.stringify(id)};`),
  });
};

/**
 * Anchor: a NodejsFunction per instance, each with its own entry file (distinct content,
 * so esbuild really bundles each one, as in an app with many functions).
 */
export function nodejsFunctionBuilder(entryDir: string): Builder {
  return (stack: Construct, id: string) => {
    const entry = path.join(entryDir, `${id}.ts`);
    if (!fs.existsSync(entry)) {
      fs.writeFileSync(entry, `export const handler = async () => ({ id: ${JSON.stringify(id)} });\n`);
    }
    new nodejs.NodejsFunction(stack, id, {
      entry,
      runtime: lambda.Runtime.NODEJS_24_X,
      bundling: { forceDockerBundling: false, logLevel: nodejs.LogLevel.SILENT },
    });
  };
}
