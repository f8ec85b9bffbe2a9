// Operations for `jrn script` (NDJSON on its standard input) and the acknowledgements it prints,
// and the reconciliation of a store's write log against them after a crash: what the writer
// acknowledged must be there, in order, once; what it did without acknowledging may follow.
import { describeWrite, sameWrite, type Replay, type Write } from './model';
import type { Rng } from './rng';

export type ScriptOp =
  | { op: 'put'; scope: number; key: string; value: string; ts: number }
  | { op: 'delete'; scope: number; key: string; ts: number }
  | { op: 'rotate' };

/** What `jrn script` printed for one operation: {"ts": N}, {"ts": null} or {"generation": G}. */
export interface Ack {
  ts?: number | null;
  generation?: number;
  error?: string;
}

export const opLine = (op: ScriptOp): string =>
  op.op === 'put' ? JSON.stringify({ op: 'put', scope: op.scope, key: op.key, value: { string: op.value }, ts: op.ts }) : JSON.stringify(op);

/** The keys of a store: a few scopes, two non-ASCII keys. */
export function keySpace(count: number): [number, string][] {
  const keys: [number, string][] = [];
  for (let i = 0; i < count - 3; i++) keys.push([2, `k${i}`]);
  keys.push([1, 'flag'], [3, 'ключ'], [2, '🔑']);
  return keys;
}

/**
 * Endless operations with strictly increasing timestamps (so every write is identified by its
 * timestamp and the store never clamps one): mostly puts, some deletes (of live keys or not),
 * now and then a long value (the buffer grows, a write may not fit) or a manual rotation (two
 * rotations with no write between them make spec archive names clash).
 */
export class OpSource {
  constructor(
    private readonly random: Rng,
    private readonly keys: readonly [number, string][],
    /** The last timestamp handed out. */
    public ts: number,
  ) {}

  next(): ScriptOp {
    const r = this.random;
    const roll = r.next();
    if (roll < 0.004) return { op: 'rotate' };
    const [scope, key] = r.pick(this.keys);
    this.ts += r.int(1, 1000);
    if (roll < 0.16) return { op: 'delete', scope, key, ts: this.ts };
    const value = r.chance(0.015) ? `L${this.ts}:${'x'.repeat(r.int(100, 600))}` : `v${this.ts}`;
    return { op: 'put', scope, key, value, ts: this.ts };
  }
}

/** One writer process's run: the operations sent to it and the acknowledgements it printed. */
export interface Cycle {
  ops: ScriptOp[];
  acks: Ack[];
  /** The largest timestamp among `ops`: log entries up to it belong to this cycle or earlier. */
  maxTs: number;
}

export interface Reconciled {
  /** Writes acknowledged by these cycles. */
  acked: number;
  /** Writes found in the log that were done but not acknowledged (killed before printing). */
  extras: number;
  /** The most extras any one cycle left. */
  maxExtras: number;
}

/**
 * Holds `log` (the store's whole write log, after recovery) to the model: the log checked
 * before (`verified`) is still its prefix; then, cycle by cycle, every acknowledged operation
 * is there in order (a put as written, a delete of a live key as a tombstone, a delete of a
 * key that was not live as nothing), followed by at most a prefix of the writes the cycle's
 * unacknowledged operations would have made; and nothing else. Throws on the first
 * discrepancy; on success `replay` holds the state after `log`.
 */
export function reconcile(verified: readonly Write[], replay: Replay, cycles: readonly Cycle[], log: readonly Write[]): Reconciled {
  const fail = (pos: number, what: string): never => {
    const around = log.slice(Math.max(0, pos - 2), pos + 3).map((w, i) => `  [${Math.max(0, pos - 2) + i}] ${describeWrite(w)}`);
    throw new Error(`write log entry ${pos}: ${what}\nlog around it:\n${around.join('\n')}`);
  };
  for (let i = 0; i < verified.length; i++) {
    if (i >= log.length) fail(i, `missing: the log lost writes checked before (it has ${log.length} of ${verified.length})`);
    if (!sameWrite(log[i], verified[i])) fail(i, `was ${describeWrite(verified[i])} at the last check`);
  }
  let pos = verified.length;
  const result: Reconciled = { acked: 0, extras: 0, maxExtras: 0 };
  const expectWrite = (w: Write, what: string) => {
    if (pos >= log.length) fail(pos, `missing: ${what} ${describeWrite(w)}`);
    if (!sameWrite(log[pos], w)) fail(pos, `expected ${what} ${describeWrite(w)}, found ${describeWrite(log[pos])}`);
    replay.apply(w);
    pos++;
  };
  cycles.forEach((cycle, c) => {
    cycle.acks.forEach((ack, i) => {
      const op = cycle.ops[i];
      const where = `cycle ${c}, op ${i}`;
      if (ack.error !== undefined) throw new Error(`${where}: the writer refused ${opLine(op)}: ${ack.error}`);
      if (op.op === 'rotate') {
        if (typeof ack.generation !== 'number') throw new Error(`${where}: rotate acknowledged as ${JSON.stringify(ack)}`);
        return;
      }
      if (op.op === 'delete' && !replay.isLive(op.scope, op.key)) {
        if (ack.ts !== null) throw new Error(`${where}: delete of a key that is not live acknowledged as ${JSON.stringify(ack)}`);
        return;
      }
      if (ack.ts !== op.ts) throw new Error(`${where}: ${opLine(op)} acknowledged as ${JSON.stringify(ack)}`);
      expectWrite({ scope: op.scope, key: op.key, value: op.op === 'put' ? op.value : null, ts: op.ts }, `acknowledged write (${where})`);
      result.acked++;
    });
    let extras = 0;
    for (let i = cycle.acks.length; i < cycle.ops.length && pos < log.length && log[pos].ts <= cycle.maxTs; i++) {
      const op = cycle.ops[i];
      if (op.op === 'rotate' || (op.op === 'delete' && !replay.isLive(op.scope, op.key))) continue;
      expectWrite({ scope: op.scope, key: op.key, value: op.op === 'put' ? op.value : null, ts: op.ts }, `unacknowledged write (cycle ${c}, op ${i})`);
      extras++;
    }
    if (pos < log.length && log[pos].ts <= cycle.maxTs) fail(pos, `a write of cycle ${c} that none of its operations explains`);
    result.extras += extras;
    result.maxExtras = Math.max(result.maxExtras, extras);
  });
  if (pos < log.length) fail(pos, 'a write no operation explains');
  return result;
}
