/**
 * The lazy chunk with Powertools Tracer and the X-Ray SDK (~100 KB and ~25 ms of cold init on
 * its own, see BENCHMARKS.md). tracing.ts imports it only where traces are recorded: in Lambda,
 * with active tracing, and `tracing` not turned off.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { isTraceableClient, xrayCallTracer } from './dynamodb/xray';
import type { Annotations } from './tracing';

/** Subsegments around an invocation and around each record, with the template's annotations. */
export class ActiveTracing {
  public readonly tracer = new Tracer();

  public captureClient<T extends object>(client: T): T {
    // The lean DynamoDB client has no middleware stack: it takes the same subsegments as a hook.
    if (isTraceableClient(client)) {
      client.traceWith(xrayCallTracer(this.tracer));
      return client;
    }
    return this.tracer.captureAWSv3Client(client);
  }

  /**
   * `## <handler>` around the invocation, as Powertools' own handler wrappers name it, with
   * `ColdStart` and `Service`. No response metadata: a result may hold personal data.
   */
  public async invocation<T>(fn: () => Promise<T>): Promise<T> {
    const parent = this.tracer.getSegment();
    if (!parent) return fn();
    const subsegment = parent.addNewSubsegment(`## ${process.env._HANDLER ?? 'index.handler'}`);
    this.tracer.setSegment(subsegment);
    this.tracer.annotateColdStart();
    this.tracer.addServiceNameAnnotation();
    try {
      return await fn();
    } catch (error) {
      this.tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment.close();
      this.tracer.setSegment(parent);
    }
  }

  /** A subsegment of its own for one unit of work (a record), in its own context, so parallel records keep theirs apart. */
  public span<T>(name: string, annotations: Annotations, fn: () => Promise<T>): Promise<T> {
    if (!this.tracer.getSegment()) return fn();
    return this.tracer.provider.captureAsyncFunc(name, async (subsegment) => {
      for (const [key, value] of Object.entries(annotations)) if (value !== undefined) subsegment?.addAnnotation(key, value);
      try {
        return await fn();
      } catch (error) {
        subsegment?.addError(error as Error);
        throw error;
      } finally {
        subsegment?.close();
      }
    }) as Promise<T>;
  }

  public annotate(annotations: Annotations): void {
    for (const [key, value] of Object.entries(annotations)) if (value !== undefined) this.tracer.putAnnotation(key, value);
  }
}
