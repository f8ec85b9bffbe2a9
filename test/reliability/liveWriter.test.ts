// Following a live writer: a separate process writes and rotates a store quickly (tiny buffers,
// a rotation every few dozen writes, archives compressed in the background) while the explorer
// follows it — through a TimelineIndex refreshed in a loop, and through the HTTP server with
// follow enabled. Every answer given while following must be whole (no torn frame, no false
// gap, every state internally consistent, every state at a T already passed equal to what the
// writer acknowledged), and the follower must end exactly at the writer's final state.
//
// Then the moments such a run can only hit by chance, made to stand still or hammered on: a
// rotation caught half-way, and listing a big folder while archives are renamed into it.
//
// Long run: LIVE_WRITER_MS (default 4000) and LIVE_WRITER_RATE (writes/s, default 2000);
// LIVE_WRITER_SEED replays a run; RELIABILITY_REPORT=1 prints the figures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type ServeHandle } from '../../src/main/server';
import { TimelineIndex } from '../../src/engine/timeline';
import { VersionedKVStore } from '../../src/engine/store';
import { listStoreFiles } from '../../src/engine/files';
import type { WireValue } from '../../src/shared/contract/values';
import { callApi } from '../main/http';
import { describeProblems, errors, fullStateAt, rowsAsModel, stateAnswerFlaw, writeLog } from './support/explorer';
import { describeWrite, nextVersionAfter, Replay, stateAt, type StateRow, type Write } from './support/model';
import { sleep, spawnNode, stop, ROOT, type LineChild } from './support/process';
import { countFromEnv, rng, seedFromEnv, type Rng } from './support/rng';
import { report } from './support/report';

/** How long the writer writes at least; longer if the machine is too busy to follow enough. */
const DURATION_MS = countFromEnv('LIVE_WRITER_MS', 4000);
/** The longest it may write (a busy CI machine gets this long to do the minimum below). */
const MAX_DURATION_MS = Math.max(DURATION_MS, 60_000);
const RATE = countFromEnv('LIVE_WRITER_RATE', 2000);
const SEED = seedFromEnv('LIVE_WRITER_SEED', 20_261_123);
const CHILD = join(ROOT, 'test/reliability/support/liveWriterChild.ts');
const NAME = 'live';

/** The writer process and what it acknowledged so far. */
interface Writer {
  proc: LineChild;
  acked: Write[];
  rotations: number;
  archives: number;
  errors: string[];
  final: StateRow[] | null;
  firstWrite: Promise<void>;
}

function startWriter(dir: string, layout: string, seed: number): Writer {
  let started: () => void = () => undefined;
  const firstWrite = new Promise<void>((resolve) => (started = resolve));
  const writer: Writer = { proc: null!, acked: [], rotations: 0, archives: 0, errors: [], final: null, firstWrite };
  const args = ['--import', 'tsx', CHILD, dir, NAME, layout, String(seed), String(MAX_DURATION_MS), String(RATE)];
  writer.proc = spawnNode(args, (line) => {
    const m = JSON.parse(line) as {
      w?: [number, string, string | null, number];
      b?: [number, string, string | null][];
      ts?: number;
      r?: number;
      a?: number;
      final?: StateRow[];
      error?: string;
    };
    if (m.w) writer.acked.push({ scope: m.w[0], key: m.w[1], value: m.w[2], ts: m.w[3] });
    else if (m.b) for (const [scope, key, value] of m.b) writer.acked.push({ scope, key, value, ts: m.ts! });
    else if (m.r !== undefined) writer.rotations++;
    else if (m.a !== undefined) writer.archives++;
    else if (m.final) writer.final = m.final;
    else if (m.error) writer.errors.push(m.error);
    if (m.w || m.b) started();
  }, { stdin: 'pipe' }); // the writer stops when its standard input ends
  void writer.proc.exited.then(() => started());
  return writer;
}

/**
 * A state at T answered while following, for T before the newest write the follower had seen:
 * every write at or before T was already in the files, so the answer must be final.
 */
interface Observation {
  via: 'index' | 'http';
  at: number;
  rows: StateRow[];
  validTo: (number | null)[];
  /** The newest timestamp the follower knew when it answered. */
  seenUpTo: number;
}

/** stateAt as the HTTP API answers it (values tagged). */
interface HttpStatePage {
  total: number;
  offset: number;
  complete: boolean;
  incomplete: unknown[];
  rows: { scope: number; key: string; value: WireValue; validFrom: number; validTo: number | null; valueError?: string }[];
}

