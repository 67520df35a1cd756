/**
 * The one reader of the `parameters` and `secrets` every template hands its logic. Values
 * come from Powertools Parameters (SSM with decryption, Secrets Manager), cached per
 * execution environment for `POWERTOOLS_PARAMETERS_MAX_AGE` seconds. Nothing here logs or
 * puts a value in an error message: errors name the key and the parameter, never its value.
 *
 * The providers are Powertools' BaseProvider (its caching and errors) on the lean JSON client
 * (parameter-providers/), not @aws-sdk/client-ssm or client-secrets-manager, whose load was
 * most of the option's cold-init cost. They are separate chunks, loaded only by a function
 * that declares parameters (during init, when Lambda boosts the CPU). SDK clients handed to
 * `useParameterClients` go through Powertools' own SSMProvider / SecretsProvider instead.
 */
import { traceWhenRecording } from './traced-clients';
import { EntryParameters, PARAMETERS_ENV } from '../../contract/parameters';

/** A declared parameter or secret does not exist (or the function may not see it). */
export class MissingParameterError extends Error {
  constructor(kind: Kind, key: string, id: string, cause: string) {
    super(`${LABEL[kind]} "${key}" (${id}) was not found (${cause}). Create it, or fix the name given to the construct's \`${PROP[kind]}\`.`);
    this.name = 'MissingParameterError';
  }
}

/** The logic asked for a key the construct did not declare. */
export class UndeclaredParameterError extends Error {
  constructor(kind: Kind, key: string, declared: string[]) {
    super(
      `${LABEL[kind]} "${key}" is not declared (declared: ${declared.length > 0 ? declared.join(', ') : 'none'}). ` +
        `Add it to the construct's \`${PROP[kind]}\`, which also grants the function read access to it.`,
    );
    this.name = 'UndeclaredParameterError';
  }
}

/** Reading a declared parameter failed for another reason (throttling, access denied, network). */
export class ParameterReadError extends Error {
  constructor(kind: Kind, key: string, id: string, cause: string) {
    super(`${LABEL[kind]} "${key}" (${id}) could not be read: ${cause}`);
    this.name = 'ParameterReadError';
  }
}

type Kind = 'ssm' | 'secret';
const LABEL: Record<Kind, string> = { ssm: 'SSM parameter', secret: 'Secret' };
const PROP: Record<Kind, string> = { ssm: 'parameters', secret: 'secrets' };
const NOT_FOUND = new Set(['ParameterNotFound', 'ResourceNotFoundException', 'ParameterNotFoundError']);

/** SDK v3 clients to use instead of the lean ones (e.g. custom retry settings, or mocked clients). */
export interface ParameterClients {
  readonly ssm?: unknown;
  readonly secretsManager?: unknown;
}

interface Provider {
  get(name: string, options?: Record<string, unknown>): Promise<unknown>;
}

type Env = { readonly [key: string]: string | undefined };

/** The declared names: key -> SSM parameter name, key -> secret id. */
export interface DeclaredParameters {
  readonly ssm: Readonly<Record<string, string>>;
  readonly secret: Readonly<Record<string, string>>;
}

