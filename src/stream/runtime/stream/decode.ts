import type { AttributeValue, DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import type { BodyFormat } from '../../../core/runtime/shared/entry-export';


/** What the logic gets for a DynamoDB stream record: the images, unmarshalled. */
export interface DynamoDbChange {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE' | undefined;
  /** The item's key attributes (every view type). */
  readonly keys: Record<string, unknown>;
  /** The item after the change (NEW_IMAGE, NEW_AND_OLD_IMAGES; absent on REMOVE). */
  readonly newImage?: Record<string, unknown>;
  /** The item before the change (OLD_IMAGE, NEW_AND_OLD_IMAGES; absent on INSERT). */
  readonly oldImage?: Record<string, unknown>;
}

/** A record whose payload cannot be decoded: it fails, like a record the logic rejects. */
export class MalformedRecordError extends Error {
  constructor(id: string, problem: string) {
    super(`record ${id}: ${problem}`);
    this.name = 'MalformedRecordError';
  }
}

/** The Kinesis record's data: base64-decoded, then parsed as JSON (malformed JSON fails the record) unless `format` is `text`. */
export function decodeKinesis(record: KinesisStreamRecord, format: BodyFormat): unknown {
  const id = record.kinesis.sequenceNumber;
  if (typeof record.kinesis.data !== 'string') throw new MalformedRecordError(id, 'kinesis.data is not a base64 string');
  const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
  if (format === 'text') return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedRecordError(id, `data is not valid JSON (${(error as Error).message})`);
  }
}

/** The DynamoDB record's keys and images as plain values. */
export function decodeDynamoDb(record: DynamoDBRecord): DynamoDbChange {
  const change = record.dynamodb ?? {};
  const id = change.SequenceNumber ?? '?';
  const image = (attrs: Record<string, AttributeValue> | undefined) => (attrs ? unmarshallMap(attrs, id) : undefined);
  return {
    eventName: record.eventName,
    keys: image(change.Keys) ?? {},
    ...(change.NewImage ? { newImage: image(change.NewImage) } : {}),
    ...(change.OldImage ? { oldImage: image(change.OldImage) } : {}),
  };
}

function unmarshallMap(attrs: Record<string, AttributeValue>, id: string): Record<string, unknown> {
  if (attrs === null || typeof attrs !== 'object') throw new MalformedRecordError(id, 'an image is not a map of attribute values');
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attrs)) result[name] = unmarshall(value, id);
  return result;
}

/**
 * One DynamoDB attribute value as a plain value: numbers as numbers (integers beyond 2^53 as
 * their decimal string, so nothing is silently rounded), binary as a Buffer, sets as arrays.
 */
function unmarshall(value: AttributeValue, id: string): unknown {
  if (value === null || typeof value !== 'object') throw new MalformedRecordError(id, 'an attribute value is not an object');
  const v = value as Record<string, any>;
  if ('S' in v) return v.S;
  if ('N' in v) return number(v.N);
  if ('BOOL' in v) return v.BOOL;
  if ('NULL' in v) return null;
  if ('B' in v) return Buffer.from(v.B, 'base64');
  if ('M' in v) return unmarshallMap(v.M, id);
  if ('L' in v) return (v.L as AttributeValue[]).map((item) => unmarshall(item, id));
  if ('SS' in v) return [...v.SS];
  if ('NS' in v) return (v.NS as string[]).map(number);
  if ('BS' in v) return (v.BS as string[]).map((b) => Buffer.from(b, 'base64'));
  throw new MalformedRecordError(id, `unknown attribute value type ${Object.keys(v).join(',') || '(none)'}`);
}

function number(text: string): number | string {
  const n = Number(text);
  return Number.isInteger(n) && !Number.isSafeInteger(n) ? text : n;
}
