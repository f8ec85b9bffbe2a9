import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { encodeFrame } from '../../../src/engine/format/frame';
import { HEADER_SIZE, writeHeader, type HeaderVariant } from '../../../src/engine/format/header';
import { encodePayload, type PayloadLayout } from '../../../src/engine/format/payload';
import type { StateValue } from '../../../src/engine/format/value';

/**
 * A test-only model of the journal writer: enough of the rotation rules to produce stores
 * in every layout (compacted prefix in shuffled "hash-map" order with original timestamps,
 * archives named per layout), plus the ground truth of every write to check answers against.
 */
export type ModelOp =
  | { kind: 'set'; scope: number; key: string; value: StateValue; advance: number }
  | { kind: 'delete'; scope: number; key: string; advance: number }
  | { kind: 'rotate'; order: number[] };

export interface ModelWrite {
  scope: number;
  key: string;
  value: StateValue | null;
  ts: number;
}

interface Frame extends ModelWrite {
  emptyValueDelete: boolean;
}

export type ModelLayout = 'reference' | 'upstream-head' | 'spec';

export interface ModelStore {
  writes: ModelWrite[];
  generations: Frame[][];
}

export const T0 = 1_704_067_200_000_000;

export function runModel(ops: ModelOp[]): ModelStore {
  let clock = T0;
  const live = new Map<string, Frame>();
  const generations: Frame[][] = [[]];
  const writes: ModelWrite[] = [];
  let newWrites = 0;
  let lastArchivedTs = -1;
  for (const op of ops) {
    const current = generations[generations.length - 1];
    if (op.kind === 'rotate') {
      // Spec archives are named by their last write: keep names unique, as a writer must.
      const lastTs = current.length ? current[current.length - 1].ts : -1;
      if (newWrites === 0 || lastTs <= lastArchivedTs) continue;
      lastArchivedTs = lastTs;
      const state = [...live.values()];
      const prefix = op.order.map((i) => state.splice(i % Math.max(state.length, 1), 1)[0]).filter(Boolean);
      generations.push([...prefix, ...state]);
      newWrites = 0;
      continue;
    }
    clock += op.advance;
    const id = `${op.scope}/${op.key}`;
    if (op.kind === 'delete' && !live.has(id)) continue; // upstream writes nothing
    const frame: Frame = {
      scope: op.scope,
      key: op.key,
      value: op.kind === 'set' ? op.value : null,
      ts: clock,
      emptyValueDelete: op.advance % 2 === 1,
    };
    current.push(frame);
    writes.push(frame);
    newWrites++;
    if (frame.value === null) live.delete(id);
    else live.set(id, frame);
  }
  return { writes, generations };
}

export interface WrittenFile {
  path: string;
  generation: number;
  kind: 'journal' | 'archive';
}

export interface Damage {
  generation: number;
  frame: number;
  how: 'flip' | 'position';
}

/** One generation's journal buffer in a layout (header, frames, a zero tail), damaging one frame if asked. */
export function modelJournalBytes(frames: ModelStore['generations'][number], layout: ModelLayout, damage?: Pick<Damage, 'frame' | 'how'>): Buffer {
  const variant: HeaderVariant = layout === 'upstream-head' ? 'v9' : 'v17';
  const payloadLayout: PayloadLayout = layout === 'spec' ? 'key-value-pair' : 'state-value';
  const encoded = frames.map((f) =>
    encodeFrame(f.scope, f.key, f.ts, encodePayload(payloadLayout, f.key, f.value, f.emptyValueDelete ? 'empty-value' : 'omit-value')),
  );
  const size = HEADER_SIZE[variant];
  const buf = Buffer.alloc(size + encoded.reduce((n, e) => n + e.length, 0) + 16);
  let position = size;
  const starts: number[] = [];
  for (const e of encoded) {
    starts.push(position);
    e.copy(buf, position);
    position += e.length;
  }
  if (damage && starts.length > 0) {
    const at = starts[damage.frame % starts.length];
    if (damage.how === 'position') position = at + 1;
    else buf[at + 2] ^= 0x40;
  }
  writeHeader(buf, variant, position);
  return buf;
}

/** Writes the store's files into `dir` in a layout, damaging one frame if asked. */
export function writeModelStore(store: ModelStore, layout: ModelLayout, dir: string, damage?: Damage): WrittenFile[] {
  const files: WrittenFile[] = [];
  mkdirSync(join(dir, 'snapshots'), { recursive: true });
  store.generations.forEach((frames, g) => {
    const buf = modelJournalBytes(frames, layout, damage?.generation === g ? damage : undefined);
    const active = g === store.generations.length - 1;
    if (active) {
      files.push({ path: join(dir, `s.jrn.${g}`), generation: g, kind: 'journal' });
      writeFileSync(files[files.length - 1].path, buf);
      return;
    }
    const name = layout === 'spec' ? `s.jrn.t${frames[frames.length - 1].ts}.zz` : join('snapshots', `s.jrn.g${g}.t${maxLiveTs(frames)}.zz`);
    files.push({ path: join(dir, name), generation: g, kind: 'archive' });
    writeFileSync(files[files.length - 1].path, deflateSync(buf, { level: 5 }));
  });
  return files;
}

/** Upstream's archive T: the largest timestamp among live keys at the end (0 when empty). */
function maxLiveTs(frames: Frame[]): number {
  const live = new Map<string, number>();
  for (const f of frames) {
    if (f.value === null) live.delete(`${f.scope}/${f.key}`);
    else live.set(`${f.scope}/${f.key}`, f.ts);
  }
  return Math.max(0, ...live.values());
}

/** The true state at `at`: per (scope, key) the last write with ts <= at, if a value. */
export function modelStateAt(writes: ModelWrite[], at: number): ModelWrite[] {
  const latest = new Map<string, ModelWrite>();
  for (const w of writes) if (w.ts <= at) latest.set(`${w.scope}/${w.key}`, w);
  return [...latest.values()]
    .filter((w) => w.value !== null)
    .sort((a, b) => a.scope - b.scope || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
