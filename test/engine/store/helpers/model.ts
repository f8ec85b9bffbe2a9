import type { BatchOp } from '../../../../src/engine/store/store';
import type { StateValue } from '../../../../src/engine/format/value';
import { id, type HistoryRecord, type StateRecord } from './replay';

/** What the store must hold: every acknowledged write, in order, and the state they give. */
export class StoreModel {
  readonly history: HistoryRecord[] = [];
  readonly state = new Map<string, StateRecord>();

  apply(scope: number, key: string, timestamp: number, value: StateValue | null): void {
    this.history.push({ scope, key, timestamp, value });
    if (value === null) this.state.delete(id(scope, key));
    else this.state.set(id(scope, key), { scope, key, timestamp, value });
  }

  isLive(scope: number, key: string): boolean {
    return this.state.has(id(scope, key));
  }

  /** The frames a batch writes: deletes of keys not live at that point write nothing. */
  applyBatch(ops: BatchOp[], timestamp: number): void {
    for (const op of ops) {
      if (op.value === null && !this.isLive(op.scope, op.key)) continue;
      this.apply(op.scope, op.key, timestamp, op.value);
    }
  }

  clone(): StoreModel {
    const m = new StoreModel();
    m.history.push(...this.history);
    for (const [k, v] of this.state) m.state.set(k, v);
    return m;
  }

  sortedState(): StateRecord[] {
    return [...this.state.values()].sort(byScopeKey);
  }
}

export function byScopeKey(a: { scope: number; key: string }, b: { scope: number; key: string }): number {
  return a.scope - b.scope || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
