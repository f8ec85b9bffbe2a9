// Reading what the explorer shows, in the model's terms (support/model.ts): the write log, the
// state at T, and summary checks shared by the reliability tests.
import type { StateValue } from '../../../src/engine/format/value';
import type { Problem } from '../../../src/engine/format/problems';
import type { TimelineIndex, VersionRow } from '../../../src/engine/timeline';
import { compareKeys, type StateRow, type Write } from './model';

/** A string value as the model holds it (the tests write strings only). */
export function modelValue(value: StateValue | null): string | null {
  if (value === null) return null;
  if (value.kind !== 'string') throw new Error(`unexpected ${value.kind} value: the tests write strings only`);
  return value.value;
}

/** The whole write log (restated and synthetic versions are not writes), in journal order. */
export function writeLog(index: TimelineIndex): { writes: Write[]; superseded: number } {
  const writes: Write[] = [];
  let superseded = 0;
  for (;;) {
    const page = index.changes(null, null, { offset: writes.length, limit: 10_000 });
    for (const w of page.writes) {
      if (w.valueError) throw new Error(`write ${w.scope}/${w.key}@${w.timestamp}: undecodable value: ${w.valueError}`);
      if (w.superseded) superseded++;
      writes.push({ scope: w.scope, key: w.key, value: modelValue(w.value), ts: w.timestamp });
    }
    if (page.writes.length === 0 || writes.length >= page.total) return { writes, superseded };
  }
}

/** The whole state at t, every page. */
export function fullStateAt(index: TimelineIndex, t: number): { rows: VersionRow[]; complete: boolean } {
  const rows: VersionRow[] = [];
  let complete = true;
  for (;;) {
    const page = index.stateAt(t, { offset: rows.length, limit: 10_000 });
    rows.push(...page.rows);
    complete &&= page.complete;
    if (page.rows.length === 0 || rows.length >= page.total) return { rows, complete };
  }
}

export const rowsAsModel = (rows: readonly { scope: number; key: string; value: StateValue | null; validFrom: number }[]): StateRow[] =>
  rows.map((r) => [r.scope, r.key, modelValue(r.value)!, r.validFrom]);

export const errors = (problems: readonly Problem[]): Problem[] => problems.filter((p) => p.severity === 'error');

export const describeProblems = (problems: readonly Problem[]): string =>
  problems.map((p) => `${p.severity} ${p.reason} in ${p.file} at ${p.offset}: ${p.message}`).join('\n');

/**
 * What any answer of the state at T must satisfy on its own, whatever the files hold: one row
 * per key, keys in order, no tombstone, each version valid at T, the count matching the rows,
 * and `complete` agreeing with the incomplete ranges. Returns what is wrong, or null.
 */
export function stateAnswerFlaw(
  at: number,
  page: { total: number; offset: number; rows: readonly { scope: number; key: string; value: unknown; validFrom: number; validTo: number | null; valueError?: string }[]; complete: boolean; incomplete: readonly unknown[] },
): string | null {
  if (page.offset !== 0) return `offset ${page.offset}, asked 0`;
  if (page.rows.length !== page.total) return `${page.rows.length} rows but total ${page.total}`;
  if (page.complete !== (page.incomplete.length === 0)) return `complete=${page.complete} with ${page.incomplete.length} incomplete ranges`;
  for (let i = 0; i < page.rows.length; i++) {
    const r = page.rows[i];
    const where = `row ${i} (${r.scope}/${JSON.stringify(r.key)})`;
    if (r.valueError) return `${where}: value error ${r.valueError}`;
    if (r.value === null || r.value === undefined) return `${where}: a tombstone listed as live`;
    if (r.validFrom > at) return `${where}: validFrom ${r.validFrom} is after T ${at}`;
    if (r.validTo !== null && r.validTo <= at) return `${where}: validTo ${r.validTo} is not after T ${at}`;
    if (i > 0 && compareKeys(page.rows[i - 1], r) >= 0) return `${where}: not after the row before it (order or duplicate)`;
  }
  return null;
}
