import { Template } from 'aws-cdk-lib/assertions';

/** An alarm of a synthesized template, with the metrics it reads flattened out. */
export interface AlarmResource {
  readonly logicalId: string;
  readonly properties: any;
  /** Metric names the alarm reads, directly or inside its math expression. */
  readonly metricNames: string[];
  /** The math expression, when the alarm has one. */
  readonly expression?: string;
}

/** Every CloudWatch alarm of the template, so tests assert alarms by what they watch, not by count. */
export function alarmsOf(template: Template): AlarmResource[] {
  return Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm')).map(([logicalId, resource]) => {
    const p = resource.Properties;
    const metrics: any[] = p.Metrics ?? [];
    return {
      logicalId,
      properties: p,
      metricNames: p.MetricName ? [p.MetricName] : metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.MetricName),
      expression: metrics.find((m) => m.Expression)?.Expression,
    };
  });
}

/**
 * The one alarm whose name ends with `suffix` (names are `<stack>-<path>-<suffix>`); fails
 * with the names present when there is none or more than one.
 */
export function alarmNamed(template: Template, suffix: string): AlarmResource {
  const all = alarmsOf(template);
  const found = all.filter((a) => typeof a.properties.AlarmName === 'string' && a.properties.AlarmName.endsWith(`-${suffix}`));
  if (found.length !== 1) {
    throw new Error(`expected one alarm named *-${suffix}, found ${found.length}; alarms: ${all.map((a) => a.properties.AlarmName).join(', ')}`);
  }
  return found[0];
}

/** Alarm names ending with each suffix, for "these exist" assertions. */
export function alarmSuffixes(template: Template): string[] {
  return alarmsOf(template).map((a) => String(a.properties.AlarmName));
}
