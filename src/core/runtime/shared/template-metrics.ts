import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

// Powertools' own fallbacks (metrics constants DEFAULT_NAMESPACE and Metrics.defaultServiceName).
const DEFAULT_NAMESPACE = 'default_namespace';
const DEFAULT_SERVICE = 'service_undefined';

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
  /** The namespace and service every line of this instance carries, Powertools' and ours alike. */
  private readonly shape: { readonly namespace: string; readonly service: string };

  constructor() {
    // Resolved here, from the environment Powertools reads and with its defaults, and handed to
    // Powertools as options, so both write the same values by construction. Cheaper than asking
    // Powertools (a serializeMetrics() probe cost ~0.3 ms of a ~10 ms cold start).
    const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE?.trim() || DEFAULT_NAMESPACE;
    const service = process.env.POWERTOOLS_SERVICE_NAME?.trim() || DEFAULT_SERVICE;
    super({ namespace, serviceName: service });
    this.shape = { namespace, service };
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
