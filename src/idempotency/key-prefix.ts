import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IDEMPOTENCY_ENV, IDEMPOTENCY_KEY_SEPARATOR } from './contract';
import { invalidProp } from '../core/validation';

/**
 * The default key prefix of an idempotent construct: its construct path, e.g.
 * `Shop/Payments`. Powertools would use the function name, which CloudFormation changes
 * whenever it replaces the function, silently resetting every stored key; the path only
 * changes when you move or rename the construct.
 * @internal
 */
export function defaultIdempotencyKeyPrefix(owner: IConstruct): string {
  return owner.node.path.split(IDEMPOTENCY_KEY_SEPARATOR).join('_');
}

/**
 * `IDEMPOTENCY_KEY_PREFIX` for `owner`: the given prefix (validated) or the path-derived
 * default. An empty prefix, or one with the key separator, fails naming `prop`.
 * @internal
 */
export function idempotencyKeyPrefixEnvironment(
  owner: IConstruct,
  where: string,
  prop: string,
  keyPrefix: string | undefined,
): { [key: string]: string } {
  if (keyPrefix !== undefined && !Token.isUnresolved(keyPrefix)) {
    if (keyPrefix.trim() === '') {
      invalidProp(where, prop, keyPrefix, `Give a non-empty prefix such as "payments-v1", or leave it unset for the construct path ("${defaultIdempotencyKeyPrefix(owner)}").`);
    }
    if (keyPrefix.includes(IDEMPOTENCY_KEY_SEPARATOR)) {
      invalidProp(where, prop, keyPrefix, `It contains "${IDEMPOTENCY_KEY_SEPARATOR}", which separates the prefix from the hash in every key; use e.g. "${keyPrefix.split(IDEMPOTENCY_KEY_SEPARATOR).join('-')}".`);
    }
    if (keyPrefix !== keyPrefix.trim()) {
      invalidProp(where, prop, keyPrefix, `Powertools trims the prefix, so the keys would not match it; use "${keyPrefix.trim()}".`);
    }
  }
  return { [IDEMPOTENCY_ENV.keyPrefix.name]: keyPrefix ?? defaultIdempotencyKeyPrefix(owner) };
}
