import type { CallOutcome, CallTrace, CallTracer } from './client';
import { isThrottling } from './retry';

/** The part of an X-Ray (sub)segment this uses (aws-xray-sdk-core's Segment and Subsegment have it). */
interface XRaySegmentLike {
  readonly id: string;
  readonly trace_id?: string;
  readonly notTraced?: boolean;
  /** The trace header's other fields the root segment was given (Lambda's Lineage, …), passed on downstream. */
  readonly additionalTraceData?: Record<string, string>;
  readonly segment?: { readonly trace_id?: string; readonly additionalTraceData?: Record<string, string> };
  addNewSubsegment(name: string): XRaySubsegmentLike;
  addNewSubsegmentWithoutSampling?(name: string): XRaySubsegmentLike;
}

interface XRaySubsegmentLike {
  readonly id: string;
  readonly notTraced?: boolean;
  addAttribute(name: string, value: unknown): void;
  addThrottleFlag(): void;
  addFaultFlag(): void;
  addErrorFlag(): void;
  close(error?: unknown, remote?: boolean): void;
}

/** Where the current segment comes from: Powertools Tracer (`getSegment`). */
export interface SegmentSource {
  getSegment(): unknown;
}

/**
 * Traces each DynamoDB call as the X-Ray SDK's AWS SDK v3 integration does: a subsegment
 * named DynamoDB in the `aws` namespace with operation, table_name, region, request_id and
 * retries, the HTTP status, the throttle/error/fault flags, and the trace header on the
 * request so DynamoDB's side joins the trace. Other lean clients' subsegments (SSM,
 * SecretsManager) are named after their service, as the X-Ray SDK names them.
 */
export function xrayCallTracer(source: SegmentSource): CallTracer {
  return (_operation: string, service = 'DynamoDB'): CallTrace | undefined => {
    const segment = source.getSegment() as XRaySegmentLike | undefined;
    if (!segment) return undefined;
    const unsampled = segment.notTraced && segment.addNewSubsegmentWithoutSampling;
    const subsegment = unsampled ? segment.addNewSubsegmentWithoutSampling!(service) : segment.addNewSubsegment(service);
    subsegment.addAttribute('namespace', 'aws');
    const root = segment.segment?.trace_id ?? segment.trace_id;
    // After Root, Parent and Sampled, the root segment's other header fields (Lambda's Lineage), as the SDK integration appends them.
    const extra = Object.entries((segment.segment ?? segment).additionalTraceData ?? {}).map(([key, value]) => `;${key}=${value}`);
    return {
      traceHeader: root ? `Root=${root};Parent=${subsegment.id};Sampled=${subsegment.notTraced ? '0' : '1'}${extra.join('')}` : undefined,
      end: (outcome: CallOutcome) => {
        const status = outcome.metadata.httpStatusCode;
        subsegment.addAttribute('aws', {
          operation: outcome.operation,
          ...(outcome.region ? { region: outcome.region } : {}),
          ...(outcome.metadata.requestId ? { request_id: outcome.metadata.requestId } : {}),
          // What the X-Ray SDK records as retries: the SDK's attempt count.
          retries: outcome.metadata.attempts,
          ...(outcome.tableName ? { table_name: outcome.tableName } : {}),
        });
        subsegment.addAttribute('http', status ? { response: { status } } : {});
        if (outcome.error && isThrottling(outcome.error)) subsegment.addThrottleFlag();
        if (status !== undefined && status >= 500) subsegment.addFaultFlag();
        else if (status !== undefined && status >= 400) subsegment.addErrorFlag();
        if (outcome.error) subsegment.close({ message: outcome.error.message, name: outcome.error.name, stack: outcome.error.stack }, true);
        else subsegment.close();
      },
    };
  };
}

/** A client that takes a CallTracer (the lean DynamoDB client), told apart from an AWS SDK client. */
export function isTraceableClient(client: object): client is { traceWith(tracer: CallTracer): void } {
  return typeof (client as { traceWith?: unknown }).traceWith === 'function';
}
