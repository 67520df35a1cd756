/**
 * One reusable instance of something that holds state only while in use (a Powertools batch
 * processor): a use takes the idle instance, or makes a fresh one when another use still holds
 * it (overlapping invocations of one handler must not share batch state). Making a processor
 * per invocation was a few percent of a small batch's cost.
 */
export class IdleSlot<T> {
  private idle?: T;

  constructor(private readonly make: () => T) {}

  public async use<R>(fn: (item: T) => Promise<R>): Promise<R> {
    const item = this.idle ?? this.make();
    this.idle = undefined;
    const result = await fn(item);
    // Only after a use that completed: a failed one may have left state behind.
    this.idle = item;
    return result;
  }
}