/** A T to ask about: mostly inside what the follower knows, sometimes its newest write or beyond. */
function pickT(random: Rng, first: number, last: number): number {
  const roll = random.next();
  if (roll < 0.1) return last;
  if (roll < 0.15) return last + random.int(1, 1_000_000);
  if (roll < 0.3) return Math.max(first, last - random.int(1, 2000));
  return first + Math.floor(random.next() * (last - first));
}

/** Checks an observation against everything the writer acknowledged (all of it, once it exited). */
function checkObservation(o: Observation, acked: readonly Write[]): void {
  const expected = stateAt(acked, o.at);
  expect(o.rows, `${o.via}: state at ${o.at} (seen up to ${o.seenUpTo})`).toEqual(expected);
  o.rows.forEach(([scope, key], i) => {
    const next = nextVersionAfter(acked, scope, key, o.at);
    const got = o.validTo[i];
    // A next version the follower had not seen yet leaves validTo open; one it had seen must be right.
    if (got === null) expect(next === null || next >= o.seenUpTo, `${o.via}: validTo of ${scope}/${key} at ${o.at} is open, but the next version at ${next} was seen`).toBe(true);
    else expect(got, `${o.via}: validTo of ${scope}/${key} at ${o.at}`).toBe(next);
  });
}

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

