import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * A small model of SQS feeding a Lambda event source mapping with ReportBatchItemFailures:
 * receive counts, visibility timeouts, redelivery of the reported failures, a dead-letter
 * queue after `maxReceiveCount`, optional duplicate (at-least-once) deliveries and FIFO
 * message-group ordering. Time is virtual, so a run of thousands of messages takes only
 * as long as the handler does.
 */
export interface SqsSimulatorOptions {
  /** Receives before a message moves to the DLQ (the redrive policy). */
  readonly maxReceiveCount: number;
  /** Seconds a received message stays invisible. @default 60 */
  readonly visibilityTimeoutSeconds?: number;
  /** Records per invocation. @default 10 */
  readonly batchSize?: number;
  /** Invocations in flight at once (the ESM's concurrency). @default 4 */
  readonly concurrency?: number;
  /**
   * Probability that a message is delivered a second time as an independent copy (same
   * message id, own receipt handle and receive count), as standard queues may do. Each
   * message is duplicated at most once. Ignored for FIFO. @default 0
   */
  readonly duplicateRate?: number;
  /** FIFO: one batch per message group in flight, group order kept, no duplicates. @default false */
  readonly fifo?: boolean;
  /** Random source in [0, 1): pass a seeded one for reproducible runs. @default Math.random */
  readonly random?: () => number;
  /** Virtual seconds one round of invocations takes. @default 1 */
  readonly roundSeconds?: number;
}

export interface SimMessageInput {
  readonly body: string;
  readonly messageAttributes?: { [name: string]: string };
  /** FIFO only. */
  readonly groupId?: string;
}

/** One copy of a message in the queue (a duplicate delivery is a second copy). */
interface Copy {
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes: { [name: string]: string };
  readonly groupId?: string;
  readonly sentAt: number;
  /** Queue order; a FIFO message keeps its place when it becomes visible again. */
  readonly seq: number;
  receiveCount: number;
  visibleAt: number;
  receiptHandle?: string;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
}

export interface SimulationResult {
  /** Messages sent (distinct message ids). */
  readonly sent: number;
  /** Distinct message ids with at least one copy processed and deleted. */
  readonly processed: number;
  /** Copies in the DLQ. */
  readonly deadLetters: DeadLetter[];
  /** Distinct message ids neither processed nor in the DLQ. Must be 0. */
  readonly lost: string[];
  readonly invocations: number;
  /** Records handed to the function, counting every redelivery. */
  readonly deliveries: number;
  /** Extra copies the simulator injected. */
  readonly duplicatesInjected: number;
  /** Records reported in batchItemFailures (or failed with their whole batch). */
  readonly recordFailures: number;
  /** Invocations that threw or returned a response Lambda would reject: the whole batch failed. */
  readonly failedInvocations: number;
  readonly virtualSeconds: number;
}

export type BatchFunction = (event: SQSEvent) => Promise<SQSBatchResponse | void | undefined>;

export class SqsSimulator {
  private readonly visibilityTimeout: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly duplicateRate: number;
  private readonly fifo: boolean;
  private readonly random: () => number;
  private readonly roundSeconds: number;

  private now = 0;
  private seq = 0;
  private nextId = 0;
  /** Visible copies in queue order (sorted by seq). */
  private visible: Copy[] = [];
  private inFlight: Copy[] = [];
  private readonly sentIds = new Set<string>();
  private readonly processedIds = new Set<string>();
  private readonly duplicated = new Set<string>();
  private readonly deadLetters: DeadLetter[] = [];
  private stats = { invocations: 0, deliveries: 0, duplicatesInjected: 0, recordFailures: 0, failedInvocations: 0 };

