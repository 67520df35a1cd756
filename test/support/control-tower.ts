import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  App,
  IPolicyValidationContextBeta1,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
  Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The Control Tower proactive controls, run by `@cdklabs/cdk-validator-cfnguard` (cfn-guard
 * plus the bundled Control Tower rules) as a CDK policy-validation plugin.
 *
 * How it reports: aws-cdk-lib writes `validation-report.json` into the cloud assembly
 * directory (`app.outdir`). `pluginReports[]` has one entry per plugin that found something
 * (a clean plugin is left out), with `pluginName: 'cdk-validator-cfnguard'`, `conclusion`,
 * `violations[]` (`ruleName` = the guard rule, e.g. `sqs_queue_encrypted_check`;
 * `description` starts with the control id, e.g. `[CT.SQS.PR.2]: ...`; `violatingConstructs[]`
 * with `constructPath` and `cloudFormationResource.{templatePath, logicalId}`) and
 * `suppressedViolations[]` (the same, plus `acknowledgedId`, `reason`, `acknowledgedAt`).
 *
 * How a finding is acknowledged: `Validations.of(resource).acknowledge({ id:
 * 'cdk-validator-cfnguard::<guard rule name>', reason })` (see `controlTowerAckId`). The plugin
 * itself only offers `disabledRules`, which switches a rule off everywhere. aws-cdk-lib applies an
 * acknowledgement to every violating resource at or *below* the construct it is recorded on,
 * and recomputes the plugin's conclusion, so one acknowledgement on a stack turns the whole
 * report to success. This harness therefore rejects any acknowledgement that is not on the
 * violating resource itself or on the L2 that owns it as its default child.
 */
export const CONTROL_TOWER_PLUGIN_NAME = 'cdk-validator-cfnguard';

/** One Control Tower finding that no exact-resource acknowledgement covers. */
export interface ControlTowerFinding {
  /** The Control Tower control id, e.g. `CT.SQS.PR.2`. */
  readonly control: string;
  /** The guard rule name, e.g. `sqs_queue_encrypted_check`; acknowledge with `controlTowerAckId(rule)`. */
  readonly rule: string;
  /** The violating construct path (the L1 resource), or `<unlocated>` when the report has none. */
  readonly path: string;
  /** The CloudFormation logical id, when the report names one. */
  readonly logicalId?: string;
  /** The CloudFormation resource type, read from the synthesized template. */
  readonly resourceType?: string;
  /** The control's description from the report. */
  readonly message: string;
}

/** The id that acknowledges a Control Tower guard rule, e.g. `cdk-validator-cfnguard::sqs_dlq_check`. */
export function controlTowerAckId(rule: string): string {
  return `${CONTROL_TOWER_PLUGIN_NAME}::${rule}`;
}

/** Acknowledges one Control Tower rule on exactly this resource (an L1, or the L2 that owns it). */
export function acknowledgeControlTower(resource: IConstruct, rule: string, reason: string): void {
  Validations.of(resource).acknowledge({ id: controlTowerAckId(rule), reason });
}

/**
 * Registers the Control Tower plugin on the app, synthesizes it and returns every finding
 * that is not acknowledged on its exact resource. Throws when the plugin did not run, when
 * it failed, or when an acknowledgement is broader than one resource or has no reason.
 * Other plugins' findings (e.g. aws-cdk-lib's CloudFormation validation) are ignored here.
 */
