/**
 * The lazy chunk with Powertools Tracer and the X-Ray SDK (~100 KB and ~25 ms of cold init on
 * its own, see BENCHMARKS.md). tracing.ts imports it only where traces are recorded: in Lambda,
 * with active tracing, and `tracing` not turned off.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { isTraceableClient, xrayCallTracer } from './dynamodb/xray';
import type { Annotations, ClosingSubsegment, SubsegmentHooks } from './tracing';

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
  public invocation<T>(fn: () => Promise<T>): Promise<T> {
    return this.subsegment(`## ${process.env._HANDLER ?? 'index.handler'}`, fn);
  }

  /**
   * Runs `fn` in a new subsegment of the current segment, made current for `fn` and the
   * parent restored after, with `ColdStart` and `Service`; a failure is recorded on it as
   * error metadata and rethrown. `fn` runs untraced when there is no segment. For sequential
   * work (an invocation, a request): parallel units of work each need a context of their own (`span`).
   */
  public async subsegment<T>(name: string, fn: () => Promise<T>, hooks: SubsegmentHooks<T> = {}): Promise<T> {
    const parent = this.tracer.isTracingEnabled() ? this.tracer.getSegment() : undefined;
    if (!parent) return fn();
    const subsegment = parent.addNewSubsegment(name);
    this.tracer.setSegment(subsegment);
    this.tracer.annotateColdStart();
    this.tracer.addServiceNameAnnotation();
    let result: T | undefined;
    try {
      result = await fn();
      return result;
    } catch (error) {
      this.recordError(error);
      throw error;
    } finally {
      closeReporting(subsegment, name, hooks, result);
      this.tracer.setSegment(parent);
    }
  }

  /** Records a failure on the current subsegment as error metadata (a non-Error as an Error with its text). */
  public recordError(error: unknown): void {
    this.tracer.addErrorAsMetadata(recordable(error));
  }

  /** A subsegment of its own for one unit of work (a record), in its own context, so parallel records keep theirs apart. */
  public span<T>(name: string, annotations: Annotations, fn: () => Promise<T>): Promise<T> {
    if (!this.tracer.getSegment()) return fn();
    return this.tracer.provider.captureAsyncFunc(name, async (subsegment) => {
      for (const [key, value] of Object.entries(annotations)) if (value !== undefined) subsegment?.addAnnotation(key, value);
      try {
        return await fn();
      } catch (error) {
        subsegment?.addError(recordable(error));
        throw error;
      } finally {
        if (subsegment) closeReporting(subsegment, name);
      }
    }) as Promise<T>;
  }

  public annotate(annotations: Annotations): void {
    for (const [key, value] of Object.entries(annotations)) if (value !== undefined) this.tracer.putAnnotation(key, value);
  }
}

/** What the X-Ray SDK records of a failure: an Error as is, anything else as an Error with its text (it drops a thrown number). */
function recordable(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The part of an X-Ray subsegment closing it touches (aws-xray-sdk-core's Subsegment has it). */
interface ClosableSubsegment {
  metadata?: unknown;
  readonly parent?: { removeSubsegment(subsegment: never): void };
  close(): void;
  streamSubsegments(): true | undefined;
}

/**
 * Completes and closes a subsegment without ever failing the work it traced: in Lambda the
 * X-Ray SDK serialises and sends a subsegment as it closes, which throws for metadata that
 * does not serialise (a circular value). A record that succeeded must not be reported failed,
 * and so redelivered, because its trace could not be sent: the failure is reported, and the
 * subsegment is sent without its metadata (the only part user values reach), so neither it
 * nor the parent that would carry it is lost.
 */
function closeReporting<T>(subsegment: ClosableSubsegment, name: string, hooks: SubsegmentHooks<T> = {}, result?: T): void {
  const report = hooks.onCloseFailure ?? ((error: unknown) => console.warn(`Failed to close the ${name} subsegment; its trace data may be lost`, error));
  try {
    hooks.onClose?.(subsegment as ClosingSubsegment, result);
  } catch (error) {
    report(error);
  }
  try {
    subsegment.close();
  } catch (error) {
    report(error);
    delete subsegment.metadata;
    try {
      // What close() does after the send that threw: stream it, then detach it from its parent.
      if (subsegment.streamSubsegments()) subsegment.parent?.removeSubsegment(subsegment as never);
    } catch {
      // Reported once above.
    }
  }
}