describe.each(['spec', 'upstream'] as const)('following a writer in another process (%s layout)', (layout) => {
  it('never shows a torn frame or a false gap, survives rotations and compression, and ends at the writer state', async () => {
    const dir = mkdtempSync(join(tmpdir(), `jrn-live-${layout}-`));
    temps.push(dir);
    const random = rng(SEED + (layout === 'spec' ? 0 : 1));
    const writer = startWriter(dir, layout, random.int(0, 2 ** 31));
    let server: ServeHandle | null = null;
    const observations: Observation[] = [];
    const figures = {
      indexRefreshes: 0,
      indexRotationsWhileFollowing: 0,
      indexJournalsSeenArchived: 0,
      indexGenerationsReadAsJournals: 0,
      indexRebuilds: 0,
      freshOpensWhileWriting: 0,
      httpPolls: 0,
      httpGenerationsWhileFollowing: 0,
      statesChecked: 0,
      warnings: new Set<string>(),
    };
    try {
      await writer.firstWrite;
      expect(writer.proc.done, `the writer exited before writing: ${writer.proc.stderr()}`).toBe(false);
      const index = await TimelineIndex.open(dir, { store: NAME });
      server = await startServer({ dir, store: NAME, rendererDir: null, follow: { enabled: true, debounceMs: 20, pollMs: 100 } });
      const { origin, token } = server;
      const { storeId } = server.store;

      /** How the index first saw each generation: as a journal, or already archived. */
      const kinds = new Map<number, string>();
      const lastKinds = new Map<number, string>();
      const followIndex = async () => {
        const pick = random.fork();
        let nextFreshOpen = performance.now() + 200;
        while (following()) {
          const r = await index.refresh();
          figures.indexRefreshes++;
          if (r.rebuilt) figures.indexRebuilds++;
          figures.indexRotationsWhileFollowing += r.rotations;
          const s = index.summary();
          expect(errors(s.problems), `index: errors while following:\n${describeProblems(s.problems)}`).toEqual([]);
          expect(s.incomplete, 'index: incomplete history while following').toEqual([]);
          for (const p of s.problems) figures.warnings.add(p.reason);
          for (const g of s.generations) {
            if (!kinds.has(g.generation)) kinds.set(g.generation, g.kind);
            if (lastKinds.get(g.generation) === 'journal' && g.kind === 'archive') figures.indexJournalsSeenArchived++;
            lastKinds.set(g.generation, g.kind);
          }
          if (s.firstTimestamp !== null && s.lastTimestamp !== null) {
            const at = pickT(pick, s.firstTimestamp, s.lastTimestamp);
            const page = index.stateAt(at, { limit: 10_000 });
            expect(stateAnswerFlaw(at, page), `index: state at ${at}`).toBeNull();
            if (at < s.lastTimestamp) {
              observations.push({ via: 'index', at, rows: rowsAsModel(page.rows), validTo: page.rows.map((row) => row.validTo), seenUpTo: s.lastTimestamp });
            }
          }
          if (performance.now() >= nextFreshOpen) {
            nextFreshOpen = performance.now() + 400;
            // A reader arriving mid-write (the explorer opened on a busy store) sees a whole store too.
            const late = await TimelineIndex.open(dir, { store: NAME });
            figures.freshOpensWhileWriting++;
            const ls = late.summary();
            expect(errors(ls.problems), `fresh index: errors while the writer runs:\n${describeProblems(ls.problems)}`).toEqual([]);
            expect(ls.incomplete, 'fresh index: incomplete history while the writer runs').toEqual([]);
          }
          await sleep(pick.int(0, 5));
        }
      };

      const followHttp = async () => {
        const pick = random.fork();
        let generations = 0;
        while (following()) {
          const sum = await callApi(origin, token, 'summary', { storeId });
          figures.httpPolls++;
          expect(sum.body.ok, JSON.stringify(sum.body.error)).toBe(true);
          const s = sum.body.result as { following: boolean; generations: unknown[]; firstTimestamp: number | null; lastTimestamp: number | null; incomplete: unknown[]; problems: { severity: string; reason: string }[] };
          expect(s.following).toBe(true);
          expect(s.problems.filter((p) => p.severity === 'error'), `http: errors while following: ${JSON.stringify(s.problems)}`).toEqual([]);
          expect(s.incomplete, 'http: incomplete history while following').toEqual([]);
          for (const p of s.problems) figures.warnings.add(p.reason);
          if (!writer.proc.done && generations > 0) figures.httpGenerationsWhileFollowing += Math.max(0, s.generations.length - generations);
          generations = Math.max(generations, s.generations.length);
          if (s.firstTimestamp !== null && s.lastTimestamp !== null) {
            const at = pickT(pick, s.firstTimestamp, s.lastTimestamp);
            const res = await callApi(origin, token, 'stateAt', { storeId, at, limit: 10_000 });
            expect(res.body.ok, JSON.stringify(res.body.error)).toBe(true);
            const page = res.body.result as HttpStatePage;
            expect(stateAnswerFlaw(at, page), `http: state at ${at}`).toBeNull();
            if (at < s.lastTimestamp) {
              const rows: StateRow[] = page.rows.map((row) => {
                if (!('string' in row.value)) throw new Error(`http: unexpected value ${JSON.stringify(row.value)}`);
                return [row.scope, row.key, row.value.string, row.validFrom];
              });
              observations.push({ via: 'http', at, rows, validTo: page.rows.map((row) => row.validTo), seenUpTo: s.lastTimestamp });
            }
          }
          await sleep(pick.int(10, 40));
        }
      };

      // The writer stops once it has written for DURATION_MS and both followers have done
      // enough (on a busy machine that takes longer), or at MAX_DURATION_MS.
      const startedAt = performance.now();
      const enough = () =>
        figures.indexRefreshes >= 30 &&
        figures.httpPolls >= 15 &&
        [...kinds.values()].filter((k) => k === 'journal').length >= 5 &&
        observations.filter((o) => o.via === 'index').length >= 10 &&
        observations.filter((o) => o.via === 'http').length >= 5;
      const stopWriter = async () => {
        while (!writer.proc.done && !failed && (performance.now() - startedAt < DURATION_MS || !enough())) await sleep(50);
        writer.proc.child.stdin?.end();
      };
      // Both follow until the writer exits; the first failure stops the other one too.
      let failed = false;
      const following = () => !writer.proc.done && !failed;
      const stopOnFailure = (run: () => Promise<void>) =>
        run().catch((err: unknown) => {
          failed = true;
          throw err;
        });
      const outcomes = await Promise.allSettled([stopOnFailure(followIndex), stopOnFailure(followHttp), stopWriter()]);
      const writingMs = Math.round(performance.now() - startedAt);
      for (const o of outcomes) if (o.status === 'rejected') throw o.reason;
      const exit = await writer.proc.exited;
      expect(exit, `writer: ${writer.proc.stderr()}`).toBe(0);
      expect(writer.errors).toEqual([]);
      expect(writer.final).not.toBeNull();
      const acked = writer.acked;

      // The writer's own final state is the replay of what it acknowledged.
      const finalState = new Replay().applyAll(acked).rows();
      expect([...writer.final!].sort((a, b) => a[0] - b[0] || Buffer.compare(Buffer.from(a[1]), Buffer.from(b[1])))).toEqual(finalState);

      // Every answer given while following agrees with what the writer acknowledged.
      for (const o of observations) checkObservation(o, acked);
      figures.statesChecked = observations.length;

      // The follower ends exactly where the writer did.
      const last = await index.refresh();
      expect(last.rebuilt).toBe(false);
      const s = index.summary();
      expect(errors(s.problems), describeProblems(s.problems)).toEqual([]);
      expect(s.incomplete).toEqual([]);
      const log = writeLog(index).writes;
      const firstDiff = log.findIndex((w, i) => !acked[i] || w.ts !== acked[i].ts || w.key !== acked[i].key || w.value !== acked[i].value);
      expect(firstDiff, firstDiff >= 0 ? `log differs at ${firstDiff}: ${describeWrite(log[firstDiff])} vs ${acked[firstDiff] ? describeWrite(acked[firstDiff]) : 'nothing'}` : '').toBe(-1);
      expect(log).toEqual(acked);
      const lastTs = acked[acked.length - 1].ts;
      expect(rowsAsModel(fullStateAt(index, lastTs).rows)).toEqual(finalState);
      expect(s.generations.length).toBe(writer.rotations + 1);
      const fresh = await TimelineIndex.open(dir, { store: NAME });
      expect(writeLog(fresh).writes).toEqual(acked);
      // The generations it lists are the files as they are now (archives, not the deleted journals).
      const files = (g: { generation: number; kind: string; relativePath: string }[]) => g.map((x) => `${x.generation}:${x.kind}:${x.relativePath}`);
      expect(files(s.generations)).toEqual(files(fresh.summary().generations));

      // So does the server, once its follower has caught up.
      let caughtUp = false;
      for (const start = Date.now(); Date.now() - start < 15_000 && !caughtUp; await sleep(50)) {
        const sum = await callApi(origin, token, 'summary', { storeId });
        caughtUp = (sum.body.result as { generations: unknown[] }).generations.length === writer.rotations + 1 && (sum.body.result as { lastTimestamp: number }).lastTimestamp === lastTs;
      }
      expect(caughtUp, 'the server caught up with the writer').toBe(true);
      const res = await callApi(origin, token, 'stateAt', { storeId, at: lastTs, limit: 10_000 });
      const page = res.body.result as { complete: boolean; rows: { scope: number; key: string; value: { string: string }; validFrom: number }[] };
      expect(page.complete).toBe(true);
      expect(page.rows.map((r) => [r.scope, r.key, r.value.string, r.validFrom])).toEqual(finalState);

      // The follower really followed: rotations and compressions happened while it read.
      // Generations first read as journals and compressed while the index went on following.
      figures.indexGenerationsReadAsJournals = [...kinds].filter(([g, kind]) => kind === 'journal' && g < writer.rotations).length;
      const seen = JSON.stringify({ ...figures, warnings: undefined });
      expect(figures.indexRotationsWhileFollowing, `rotations the index followed: ${seen}`).toBeGreaterThanOrEqual(5);
      expect(figures.indexGenerationsReadAsJournals, `journals the index read before they were archived: ${seen}`).toBeGreaterThanOrEqual(3);
      expect(figures.indexRebuilds, 'index rebuilds while following').toBe(0);
      expect(figures.httpGenerationsWhileFollowing, `rotations the server followed: ${seen}`).toBeGreaterThanOrEqual(5);
      expect(observations.filter((o) => o.via === 'index').length, 'states checked through the index').toBeGreaterThanOrEqual(10);
      expect(observations.filter((o) => o.via === 'http').length, 'states checked through HTTP').toBeGreaterThanOrEqual(5);
      report(`following a live writer (${layout} layout, ${DURATION_MS} ms or more at ${RATE} writes/s, seed ${SEED})`, {
        writingMs,
        writesAcked: acked.length,
        writerRotations: writer.rotations,
        writerArchives: writer.archives,
        ...figures,
        warnings: [...figures.warnings],
      });
    } catch (err) {
      temps.splice(temps.indexOf(dir), 1); // keep the store for a post-mortem
      if (err instanceof Error) err.message += `\n(store kept in ${dir}; seed ${SEED})`;
      throw err;
    } finally {
      await stop(writer.proc);
      await server?.close();
    }
  }, 60_000 + MAX_DURATION_MS * 2);
});