  constructor(private readonly options: SqsSimulatorOptions) {
    this.visibilityTimeout = options.visibilityTimeoutSeconds ?? 60;
    this.batchSize = options.batchSize ?? 10;
    this.concurrency = options.concurrency ?? 4;
    this.duplicateRate = options.fifo ? 0 : options.duplicateRate ?? 0;
    this.fifo = options.fifo ?? false;
    this.random = options.random ?? Math.random;
    this.roundSeconds = options.roundSeconds ?? 1;
  }

  /** Enqueues a message and returns its id. */
  public send(message: SimMessageInput): string {
    if (this.fifo && !message.groupId) throw new Error('FIFO messages need a groupId');
    const messageId = `msg-${String(this.nextId++).padStart(6, '0')}`;
    this.sentIds.add(messageId);
    this.visible.push({
      messageId,
      body: message.body,
      messageAttributes: message.messageAttributes ?? {},
      groupId: message.groupId,
      sentAt: this.now,
      seq: this.seq++,
      receiveCount: 0,
      visibleAt: this.now,
    });
    return messageId;
  }

  /** Polls and invokes until the queue and everything in flight is gone. */
  public async drain(fn: BatchFunction, maxRounds = 1_000_000): Promise<SimulationResult> {
    for (let round = 0; round < maxRounds; round++) {
      this.returnExpiredToQueue();
      if (this.visible.length === 0) {
        if (this.inFlight.length === 0) return this.result();
        // Nothing to receive: jump the clock to the next visibility expiry.
        this.now = Math.min(...this.inFlight.map((c) => c.visibleAt));
        continue;
      }
      const batches: Copy[][] = [];
      for (let i = 0; i < this.concurrency; i++) {
        const batch = this.receive();
        if (batch.length === 0) break;
        batches.push(batch);
      }
      await Promise.all(batches.map((batch) => this.invoke(fn, batch)));
      this.now += this.roundSeconds;
    }
    throw new Error(`simulation did not finish within ${maxRounds} rounds`);
  }

  /** A ReceiveMessage call: up to batchSize visible copies, moving over-received ones to the DLQ. */
  private receive(): Copy[] {
    const batch: Copy[] = [];
    const busyGroups = this.fifo ? new Set(this.inFlight.map((c) => c.groupId)) : undefined;
    const remaining: Copy[] = [];
    let i = 0;
    for (; i < this.visible.length && batch.length < this.batchSize; i++) {
      const copy = this.visible[i];
      if (busyGroups?.has(copy.groupId)) {
        remaining.push(copy);
        continue;
      }
      if (copy.receiveCount >= this.options.maxReceiveCount) {
        // The redrive policy: the receive that would exceed maxReceiveCount moves it instead.
        this.deadLetters.push({ messageId: copy.messageId, body: copy.body, receiveCount: copy.receiveCount });
        continue;
      }
      copy.receiveCount++;
      copy.visibleAt = this.now + this.visibilityTimeout;
      copy.receiptHandle = `rh-${copy.messageId}-${copy.receiveCount}-${this.seq++}`;
      batch.push(copy);
    }
    this.visible = remaining.concat(this.visible.slice(i));
    this.inFlight.push(...batch);
    for (const copy of batch) this.maybeDuplicate(copy);
    return batch;
  }

  private maybeDuplicate(copy: Copy): void {
    if (this.duplicateRate === 0 || this.duplicated.has(copy.messageId)) return;
    this.duplicated.add(copy.messageId);
    if (this.random() >= this.duplicateRate) return;
    this.stats.duplicatesInjected++;
    // The copy shows up somewhere in the queue: soon (possibly while the original is still
    // in flight) or much later (after it was processed). It takes the seq of the copy it
    // lands before, so re-sorting on redelivery keeps it there.
    const position = Math.floor(this.random() * (this.visible.length + 1));
    const seq = position < this.visible.length ? this.visible[position].seq - 0.5 : this.seq++;
    const dup: Copy = { ...copy, receiveCount: 0, visibleAt: this.now, receiptHandle: undefined, seq };
    this.visible.splice(position, 0, dup);
  }

