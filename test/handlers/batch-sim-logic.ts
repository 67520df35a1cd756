/**
 * Business logic for the redelivery simulations: a message body says how it behaves, and
 * every successful run counts one side effect per message id (what a duplicate would repeat).
 */
export type Kind = 'ok' | 'transient' | 'poison' | 'malformed';

export interface SimLogic {
  /** The module handed to `wrapBatch`, as `HandlerCode.fromEntry` would. */
  readonly module: { processRecord: (body: any, ctx: any) => Promise<unknown> };
  /** Successful runs (side effects) per message id. */
  readonly sideEffects: Map<string, number>;
  readonly attempts: Map<string, number>;
}

export function simLogic(): SimLogic {
  const sideEffects = new Map<string, number>();
  const attempts = new Map<string, number>();
  return {
    sideEffects,
    attempts,
    module: {
      processRecord: async (body: { kind: Kind; n: number }, ctx: { messageId: string }) => {
        const id = ctx.messageId;
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        if (body.kind === 'poison') throw new Error(`poison message ${body.n}`);
        // Fails on its first try, succeeds afterwards. A non-Error, to exercise that path.
        if (body.kind === 'transient' && attempt === 1) throw `transient failure of ${body.n}`;
        // Yield once, so concurrently delivered copies really overlap.
        await Promise.resolve();
        sideEffects.set(id, (sideEffects.get(id) ?? 0) + 1);
        return { n: body.n };
      },
    },
  };
}

export interface Mix {
  readonly messages: number;
  readonly transientRate: number;
  readonly poisonRate: number;
  readonly malformedRate?: number;
}

/** Message bodies with the requested failure mix at evenly spread positions. */
export function messageBodies(mix: Mix): { body: string; kind: Kind }[] {
  const transientEvery = Math.round(1 / mix.transientRate);
  const poisonEvery = Math.round(1 / mix.poisonRate);
  const malformedEvery = mix.malformedRate ? Math.round(1 / mix.malformedRate) : 0;
  const out: { body: string; kind: Kind }[] = [];
  for (let n = 0; n < mix.messages; n++) {
    let kind: Kind = 'ok';
    if (n % poisonEvery === poisonEvery - 1) kind = 'poison';
    else if (malformedEvery && n % malformedEvery === malformedEvery - 3) kind = 'malformed';
    else if (n % transientEvery === 1) kind = 'transient';
    out.push({ kind, body: kind === 'malformed' ? `{"kind":"ok","n":${n}` : JSON.stringify({ kind, n }) });
  }
  return out;
}

export function duplicateSideEffects(sideEffects: Map<string, number>): number {
  let extra = 0;
  for (const count of sideEffects.values()) extra += Math.max(0, count - 1);
  return extra;
}