// The moments of a rotation a reader can catch, made to stand still: the next generation's file
// just created (empty), preallocated (zeros), and holding the restated state without its header
// (the writer writes the header last). None of them is damage — the writer's own recovery would
// call such a file a generation that never became active — so a follower waits for it and a
// reader opening the folder right then answers from the generations before it, without a gap.
describe.each(['spec', 'upstream'] as const)('a rotation caught half-way (%s layout)', (layout) => {
  it('is waited for, not reported as damage or as a gap', async () => {
    const dir = mkdtempSync(join(tmpdir(), `jrn-halfway-${layout}-`));
    temps.push(dir);
    let now = 1_704_067_200_000_000;
    const store = VersionedKVStore.open(dir, NAME, { layout, config: { initialBufferSize: 4096, maxCapacityBytes: 4096 }, clock: () => (now += 1000) });
    const writes: Write[] = [];
    const put = (key: string, value: string) => writes.push({ scope: 2, key, value, ts: store.put(2, key, { kind: 'string', value }) });
    try {
      for (let i = 0; i < 20; i++) put(`k${i % 7}`, `v${i}`);
      const index = await TimelineIndex.open(dir, { store: NAME });
      store.rotate();
      const next = store.activeJournalPath;
      const complete = readFileSync(next);
      const headerSize = layout === 'spec' ? 17 : 9;
      const moments: [string, Buffer][] = [
        ['created, still empty', Buffer.alloc(0)],
        ['preallocated, all zeros', Buffer.alloc(complete.length)],
        ['restated state written, header not yet', Buffer.concat([Buffer.alloc(headerSize), complete.subarray(headerSize)])],
      ];
      for (const [moment, bytes] of moments) {
        writeFileSync(next, bytes);
        expect(await index.refresh(), `follower, ${moment}`).toEqual({ added: 0, rotations: 0, rebuilt: false });
        const followed = index.summary();
        expect(followed.problems, `follower, ${moment}: ${describeProblems(followed.problems)}`).toEqual([]);
        expect(followed.incomplete, `follower, ${moment}`).toEqual([]);
        const fresh = await TimelineIndex.open(dir, { store: NAME });
        const opened = fresh.summary();
        expect(opened.problems, `fresh reader, ${moment}: ${describeProblems(opened.problems)}`).toEqual([]);
        expect(opened.incomplete, `fresh reader, ${moment}`).toEqual([]);
        expect(writeLog(fresh).writes, `fresh reader, ${moment}`).toEqual(writes);
      }
      writeFileSync(next, complete);
      expect(await index.refresh()).toEqual({ added: 0, rotations: 1, rebuilt: false });
      for (let i = 0; i < 5; i++) put(`k${i}`, `after${i}`);
      await store.close();
      await index.refresh();
      const s = index.summary();
      expect(s.problems, describeProblems(s.problems)).toEqual([]);
      expect(s.incomplete).toEqual([]);
      expect(writeLog(index).writes).toEqual(writes);
      expect(rowsAsModel(fullStateAt(index, now).rows)).toEqual(new Replay().applyAll(writes).rows());
    } finally {
      await store.close();
    }
  });
});