export function collectControlTowerFindings(app: App): ControlTowerFinding[] {
  const plugin = new RecordingPlugin();
  Validations.of(app).addPlugins(plugin);
  let synthError: unknown;
  // Outside aws-cdk-lib's in-memory mode a failing validation prints the whole report with
  // console.error before it throws; the report file is the source of truth, so keep it quiet.
  const consoleError = console.error;
  console.error = () => undefined;
  try {
    app.synth({ force: true });
  } catch (err) {
    synthError = err; // validation failures throw; the report says what they were
  } finally {
    console.error = consoleError;
  }
  const reportFile = path.join(app.outdir, 'validation-report.json');
  if (plugin.runs === 0 || !fs.existsSync(reportFile)) {
    throw synthError ?? new Error(`the Control Tower plugin did not run (no ${reportFile})`);
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const ours = (report.pluginReports ?? []).filter((r: any) => r.pluginName === CONTROL_TOWER_PLUGIN_NAME);
  if (ours.length === 0) {
    // A clean plugin is left out of the report; make sure it really had nothing to say.
    if (plugin.rawViolations > 0) throw new Error('the Control Tower plugin found violations that are missing from the report');
    return [];
  }

  const templates = new Map<string, any>();
  const resourceType = (templatePath: string | undefined, logicalId: string | undefined) => {
    if (!templatePath || !logicalId) return undefined;
    if (!templates.has(templatePath)) {
      templates.set(templatePath, JSON.parse(fs.readFileSync(path.join(app.outdir, templatePath), 'utf8')));
    }
    return templates.get(templatePath)?.Resources?.[logicalId]?.Type as string | undefined;
  };
  const toFindings = (violation: any): ControlTowerFinding[] =>
    (violation.violatingConstructs ?? violation.violatingResources ?? [{}]).map((c: any) => {
      const cfn = c.cloudFormationResource ?? {};
      const logicalId = cfn.logicalId ?? c.resourceLogicalId;
      return {
        control: /^\[([^\]]+)\]/.exec(violation.description ?? '')?.[1] ?? violation.ruleName,
        rule: violation.ruleName,
        path: c.constructPath || '<unlocated>',
        logicalId,
        resourceType: resourceType(cfn.templatePath ?? c.templatePath, logicalId),
        message: violation.description ?? '',
      };
    });

  const broad: string[] = [];
  for (const pluginReport of ours) {
    if (pluginReport.conclusion === 'failure' && (pluginReport.violations ?? []).length === 0) {
      throw new Error(`the Control Tower plugin failed: ${JSON.stringify(pluginReport.metadata ?? pluginReport)}`);
    }
    for (const suppressed of pluginReport.suppressedViolations ?? []) {
      const at: string = suppressed.acknowledgedAt ?? '';
      for (const finding of toFindings(suppressed)) {
        if (!isExactResource(at, finding.path)) {
          broad.push(`${finding.control} (${finding.rule}) on ${finding.path} acknowledged at '${at}'`);
        } else if (!String(suppressed.reason ?? '').trim()) {
          broad.push(`${finding.control} (${finding.rule}) on ${finding.path} acknowledged without a reason`);
        }
      }
    }
  }
  if (broad.length > 0) {
    throw new Error(
      'Control Tower acknowledgements must be on the exact resource, with a reason:\n' +
        broad.map((b) => `  ${b}`).join('\n'),
    );
  }
  return ours.flatMap((r: any) => (r.violations ?? []).flatMap(toFindings));
}

/** Fails with a readable list when the app has any unacknowledged Control Tower finding. */
export function expectControlTowerClean(app: App): void {
  const findings = collectControlTowerFindings(app);
  if (findings.length > 0) {
    throw new Error(`expected no Control Tower findings, got ${findings.length}:\n${formatFindings(findings)}`);
  }
}

/** One line per finding: `CT.X.PR.n on path (Type): message`. */
export function formatFindings(findings: readonly ControlTowerFinding[]): string {
  return findings.map((f) => `  ${f.control} on ${f.path} (${f.resourceType ?? '?'}): ${f.message}`).join('\n');
}

/** The acknowledgement is on the resource itself, or on the L2 whose default child it is. */
function isExactResource(acknowledgedAt: string, resourcePath: string): boolean {
  if (acknowledgedAt === '' || resourcePath === '<unlocated>') return false;
  return (
    resourcePath === acknowledgedAt ||
    resourcePath === `${acknowledgedAt}/Resource` ||
    resourcePath === `${acknowledgedAt}/Default`
  );
}

/** The Control Tower guard rules the plugin ships, one file per control. */
export const CONTROL_TOWER_RULES_DIR = path.join(
  path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
  'rules',
  'control-tower',
  'cfn-guard',
);

/**
 * The Control Tower rule files that can apply to these templates. Every rule selects what it
 * checks by resource type (`Resources.*[ Type == "AWS::Lambda::Function" ]`, the types written
 * out in the file), so a rule naming none of the templates' types skips every resource. cfn-guard
 * still parses and runs each such rule against every template, and that is most of its time
 * (the hardened suite: 23 CPU-s with all 237 rules, 5 with the 43 that name one of its types,
 * with the same findings). A rule file that names no resource type is always kept.
 */
export function applicableRuleFiles(templatePaths: readonly string[], rulesDir = CONTROL_TOWER_RULES_DIR): string[] {
  const types = new Set<string>();
  for (const file of templatePaths) {
    for (const resource of Object.values<any>(JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {})) types.add(resource.Type);
  }
  return guardFiles(rulesDir).filter((file) => {
    const named = fs.readFileSync(file, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [];
    return named.length === 0 || named.some((type) => types.has(type));
  });
}

function guardFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return guardFiles(file);
    return entry.name.endsWith('.guard') ? [file] : [];
  });
}

/**
 * The real plugin under its own name, version and rule ids (so acknowledgement ids stay
 * `cdk-validator-cfnguard::...`), run with the Control Tower rules that can apply to the
 * synthesized templates (see `applicableRuleFiles`); records that it ran and how many raw
 * violations it saw.
 */
class RecordingPlugin implements IPolicyValidationPluginBeta1 {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];
  public runs = 0;
  public rawViolations = 0;

  constructor() {
    const all = new CfnGuardValidator();
    this.name = all.name;
    this.version = all.version;
    this.ruleIds = all.ruleIds;
  }

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    this.runs += 1;
    const rules = applicableRuleFiles(context.templatePaths);
    // No rule can apply (cfn-guard refuses to run without one): nothing to find.
    if (rules.length === 0) return { success: true, violations: [] };
    const report = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules }).validate(context);
    this.rawViolations += report.violations.length;
    return report;
  }
}
