import { Token } from 'aws-cdk-lib';
import { IDEMPOTENCY_RECORD_ATTRIBUTES } from './contract';
import { IdempotencyTableAttributes } from './table-attributes';
import { invalidProp } from '../core/validation';

type AttributeRole = keyof typeof IDEMPOTENCY_RECORD_ATTRIBUTES;

/** The resolved names and the variables of those that differ from the defaults. @internal */
export interface ResolvedTableAttributes {
  readonly names: { readonly [role in AttributeRole]: string };
  readonly environment: { [key: string]: string };
}

/** DynamoDB attribute names: 1 to 255 bytes; we keep to characters every tool quotes the same way. */
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

/**
 * Validates `attributes` (each name well-formed, all six distinct) and resolves the defaults.
 * @internal
 */
export function resolveTableAttributes(where: string, prop: string, attributes: IdempotencyTableAttributes | undefined): ResolvedTableAttributes {
  const names = {} as { [role in AttributeRole]: string };
  const environment: { [key: string]: string } = {};
  for (const role of Object.keys(IDEMPOTENCY_RECORD_ATTRIBUTES) as AttributeRole[]) {
    const spec = IDEMPOTENCY_RECORD_ATTRIBUTES[role];
    const given = attributes?.[role];
    if (given !== undefined && !Token.isUnresolved(given) && !ATTRIBUTE_NAME.test(given)) {
      invalidProp(where, `${prop}.${role}`, given, `Use 1-255 letters, digits, "_", "-" or "." (e.g. "${spec.default}"), or leave it unset for "${spec.default}".`);
    }
    names[role] = given ?? spec.default;
    if (given !== undefined && given !== spec.default) environment[spec.env.name] = given;
  }
  const seen = new Map<string, AttributeRole>();
  for (const [role, name] of Object.entries(names) as [AttributeRole, string][]) {
    if (Token.isUnresolved(name)) continue;
    const other = seen.get(name);
    if (other) {
      invalidProp(where, `${prop}.${role}`, name, `"${name}" is already the ${other} attribute; every record attribute needs its own name.`);
    }
    seen.set(name, role);
  }
  return { names, environment };
}