// Listing a folder is not atomic: readdir of a big folder takes several system calls, and the
// writer renames an archive into place and deletes its journal meanwhile. A listing must never
// lose a generation that way (the index would show a gap, or number archives wrongly).
describe('listing a big store folder while a writer archives', () => {
  it('never misses a generation', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jrn-listing-'));
    temps.push(dir);
    let ready: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const churn = spawnNode(['--import', 'tsx', join(ROOT, 'test/reliability/support/archiveChurnChild.ts'), dir, 'churn', '1500'], () => ready());
    try {
      await Promise.race([started, churn.exited]);
      expect(churn.done, churn.stderr()).toBe(false);
      let listings = 0;
      // At least 2 s and at least 20 listings: a loaded machine lists more slowly, so it lists longer.
      const end = performance.now() + 2000;
      for (; (performance.now() < end || listings < 20) && performance.now() < end + 20_000; listings++) {
        const generations = [...new Set(listStoreFiles(dir, 'churn').map((f) => f.generation!))].sort((a, b) => a - b);
        const holes = generations.filter((g, i) => i > 0 && g !== generations[i - 1] + 1);
        expect(holes, `listing ${listings}: generations missing before ${holes.join(', ')}`).toEqual([]);
        if (listings % 20 === 0) await sleep(0);
      }
      expect(listings).toBeGreaterThanOrEqual(20);
      report('listing a big folder while a writer archives', { listings });
    } finally {
      await stop(churn);
    }
  });
});
