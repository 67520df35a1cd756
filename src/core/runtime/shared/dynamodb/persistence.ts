import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyRecordStatus, PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS as DEFAULT_NAMES } from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { DynamoDbJsonClient } from './client';
import { DynamoDbError } from './errors';
import { AttributeValue, fromItem, toAttribute } from './marshal';

/** Record attribute names; each defaults to Powertools' own. */
export interface RecordAttributeNames {
  readonly keyAttr?: string;
  readonly expiryAttr?: string;
  readonly inProgressExpiryAttr?: string;
  readonly statusAttr?: string;
  readonly dataAttr?: string;
  readonly validationKeyAttr?: string;
}

export interface LeanPersistenceOptions extends RecordAttributeNames {
  readonly tableName: string;
  readonly client: DynamoDbJsonClient;
  /** The sort-key layout: the hashed key goes into this attribute and the partition key holds `staticPkValue`. */
  readonly sortKeyAttr?: string;
  /** Default: `idempotency#<AWS_LAMBDA_FUNCTION_NAME>`, as Powertools. */
  readonly staticPkValue?: string;
}

type Item = Record<string, AttributeValue>;

/**
 * Powertools' DynamoDBPersistenceLayer (2.35.0) on the lean client: the same items, the
 * same conditional put (a new key, an expired record, or an INPROGRESS record whose Lambda
 * timed out), ALL_OLD on a failed condition so a duplicate needs no extra read, consistent
 * reads, the sort-key layout and every attribute name option. Records written by either
 * are read by the other.
 */
export class LeanDynamoDBPersistenceLayer extends BasePersistenceLayer {
  private readonly client: DynamoDbJsonClient;
  private readonly tableName: string;
  private readonly keyAttr: string;
  private readonly sortKeyAttr?: string;
  private readonly staticPkValue: string;
  private readonly statusAttr: string;
  private readonly expiryAttr: string;
  private readonly inProgressExpiryAttr: string;
  private readonly dataAttr: string;
  private readonly validationKeyAttr: string;

  constructor(options: LeanPersistenceOptions) {
    super();
    this.client = options.client;
    this.tableName = options.tableName;
    this.keyAttr = options.keyAttr ?? 'id';
    this.statusAttr = options.statusAttr ?? DEFAULT_NAMES.statusAttr;
    this.expiryAttr = options.expiryAttr ?? DEFAULT_NAMES.expiryAttr;
    this.inProgressExpiryAttr = options.inProgressExpiryAttr ?? DEFAULT_NAMES.inProgressExpiryAttr;
    this.dataAttr = options.dataAttr ?? DEFAULT_NAMES.dataAttr;
    this.validationKeyAttr = options.validationKeyAttr ?? DEFAULT_NAMES.validationKeyAttr;
    if (options.sortKeyAttr !== undefined && options.sortKeyAttr === this.keyAttr) {
      throw new Error(`keyAttr [${this.keyAttr}] and sortKeyAttr [${options.sortKeyAttr}] cannot be the same!`);
    }
    this.sortKeyAttr = options.sortKeyAttr;
    // Fixed here, as Powertools does: a keyPrefix configured later does not change it.
    this.staticPkValue = options.staticPkValue ?? `idempotency#${this.idempotencyKeyPrefix}`;
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const output = await this.client.send<{ Item?: Item }>('GetItem', { TableName: this.tableName, Key: this.key(idempotencyKey), ConsistentRead: true });
    if (!output.Item) throw new IdempotencyItemNotFoundError();
    return this.recordOf(output.Item);
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const item: Item = {
      ...this.key(record.idempotencyKey),
      [this.expiryAttr]: toAttribute(record.expiryTimestamp),
      [this.statusAttr]: toAttribute(record.getStatus()),
    };
    if (record.inProgressExpiryTimestamp !== undefined) item[this.inProgressExpiryAttr] = { N: String(record.inProgressExpiryTimestamp) };
    if (this.isPayloadValidationEnabled() && record.payloadHash !== undefined) item[this.validationKeyAttr] = { S: record.payloadHash };
    const now = Date.now();
    try {
      await this.client.send('PutItem', {
        TableName: this.tableName,
        Item: item,
        // Saved when the key is new, its record expired, or it is INPROGRESS past its Lambda's deadline.
        ConditionExpression:
          'attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
        ExpressionAttributeNames: { '#id': this.keyAttr, '#expiry': this.expiryAttr, '#in_progress_expiry': this.inProgressExpiryAttr, '#status': this.statusAttr },
        ExpressionAttributeValues: { ':now': toAttribute(now / 1000), ':now_in_millis': toAttribute(now), ':inprogress': { S: IdempotencyRecordStatus.INPROGRESS } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    } catch (error) {
      if (!(error instanceof DynamoDbError) || error.name !== 'ConditionalCheckFailedException') throw error;
      const existing = error.Item ? this.recordOf(error.Item as Item) : undefined;
      const sortKey = this.sortKeyAttr ? ` and sort key: ${record.sortKey}` : '';
      throw new IdempotencyItemAlreadyExistsError(`Failed to put record for already existing idempotency key: ${record.idempotencyKey}${sortKey}`, existing);
    }
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const sets = ['#expiry = :expiry', '#status = :status'];
    const names: Record<string, string> = { '#expiry': this.expiryAttr, '#status': this.statusAttr };
    const values: Item = { ':expiry': toAttribute(record.expiryTimestamp), ':status': toAttribute(record.getStatus()) };
    if (record.responseData !== undefined) {
      sets.push('#response_data = :response_data');
      names['#response_data'] = this.dataAttr;
      values[':response_data'] = toAttribute(record.responseData);
    }
    if (this.isPayloadValidationEnabled()) {
      sets.push('#validation_key = :validation_key');
      names['#validation_key'] = this.validationKeyAttr;
      values[':validation_key'] = toAttribute(record.payloadHash);
    }
    await this.client.send('UpdateItem', {
      TableName: this.tableName,
      Key: this.key(record.idempotencyKey),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await this.client.send('DeleteItem', { TableName: this.tableName, Key: this.key(record.idempotencyKey) });
  }

  private key(idempotencyKey: string): Item {
    if (this.sortKeyAttr) return { [this.keyAttr]: { S: this.staticPkValue }, [this.sortKeyAttr]: { S: idempotencyKey } };
    return { [this.keyAttr]: { S: idempotencyKey } };
  }

  private recordOf(raw: Item): IdempotencyRecord {
    const item = fromItem(raw);
    return new IdempotencyRecord({
      idempotencyKey: item[this.keyAttr] as string,
      sortKey: this.sortKeyAttr && (item[this.sortKeyAttr] as string),
      status: item[this.statusAttr] as IdempotencyRecord['status'],
      expiryTimestamp: item[this.expiryAttr] as number,
      inProgressExpiryTimestamp: item[this.inProgressExpiryAttr] as number,
      responseData: item[this.dataAttr] as IdempotencyRecord['responseData'],
      payloadHash: item[this.validationKeyAttr] as string,
    });
  }
}
