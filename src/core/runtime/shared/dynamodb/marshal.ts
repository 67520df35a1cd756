/** A DynamoDB attribute value in the JSON protocol. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { B: string }
  | { BS: string[] };

/**
 * A JSON value as a DynamoDB attribute, as `@aws-sdk/util-dynamodb` marshall() writes it for
 * JSON data. Like marshall(), a number past 2^53 or not finite is rejected rather than
 * stored imprecisely (stored-result.ts keeps such results from reaching here).
 */
export function toAttribute(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number':
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) throw new Error(`DynamoDB cannot store the number ${value} precisely`);
      return { N: String(value) };
    case 'object':
      if (Array.isArray(value)) return { L: value.map(toAttribute) };
      return { M: toItem(value as Record<string, unknown>) };
    default:
      throw new Error(`DynamoDB cannot store a ${typeof value}`);
  }
}

/** An object as an item; undefined properties are left out, as JSON leaves them out. */
export function toItem(value: Record<string, unknown>): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== undefined) item[key] = toAttribute(entry);
  return item;
}

/** An attribute as JavaScript, as unmarshall() reads it (sets become Sets, binary a Uint8Array). */
export function fromAttribute(attribute: AttributeValue): unknown {
  if ('S' in attribute) return attribute.S;
  if ('N' in attribute) return Number(attribute.N);
  if ('BOOL' in attribute) return attribute.BOOL;
  if ('NULL' in attribute) return null;
  if ('L' in attribute) return attribute.L.map(fromAttribute);
  if ('M' in attribute) return fromItem(attribute.M);
  if ('SS' in attribute) return new Set(attribute.SS);
  if ('NS' in attribute) return new Set(attribute.NS.map(Number));
  if ('B' in attribute) return new Uint8Array(Buffer.from(attribute.B, 'base64'));
  if ('BS' in attribute) return new Set(attribute.BS.map((b) => new Uint8Array(Buffer.from(b, 'base64'))));
  throw new Error(`Unknown DynamoDB attribute type: ${Object.keys(attribute).join(', ')}`);
}

export function fromItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(item)) value[key] = fromAttribute(entry);
  return value;
}