  private async invoke(fn: BatchFunction, batch: Copy[]): Promise<void> {
    this.stats.invocations++;
    this.stats.deliveries += batch.length;
    const event: SQSEvent = { Records: batch.map((copy) => this.toRecord(copy)) };
    let failedIds: Set<string>;
    try {
      const response = await fn(event);
      failedIds = this.failedIdsOf(response, batch);
    } catch {
      failedIds = new Set(batch.map((c) => c.messageId));
      this.stats.failedInvocations++;
    }
    for (const copy of batch) {
      if (failedIds.has(copy.messageId)) {
        this.stats.recordFailures++;
        continue; // stays in flight until its visibility timeout expires
      }
      this.inFlight.splice(this.inFlight.indexOf(copy), 1);
      this.processedIds.add(copy.messageId);
    }
  }

  /** What Lambda makes of a response: an unusable one fails the whole batch. */
  private failedIdsOf(response: SQSBatchResponse | void | undefined, batch: Copy[]): Set<string> {
    if (response === undefined || response === null) return new Set(); // success
    const items = (response as SQSBatchResponse).batchItemFailures;
    if (items === undefined || items === null) return new Set();
    const ids = new Set(batch.map((c) => c.messageId));
    const usable = Array.isArray(items) && items.every((f) => f && typeof f.itemIdentifier === 'string' && ids.has(f.itemIdentifier));
    if (!usable) {
      this.stats.failedInvocations++;
      return ids;
    }
    return new Set(items.map((f) => f.itemIdentifier));
  }

  private returnExpiredToQueue(): void {
    if (this.inFlight.length === 0) return;
    const expired = this.inFlight.filter((c) => c.visibleAt <= this.now);
    if (expired.length === 0) return;
    this.inFlight = this.inFlight.filter((c) => c.visibleAt > this.now);
    // Back in queue order, so a FIFO group resumes with its oldest message.
    this.visible = this.visible.concat(expired).sort((a, b) => a.seq - b.seq);
  }

  private toRecord(copy: Copy): SQSRecord {
    const attributes: any = {
      ApproximateReceiveCount: String(copy.receiveCount),
      SentTimestamp: String(copy.sentAt * 1000),
      SenderId: 'SIMULATOR',
      ApproximateFirstReceiveTimestamp: String(this.now * 1000),
    };
    if (copy.groupId) {
      attributes.MessageGroupId = copy.groupId;
      attributes.MessageDeduplicationId = copy.messageId;
      attributes.SequenceNumber = String(copy.seq);
    }
    const messageAttributes: SQSRecord['messageAttributes'] = {};
    for (const [name, value] of Object.entries(copy.messageAttributes)) {
      messageAttributes[name] = { stringValue: value, dataType: 'String', stringListValues: [], binaryListValues: [] };
    }
    return {
      messageId: copy.messageId,
      receiptHandle: copy.receiptHandle ?? '',
      body: copy.body,
      attributes,
      messageAttributes,
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:simulated${this.fifo ? '.fifo' : ''}`,
      awsRegion: 'us-east-1',
    };
  }

  private result(): SimulationResult {
    const dlqIds = new Set(this.deadLetters.map((d) => d.messageId));
    const lost = [...this.sentIds].filter((id) => !this.processedIds.has(id) && !dlqIds.has(id));
    return {
      sent: this.sentIds.size,
      processed: this.processedIds.size,
      deadLetters: [...this.deadLetters],
      lost,
      ...this.stats,
      virtualSeconds: this.now,
    };
  }
}

/** A small seeded PRNG (Park-Miller minimal standard), so simulations are reproducible. */
export function seededRandom(seed: number): () => number {
  const modulus = 2147483647;
  let state = Math.abs(Math.floor(seed)) % modulus || 1;
  return () => {
    state = (state * 48271) % modulus; // stays below 2^53: exact in a double
    return (state - 1) / (modulus - 1);
  };
}
