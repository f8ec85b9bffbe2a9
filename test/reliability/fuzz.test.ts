import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalReader } from '../../src/engine/format/reader';
import { TimelineIndex, QueryError } from '../../src/engine/timeline';
import { verifyStore } from '../../src/engine/verify';
import { allFixtureStores, FIXTURES } from '../support/fixtures';
import { int, mutateBytes, pick, prng, zlibBomb, type Rng } from '../support/fuzz/mutators';

/**
 * Mutation fuzzing: every damaged input must end in an answer or a reported problem — no
 * exception other than a clear "no store here", no hang, no allocation sized by a declared
 * length instead of the real bytes. Seeded: a failure names its seed, and
 * `FUZZ_SEED=<seed> FUZZ_CASES=1` replays it. `npm run fuzz` runs a long campaign.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const BYTE_CASES = Number(process.env.FUZZ_CASES ?? 4000);
const STORE_CASES = Number(process.env.FUZZ_STORE_CASES ?? Math.max(1, Math.floor(BYTE_CASES / 16)));
const MAX_INFLATED = 8 << 20;

function journalSources(): Buffer[] {
  const out: Buffer[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.includes('.jrn.')) out.push(name.endsWith('.zz') ? inflateSync(readFileSync(path)) : readFileSync(path));
    }
  };
  walk(FIXTURES);
  return out;
}

describe('fuzzing the reader with mutated journals', () => {
  const sources = journalSources();
  it(`reads ${BYTE_CASES} mutated journals to an answer or a problem`, () => {
    const heapBefore = process.memoryUsage().heapUsed;
    for (let c = 0; c < BYTE_CASES; c++) {
      const seed = SEED + c;
      const rng = prng(seed);
      const { bytes, applied } = mutateBytes(pick(rng, sources), rng);
      const started = performance.now();
      try {
        const reader = new JournalReader(bytes, { file: `case-${seed}`, salvage: rng() < 0.3 });
        let frames = 0;
        while (reader.next()) {
          frames++;
          reader.decodeValue();
          void reader.key;
          expect(reader.frameEnd).toBeLessThanOrEqual(bytes.length);
        }
        expect(frames).toBeLessThanOrEqual(bytes.length / 7);
        for (const p of reader.problems) {
          expect(p.offset).toBeLessThanOrEqual(Math.max(bytes.length, 17));
          expect(p.message.length).toBeGreaterThan(0);
        }
      } catch (err) {
        throw new Error(`fuzz case seed ${seed} (${applied.join(', ')}) threw: ${(err as Error).stack}`, { cause: err });
      }
      expect(performance.now() - started, `seed ${seed} took too long`).toBeLessThan(2000);
    }
    // Nothing sized by a declared length: the heap grows by a few MB at most.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 << 20);
    report(`fuzz: ${BYTE_CASES} mutated journals read (seed ${SEED})`);
  }, 60_000 + BYTE_CASES);
});

describe('fuzzing whole stores: damaged files, swapped, missing and hostile archives', () => {
  const temps: string[] = [];
  afterAll(() => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });
  const stores = [
    ...allFixtureStores().map((s) => s.dir),
    join(FIXTURES, 'reference-4255c9b1/corrupt'),
  ];

  it(`opens, queries and verifies ${STORE_CASES} damaged stores without failing`, async () => {
    const outcomes = { answered: 0, noStore: 0, problems: 0 };
    for (let c = 0; c < STORE_CASES; c++) {
      const seed = SEED * 7 + c;
      const rng = prng(seed);
      const dir = mkdtempSync(join(tmpdir(), 'jrn-fuzz-'));
      temps.push(dir);
      cpSync(pick(rng, stores), dir, { recursive: true, filter: (src) => !src.endsWith('manifest.json') });
      const damage = damageStore(dir, rng);
      try {
        const names = new Set(readdirSync(dir).concat(readdirSyncSafe(join(dir, 'snapshots'))).filter((n) => n.includes('.jrn.')).map((n) => n.split('.jrn.')[0]));
        for (const store of names) {
          const index = await TimelineIndex.open(dir, { store, maxInflatedBytes: MAX_INFLATED, salvage: rng() < 0.3 });
          const summary = index.summary();
          if (summary.problems.length) outcomes.problems++;
          exercise(index, rng);
          const report = await verifyStore(dir, store, { maxInflatedBytes: MAX_INFLATED });
          expect(report.ok).toBe(!report.problems.some((p) => p.severity === 'error'));
          outcomes.answered++;
        }
      } catch (err) {
        if (err instanceof QueryError && /no (journal )?store/.test(err.message)) {
          outcomes.noStore++;
          continue;
        }
        throw new Error(`store fuzz case seed ${seed} (${damage.join('; ')}) threw: ${(err as Error).stack}`, { cause: err });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    expect(outcomes.answered).toBeGreaterThan(STORE_CASES / 2);
    report(`fuzz: ${STORE_CASES} damaged stores: ${JSON.stringify(outcomes)}`);
  }, 60_000 + STORE_CASES * 200);
});

/** An archive's inflated bytes, or its raw bytes when an earlier round made it not zlib. */
function inflateOr(raw: Buffer): Buffer {
  try {
    return inflateSync(raw, { maxOutputLength: MAX_INFLATED });
  } catch {
    return raw;
  }
}

