const MAX_DEPTH = 4;
const MAX_KEYS = 25;

/**
 * The structure of a value without its contents: `{ "Records": [{ "s3": { ... } }] }`
 * becomes `{ Records: ["object"], ... }` down to a few levels. Values are never copied,
 * so the log line carries no personal data or secrets.
 */
export function describeShape(value: unknown, depth = 0): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return `array(${value.length})`;
    return value.length === 0 ? [] : [describeShape(value[0], depth + 1), ...(value.length > 1 ? [`…${value.length - 1} more`] : [])];
  }
  if (typeof value === 'object') {
    if (depth >= MAX_DEPTH) return 'object';
    const keys = Object.keys(value as object);
    const shape: Record<string, unknown> = {};
    for (const key of keys.slice(0, MAX_KEYS)) shape[key] = describeShape((value as Record<string, unknown>)[key], depth + 1);
    if (keys.length > MAX_KEYS) shape['…'] = `${keys.length - MAX_KEYS} more keys`;
    return shape;
  }
  return typeof value;
}