/** Reads the names the construct wrote; malformed JSON fails loudly, naming the variable. */
export function readDeclaredParameters(env: Env = process.env): DeclaredParameters {
  const read = (variable: { name: string; prop: string }): Record<string, string> => {
    const raw = env[variable.name];
    if (raw === undefined || raw === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const valid = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string' && v !== '');
    if (!valid) {
      throw new Error(`${variable.name} must be a JSON object of non-empty names. The construct sets it from \`${variable.prop}\`; change that prop rather than the environment.`);
    }
    return parsed as Record<string, string>;
  };
  return { ssm: read(PARAMETERS_ENV.ssmParameterNames), secret: read(PARAMETERS_ENV.secretIds) };
}

/** The `parameters` object of the context: fetches on first use, caches per Powertools' maxAge. */
export class TemplateParameters implements EntryParameters {
  private ssmProvider?: Promise<Provider>;
  private secretsProvider?: Promise<Provider>;

  constructor(private readonly declared: DeclaredParameters, private readonly clients: ParameterClients = {}) {
    // Start loading the providers during init when the function will need them, one after
    // the other: the two chunks share modules, loaded once.
    const kinds = (['ssm', 'secret'] as const).filter((kind) => Object.keys(declared[kind]).length > 0);
    void kinds.reduce<Promise<unknown>>((previous, kind) => previous.then(() => this.provider(kind)).catch(() => undefined), Promise.resolve());
  }

  public get(key: string): Promise<string> {
    return this.read('ssm', key);
  }

  public secret(key: string): Promise<string> {
    return this.read('secret', key);
  }

  /** What a log line of the context shows: the declared keys, never a value. */
  public toJSON(): { parameters: string[]; secrets: string[] } {
    return { parameters: Object.keys(this.declared.ssm), secrets: Object.keys(this.declared.secret) };
  }

  private async read(kind: Kind, key: string): Promise<string> {
    const names = this.declared[kind];
    const id = Object.prototype.hasOwnProperty.call(names, key) ? names[key] : undefined;
    if (id === undefined) throw new UndeclaredParameterError(kind, key, Object.keys(names));
    let value: unknown;
    try {
      const provider = await this.provider(kind);
      value = await provider.get(id, kind === 'ssm' ? { decrypt: true } : undefined);
    } catch (error) {
      const cause = describeCause(error);
      if (NOT_FOUND.has(cause.name)) throw new MissingParameterError(kind, key, id, cause.text);
      throw new ParameterReadError(kind, key, id, cause.text);
    }
    if (typeof value === 'string') return value;
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    throw new MissingParameterError(kind, key, id, 'it has no value');
  }

  private provider(kind: Kind): Promise<Provider> {
    // The lean clients are traced like the template's own when tracing is on; SDK clients handed in are the caller's to trace.
    if (kind === 'ssm') {
      const sdk = this.clients.ssm;
      this.ssmProvider ??= sdk
        ? import('@aws-lambda-powertools/parameters/ssm').then((m) => new m.SSMProvider({ awsSdkV3Client: sdk as any }) as Provider)
        : import('./parameter-providers/ssm-provider.js').then((m) => traced(new m.LeanSSMProvider()));
      return this.retryable('ssm', this.ssmProvider);
    }
    const sdk = this.clients.secretsManager;
    this.secretsProvider ??= sdk
      ? import('@aws-lambda-powertools/parameters/secrets').then((m) => new m.SecretsProvider({ awsSdkV3Client: sdk as any }) as Provider)
      : import('./parameter-providers/secrets-provider.js').then((m) => traced(new m.LeanSecretsProvider()));
    return this.retryable('secret', this.secretsProvider);
  }

  /** A failed chunk load is not cached: the next call tries again. */
  private retryable(kind: Kind, loading: Promise<Provider>): Promise<Provider> {
    loading.catch(() => {
      if (kind === 'ssm' && this.ssmProvider === loading) this.ssmProvider = undefined;
      if (kind === 'secret' && this.secretsProvider === loading) this.secretsProvider = undefined;
    });
    return loading;
  }
}

function traced<T extends Provider & { readonly jsonClient: object }>(provider: T): T {
  traceWhenRecording(provider.jsonClient);
  return provider;
}

/** The innermost cause's name and message (Powertools wraps SDK errors in GetParameterError). */
function describeCause(error: unknown): { name: string; text: string } {
  let current: any = error;
  while (current?.cause instanceof Error) current = current.cause;
  const name = String(current?.name ?? 'Error');
  return { name, text: `${name}: ${String(current?.message ?? current)}` };
}

let shared: TemplateParameters | undefined;
let sharedClients: ParameterClients = {};

/** The execution environment's parameters, read from the construct's variables on first use. */
export function templateParameters(): TemplateParameters {
  shared ??= new TemplateParameters(readDeclaredParameters(), sharedClients);
  return shared;
}

/**
 * Use these SDK v3 clients for every later read (and drop the cache): e.g. a client with
 * custom retry settings, or a mocked client in tests. `{}` goes back to the lean clients.
 */
export function useParameterClients(clients: ParameterClients): void {
  sharedClients = clients;
  shared = undefined;
}

/**
 * The Lambda context with `parameters` added, for templates that pass it to the logic. A
 * copy: the runtime's own context object is left alone. `parameters` is not enumerable, so
 * logging the context shows no reader internals.
 *
 * The copy has the context's own properties as they are (an accessor such as the runtime's
 * `callbackWaitsForEmptyEventLoop` still reaches the runtime) and the context's prototype.
 * Not `Object.create(context)`: making each invocation's context a prototype gives every
 * copy a hidden class of its own, allocated in the old generation, so a warm function kept
 * promoting ~8 KB an invocation and its young generation grew to its limit (bench/, memory).
 */
export function withParameters<T extends object>(context: T): T & { readonly parameters: EntryParameters } {
  const parameters = { value: templateParameters(), enumerable: false };
  // A context that does not hold its request id itself (a test's mock made of a Proxy or of
  // prototype getters) is read through, as the prototype of its copy: only Lambda's plain
  // object gets the copy that keeps one hidden class.
  if (!Object.prototype.hasOwnProperty.call(context, 'awsRequestId')) {
    return Object.defineProperty(Object.create(context), 'parameters', parameters);
  }
  const properties: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(context);
  properties.parameters = parameters;
  return Object.create(Object.getPrototypeOf(context), properties);
}

/**
 * A function that declares parameters starts loading their readers while its module
 * initializes, when Lambda gives init the most CPU; the first `get()` then finds them
 * loaded. Malformed variables are left for the first read to report, naming the variable.
 */
function startLoadingAtInit(env: Env = process.env): void {
  try {
    const declared = readDeclaredParameters(env);
    if (Object.keys(declared.ssm).length > 0 || Object.keys(declared.secret).length > 0) templateParameters();
  } catch {
    // reported by the first read
  }
}
startLoadingAtInit();
