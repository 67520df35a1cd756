import * as fs from 'fs';
import * as path from 'path';
import { App, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/** One unacknowledged finding from a validation plugin (cdk-nag or CloudFormation validation). */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly resource: string;
  readonly description: string;
}

/**
 * Synthesizes the app with cdk-nag's AwsSolutions and Serverless packs registered as
 * validation plugins, and returns every unacknowledged finding. aws-cdk-lib's own
 * CloudFormation validation (enabled by the test app's context flag) reports through
 * the same report, so its findings are returned too.
 */
export function collectFindings(app: App): Finding[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  let synthError: unknown;
  try {
    app.synth({ force: true });
  } catch (err) {
    synthError = err;
  }
  const report = readReport(app);
  if (!report) {
    if (synthError) throw synthError;
    return [];
  }
  const findings: Finding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const violation of plugin.violations ?? []) {
      for (const resource of violation.violatingResources ?? violation.violatingConstructs ?? [{}]) {
        findings.push({
          plugin: plugin.pluginName ?? 'unknown',
          rule: violation.ruleName,
          resource: resource.resourceLogicalId ?? resource.constructPath ?? '?',
          description: (violation.description ?? '').slice(0, 200),
        });
      }
    }
  }
  if (findings.length === 0 && synthError) throw synthError;
  return findings;
}

/** Fails with a readable list when the app has any unacknowledged finding. */
export function expectNagClean(app: App): void {
  const findings = collectFindings(app);
  if (findings.length > 0) {
    const lines = findings.map((f) => `  ${f.rule} on ${f.resource} (${f.plugin}): ${f.description}`);
    throw new Error(`expected no validation findings, got ${findings.length}:\n${lines.join('\n')}`);
  }
}

function readReport(stage: Stage): any | undefined {
  const file = path.join(stage.outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
