import { captureRegisteredClients } from './traced-clients';
import type { ActiveTracing } from './tracer-active';
import type { EntryTracer } from '../../contract/entry';
import { OBSERVABILITY_ENV } from '../../contract/observability-env';

/** X-Ray annotations; undefined values are skipped. */
export type Annotations = Record<string, string | number | boolean | undefined>;

type Env = { readonly [key: string]: string | undefined };

/** What a hook may add to a subsegment before it closes (X-Ray's `http` block, as a request shows it). */
export interface ClosingSubsegment {
  http?: unknown;
}

/** What a caller of `subsegment` adds to the core lifecycle. */
export interface SubsegmentHooks<T> {
  /** Called just before the subsegment closes, with the result (undefined when the work failed). */
  readonly onClose?: (subsegment: ClosingSubsegment, result: T | undefined) => void;
  /** Where a failure to close the subsegment is reported (default: a console warning naming it). */
  readonly onCloseFailure?: (error: unknown) => void;
}

/**
 * Whether this execution environment records traces: in Lambda (`AWS_EXECUTION_ENV`) with
 * active tracing (Lambda sets `AWS_XRAY_DAEMON_ADDRESS`), and `POWERTOOLS_TRACE_ENABLED` not
 * `false`. Anywhere else Powertools Tracer would be a no-op that still costs its X-Ray SDK load.
 */
export function tracingWanted(env: Env = process.env): boolean {
  const v = OBSERVABILITY_ENV;
  return env[v.traceEnabled.name]?.toLowerCase() !== 'false' && !!env[v.executionEnv.name] && !!env[v.xrayDaemonAddress.name];
}

/**
 * The one way templates trace. Powertools Tracer (and the X-Ray SDK) is a lazy chunk: its
 * import starts at init when tracing is wanted, so Lambda's boosted init CPU pays for it, and
 * each invocation awaits it before any work. Otherwise nothing is loaded and every method is
 * a pass-through. Tracing never fails an invocation: a chunk that cannot load turns it off.
 */
export class TemplateTracing {
  /** What entries get (`context.tracer`): forwards to the Tracer once loaded, a no-op otherwise. */
  public readonly tracer: EntryTracer;
  private active?: ActiveTracing;
  private loading?: Promise<void>;
  private readonly pendingClients: object[] = [];

  constructor(enabled: boolean = tracingWanted()) {
    this.tracer = {
      putAnnotation: (key, value) => this.active?.tracer.putAnnotation(key, value),
      putMetadata: (key, value, namespace) => this.active?.tracer.putMetadata(key, value, namespace),
    };
    if (!enabled) return;
    // The .js extension is what node16 resolution asks of an ECMAScript import; esbuild maps it to the .ts file.
    this.loading = import('./tracer-active.js').then(
      ({ ActiveTracing: Active }) => {
        const active = new Active();
        for (const client of this.pendingClients.splice(0)) active.captureClient(client);
        this.active = active;
        // Clients shared code makes for itself (the parameters reader's) are traced too.
        captureRegisteredClients((client) => active.captureClient(client));
      },
      (error) => console.warn('Tracing is off for this execution environment: the tracer did not load', error),
    );
  }

  /** True once traces are recorded; compute costly annotations only then. */
  public get recording(): boolean {
    return this.active !== undefined;
  }

  /** The Powertools Tracer, once loaded (for middleware that needs the real one). */
  public get powertoolsTracer(): ActiveTracing['tracer'] | undefined {
    return this.active?.tracer;
  }

  /** Traces the client's AWS SDK calls as subsegments (`captureAWSv3Client`) once the tracer is loaded. */
  public captureClient<T extends object>(client: T): T {
    if (this.active) this.active.captureClient(client);
    else if (this.loading) this.pendingClients.push(client);
    return client;
  }

  /** Resolves when the tracer is loaded (at once when tracing is off). */
  public ready(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  /**
   * Runs one invocation inside `## <handler>` with ColdStart and Service annotations. With
   * tracing off, `fn` starts synchronously, exactly as if it were called directly (the
   * templates register the Lambda context before their first await).
   */
  public invocation<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active) return this.active.invocation(fn);
    if (!this.loading) return fn();
    return this.loading.then(() => (this.active ? this.active.invocation(fn) : fn()));
  }

  /**
   * Runs sequential work (a request) in a subsegment of the current segment with ColdStart
   * and Service, as `invocation` does under its own name; `hooks` add to the subsegment
   * before it closes. Untraced (tracer off or not loaded yet), `fn` is called directly.
   */
  public subsegment<T>(name: string, fn: () => Promise<T>, hooks: SubsegmentHooks<T> = {}): Promise<T> {
    return this.active ? this.active.subsegment(name, fn, hooks) : fn();
  }

  /** Records a failure that is answered rather than thrown on the current subsegment (a no-op untraced). */
  public recordError(error: unknown): void {
    this.active?.recordError(error);
  }

  /** Runs one unit of work (a record) in a subsegment of its own with `annotations`. */
  public span<T>(name: string, annotations: Annotations, fn: () => Promise<T>): Promise<T> {
    return this.active ? this.active.span(name, annotations, fn) : fn();
  }

  /** Annotates the current subsegment. */
  public annotate(annotations: Annotations): void {
    this.active?.annotate(annotations);
  }
}