/** Long campaigns print their figures (for docs/RELIABILITY.md). */
function report(line: string): void {
  if (process.env.FUZZ_REPORT) console.log(line);
}

function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function storeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...storeFiles(path));
    else if (name.includes('.jrn.')) out.push(path);
  }
  return out;
}

/** Damages a copied store in 1-3 ways; returns what was done, for the failure message. */
function damageStore(dir: string, rng: Rng): string[] {
  const done: string[] = [];
  for (let round = 1 + int(rng, 3); round > 0; round--) {
    const files = storeFiles(dir);
    if (files.length === 0) break;
    const file = pick(rng, files);
    const name = relative(dir, file);
    const kind = int(rng, 7);
    if (kind <= 2) {
      const raw = readFileSync(file);
      const inflated = file.endsWith('.zz') ? inflateOr(raw) : raw;
      const { bytes, applied } = mutateBytes(inflated, rng);
      writeFileSync(file, file.endsWith('.zz') && rng() < 0.8 ? deflateSync(bytes) : bytes);
      done.push(`${name}: ${applied.join(', ')}`);
    } else if (kind === 3) {
      unlinkSync(file);
      done.push(`${name}: deleted`);
    } else if (kind === 4 && files.length > 1) {
      const other = pick(rng, files.filter((f) => f !== file));
      const tmp = `${file}.swap`;
      renameSync(file, tmp);
      renameSync(other, file);
      renameSync(tmp, other);
      done.push(`${name} <-> ${relative(dir, other)}: swapped`);
    } else if (kind === 5) {
      writeFileSync(file, Buffer.from('this is not a zlib stream'.repeat(1 + int(rng, 50))));
      done.push(`${name}: not zlib`);
    } else {
      writeFileSync(file, zlibBomb(MAX_INFLATED * 4));
      done.push(`${name}: inflates to ${MAX_INFLATED * 4} bytes`);
    }
  }
  return done;
}

/** Asks every kind of question; answers must be self-consistent. */
function exercise(index: TimelineIndex, rng: Rng): void {
  const summary = index.summary();
  const first = summary.firstTimestamp ?? 0;
  const last = summary.lastTimestamp ?? 0;
  const times = [first, last, first + int(rng, Math.max(1, last - first + 1)), 0, Number.MAX_SAFE_INTEGER];
  for (const t of times) {
    const page = index.stateAt(t, { limit: 50 });
    expect(page.rows.length).toBeLessThanOrEqual(page.total);
    for (const row of page.rows) {
      expect(row.validFrom).toBeLessThanOrEqual(t);
      const asOf = index.getAt(row.scope, row.key, t);
      expect(asOf.version?.validFrom).toBe(row.validFrom);
      index.history(row.scope, row.key, { tombstones: true });
    }
    index.nextChange(t);
    index.prevChange(t);
  }
  index.diff(times[2], last);
  index.changes(null, null, { limit: 100 });
  if (last >= first) index.histogram(first, last, 1 + int(rng, 50));
}

