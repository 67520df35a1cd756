import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** One of the template's own per-invocation counts. */
export interface TemplateCount {
  readonly name: string;
  readonly value: number;
}

/**
 * The Powertools Metrics of the batch and stream templates. The logic's metrics (through
 * `context.metrics`) and the cold-start metric are Powertools' own; the template's per-batch
 * counts are one EMF line written here, in the shape the construct's alarms and dashboards
 * read (core/emf-metric.ts): the template's namespace and the `service` dimension only.
 *
 * Why not `addMetric` + `publishStoredMetrics`: Powertools' metric stores read the process
 * environment on every access (their multi-concurrency check), ~10 µs an invocation, as much
 * as a 10-record batch of no-op logic costs its BatchProcessor. A side effect, on purpose:
 * the counts no longer carry dimensions or metadata the logic adds for its own metrics, so
 * an alarm on `RecordsFailed` keeps matching whatever the logic does.
 */
export class TemplateMetrics extends Metrics {
  /** Namespace and service as Powertools resolves them (options, environment, defaults), read once. */
  private readonly shape: { readonly namespace: string; readonly service: string };

  constructor() {
    super();
    const probe = this.serializeMetrics() as unknown as { _aws: { CloudWatchMetrics: { Namespace: string }[] }; service: string };
    this.shape = { namespace: probe._aws.CloudWatchMetrics[0].Namespace, service: probe.service };
  }

  /** Writes the counts as one EMF line, then whatever the logic stored, as Powertools would. */
  public publishCounts(counts: readonly TemplateCount[]): void {
    if (!this.isDisabled()) {
      const line: Record<string, unknown> = {
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            { Namespace: this.shape.namespace, Dimensions: [['service']], Metrics: counts.map((c) => ({ Name: c.name, Unit: MetricUnit.Count })) },
          ],
        },
        service: this.shape.service,
      };
      for (const count of counts) line[count.name] = count.value;
      // Powertools' own sink for EMF (its Console on stdout; the global console in dev mode).
      (this as unknown as { readonly console: Pick<Console, 'log'> }).console.log(JSON.stringify(line));
    }
    if (this.hasStoredMetrics()) {
      this.publishStoredMetrics();
    } else {
      // What publishStoredMetrics would have cleared: nothing the logic set may reach the next invocation.
      this.clearDimensions();
      this.clearMetadata();
    }
  }
}

/** The counts through TemplateMetrics, or through Powertools' stores for any other Metrics (tests). */
export function publishCounts(metrics: Metrics, counts: readonly TemplateCount[]): void {
  if (metrics instanceof TemplateMetrics) return metrics.publishCounts(counts);
  for (const count of counts) metrics.addMetric(count.name, MetricUnit.Count, count.value);
  metrics.publishStoredMetrics();
}
