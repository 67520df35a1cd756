/**
 * The one reader templates use for the variables their construct sets. Dependency-free:
 * templates bundle it, and constructs name their variables with the same `TemplateVariable`.
 */

/** A variable of a construct <-> template contract: its name and the construct prop that sets it. */
export interface TemplateVariable {
  readonly name: string;
  /** The construct prop that sets the variable, for error messages, e.g. `expiresAfter`. */
  readonly prop: string;
}

/** Thrown at init when a variable the construct sets is missing or malformed. */
export class TemplateConfigError extends Error {
  constructor(template: string, variable: TemplateVariable, problem: string) {
    super(
      `${template} template: ${variable.name} ${problem}. The construct sets it from \`${variable.prop}\`; ` +
        'change that prop and redeploy rather than editing the function\'s environment.',
    );
    this.name = 'TemplateConfigError';
  }
}

type Env = { readonly [key: string]: string | undefined };

/** Reads a template's variables; every problem is a TemplateConfigError naming the variable and its prop. */
export class TemplateEnv {
  constructor(private readonly template: string, private readonly env: Env = process.env) {}

  /** The value, or undefined when unset or empty. */
  public optional(variable: TemplateVariable): string | undefined {
    const raw = this.env[variable.name];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  /** The value; unset or empty is an error. */
  public required(variable: TemplateVariable, what: string): string {
    const value = this.optional(variable);
    if (value === undefined) this.fail(variable, `is not set; it must name ${what}`);
    return value;
  }

  /** A whole number of at least 1, or `fallback` when unset. */
  public positiveInteger(variable: TemplateVariable, fallback: number): number {
    const raw = this.optional(variable);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) this.fail(variable, `must be a whole number of at least 1, got "${raw}"`);
    return value;
  }

  /** `true` or `false`, or `fallback` when unset. */
  public flag(variable: TemplateVariable, fallback: boolean): boolean {
    const raw = this.optional(variable);
    if (raw === undefined) return fallback;
    if (raw !== 'true' && raw !== 'false') this.fail(variable, `must be "true" or "false", got "${raw}"`);
    return raw === 'true';
  }

  /** One of `values`, or `fallback` when unset. */
  public oneOf<T extends string>(variable: TemplateVariable, values: readonly T[], fallback: T): T {
    const raw = this.optional(variable);
    if (raw === undefined) return fallback;
    if (!values.includes(raw as T)) this.fail(variable, `must be one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  }

  /** Fails for a combination of variables the construct never writes. */
  public fail(variable: TemplateVariable, problem: string): never {
    throw new TemplateConfigError(this.template, variable, problem);
  }
}
