import { Token } from 'aws-cdk-lib';
import { IDEMPOTENCY_ENV } from './contract';
import { invalidProp } from '../core/validation';

/**
 * How a replayed result (the stored result of an earlier execution, returned to a duplicate
 * request) is told apart from a fresh one. Set with Powertools idempotency's `responseHook`,
 * so only replays carry the mark; a fresh result is returned exactly as the logic made it.
 */
export abstract class ReplayMarker {
  /**
   * Sets a top-level field of an object result to `true` on replays, e.g.
   * `ReplayMarker.field('replayed')` gives `{ ..., "replayed": true }`. A result that is not
   * a JSON object (an array, a string, a number) is replayed unchanged, with a WARN line.
   *
   * @param name the field name; it replaces a field of the same name in the stored result
   */
  public static field(name: string): ReplayMarker {
    return new MarkerOf('field', name);
  }

  /**
   * Sets an HTTP response header to `true` on replays, for results shaped like an API
   * Gateway or function URL response (`{ statusCode, headers?, body }`), e.g.
   * `ReplayMarker.header('Idempotent-Replayed')`. Any other result is replayed unchanged,
   * with a WARN line.
   *
   * @param name the header name (an HTTP token: letters, digits and ``!#$%&'*+-.^_`|~``)
   */
  public static header(name: string): ReplayMarker {
    return new MarkerOf('header', name);
  }

  /** `field` or `header`. */
  public abstract readonly kind: string;
  /** The field or header name. */
  public abstract readonly name: string;

  /** @internal */
  public abstract _environment(where: string, prop: string): { [key: string]: string };
}

const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

class MarkerOf extends ReplayMarker {
  constructor(public readonly kind: 'field' | 'header', public readonly name: string) {
    super();
  }

  public _environment(where: string, prop: string): { [key: string]: string } {
    const value = `ReplayMarker.${this.kind}(${JSON.stringify(this.name)})`;
    if (!Token.isUnresolved(this.name)) {
      if (this.name.trim() === '') invalidProp(where, prop, value, `Name the ${this.kind}, e.g. ReplayMarker.${this.kind}('${this.kind === 'field' ? 'replayed' : 'Idempotent-Replayed'}').`);
      if (this.kind === 'header' && !HTTP_TOKEN.test(this.name)) {
        invalidProp(where, prop, value, 'A header name is an HTTP token: letters, digits and !#$%&\'*+-.^_`|~ only, e.g. "Idempotent-Replayed".');
      }
    }
    const variable = this.kind === 'field' ? IDEMPOTENCY_ENV.replayField : IDEMPOTENCY_ENV.replayHeader;
    return { [variable.name]: this.name };
  }
}
