import { cpSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../src/cli/main';
import { allFixtureStores, FIXTURES, fixtureDir } from '../support/fixtures';
import { jrn, jrnJson, tempDir } from './helpers';

interface VerifyDoc {
  ok: boolean;
  stores: {
    store: string;
    ok: boolean;
    errors: number;
    files: { relativePath: string; frames: number; problems: { offset: number; reason: string; severity: string; message: string }[] }[];
    problems: { reason: string; severity: string }[];
    complete: boolean;
    incomplete: { from: number | null; to: number | null; reason: string }[];
  }[];
}

const CORRUPT = join(FIXTURES, 'reference-4255c9b1/corrupt');

/** Where each damage is (from the corrupt fixtures' manifest), and the good frames before it. */
const DAMAGE: Record<string, { offsets: number[]; frames: number }> = {
  crc_flip_frame2: { offsets: [73], frames: 2 },
  payload_bitflip_frame4: { offsets: [124], frames: 4 },
  truncated_mid_frame3: { offsets: [8, 95], frames: 3 },
  position_mid_frame5: { offsets: [147], frames: 5 },
  bad_version: { offsets: [0], frames: 0 },
  bad_scope_frame1: { offsets: [42], frames: 1 },
  zeroed_tail_from_frame6: { offsets: [173], frames: 6 },
};

describe('jrn verify', () => {
  it.each(allFixtureStores())('finds nothing wrong in $layout/$scenario (exit 0)', async ({ dir }) => {
    const r = await jrn(['verify', dir]);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^Store "\w+": OK \(\d+ files?, \d+ good frames\)/);
    const { json } = await jrnJson<VerifyDoc>(['verify', dir]);
    expect(json.ok).toBe(true);
    expect(json.stores[0].files.every((f) => f.problems.length === 0)).toBe(true);
    expect(json.stores[0].complete).toBe(true);
  });

  it.each(Object.entries(DAMAGE))('reports %s with offset and reason, and what is affected (exit 1)', async (store, damage) => {
    const { code, json } = await jrnJson<VerifyDoc>(['verify', CORRUPT, '--name', store]);
    expect(code).toBe(EXIT_FAILURE);
    const report = json.stores[0];
    expect(report).toMatchObject({ store, ok: false });
    expect(report.files).toHaveLength(1);
    expect(report.files[0].frames).toBe(damage.frames);
    const problems = report.files[0].problems;
    expect(problems.map((p) => p.offset)).toEqual(damage.offsets);
    for (const p of problems) {
      expect(p.severity).toBe('error');
      expect(p.reason).toMatch(/^[a-z-]+$/);
      expect(p.message.length).toBeGreaterThan(10);
    }
    expect(report.complete).toBe(false);
    expect(report.incomplete.length).toBeGreaterThan(0);

    const human = await jrn(['verify', CORRUPT, '--name', store]);
    expect(human.code).toBe(EXIT_FAILURE);
    for (const p of problems) expect(human.stdout).toContain(`error at offset ${p.offset}: ${p.reason}: `);
    expect(human.stdout).toContain('Affected (history incomplete over):');
  });

  it('checks every store of a folder that holds several, and every file', async () => {
    const r = await jrnJson<VerifyDoc>(['verify', CORRUPT]);
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.json.stores.map((s) => s.store).sort()).toEqual(Object.keys(DAMAGE).sort());
    expect(r.json.stores.every((s) => !s.ok)).toBe(true);
  });

  it('verifies a single file given by path', async () => {
    const r = await jrnJson<VerifyDoc>(['verify', join(CORRUPT, 'crc_flip_frame2.jrn.0')]);
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.json.stores[0].files.map((f) => f.relativePath)).toEqual(['crc_flip_frame2.jrn.0']);
  });

  it('reports a generation missing in the middle as an error, with the range it leaves unknown', async () => {
    const copy = join(tempDir(), 'gap');
    cpSync(fixtureDir('reference-4255c9b1', 'rotated'), copy, { recursive: true });
    rmSync(join(copy, 'manifest.json'));
    const middle = readdirSync(join(copy, 'snapshots')).find((f) => f.includes('.g2.'))!;
    rmSync(join(copy, 'snapshots', middle));
    const { code, json } = await jrnJson<VerifyDoc>(['verify', copy]);
    expect(code).toBe(EXIT_FAILURE);
    const report = json.stores[0];
    expect(report.complete).toBe(false);
    expect(report.incomplete).toMatchObject([{ from: 1704067212000000, to: 1704067224000000 }]);
    expect(report.problems).toMatchObject([{ reason: 'missing-generation', severity: 'error' }]);
    const human = await jrn(['verify', copy]);
    expect(human.stdout).toContain('generation 2 is missing between snapshots/store.jrn.g1.t1704067212000000.zz and snapshots/store.jrn.g3.t1704067234000000.zz');
    expect(human.stdout).toContain('Affected (history incomplete over):');
    expect(human.stdout).toContain('[2024-01-01T00:00:12Z, 2024-01-01T00:00:24Z)');
  });

  it('reports missing oldest generations (deleted archives) as a warning', async () => {
    const copy = join(tempDir(), 'old');
    cpSync(fixtureDir('reference-4255c9b1', 'rotated'), copy, { recursive: true });
    rmSync(join(copy, 'manifest.json'));
    for (const f of readdirSync(join(copy, 'snapshots')).filter((f) => /\.g[01]\./.test(f))) rmSync(join(copy, 'snapshots', f));
    const { code, json } = await jrnJson<VerifyDoc>(['verify', copy]);
    expect(code).toBe(EXIT_OK);
    expect(json.stores[0].problems).toMatchObject([{ reason: 'missing-generation', severity: 'warning' }]);
    expect(json.stores[0].complete).toBe(false);
    expect((await jrn(['verify', copy])).stdout).toMatch(/OK with 1 warning/);
  });

  it('reports an old journal left uncompressed as a warning, and reads it as its generation', async () => {
    const copy = join(tempDir(), 'leftover');
    cpSync(fixtureDir('reference-4255c9b1', 'rotated'), copy, { recursive: true });
    rmSync(join(copy, 'manifest.json'));
    // Generation 3 as the rotation leaves it when compressing it did not finish.
    const g3 = readdirSync(join(copy, 'snapshots')).find((f) => f.includes('.g3.'))!;
    writeFileSync(join(copy, 'store.jrn.3'), inflateSync(readFileSync(join(copy, 'snapshots', g3))));
    rmSync(join(copy, 'snapshots', g3));
    const { code, json } = await jrnJson<VerifyDoc>(['verify', copy]);
    expect(code).toBe(EXIT_OK);
    const report = json.stores[0];
    const leftover = report.files.find((f) => f.relativePath === 'store.jrn.3')!;
    expect(leftover.problems).toMatchObject([{ reason: 'uncompressed-archive', severity: 'warning' }]);
    expect(leftover.problems[0].message).toContain('generation 3 is an old generation left uncompressed (the active one is 4)');
    expect([report.complete, report.problems]).toEqual([true, []]);
    expect((await jrn(['verify', copy])).stdout).toMatch(/OK with 1 warning/);
  });

  it('reports damage inside an archive with the offset in the inflated bytes', async () => {
    const copy = join(tempDir(), 'bad-archive');
    cpSync(fixtureDir('spec', 'rotated'), copy, { recursive: true });
    rmSync(join(copy, 'manifest.json'));
    const archive = readdirSync(copy).filter((f) => f.endsWith('.zz')).sort()[1];
    writeFileSync(join(copy, archive), readFileSync(join(copy, archive)).subarray(0, 20)); // cut the zlib stream
    const { code, json } = await jrnJson<VerifyDoc>(['verify', copy]);
    expect(code).toBe(EXIT_FAILURE);
    const bad = json.stores[0].files.find((f) => f.relativePath === archive)!;
    expect(bad.problems.length).toBeGreaterThan(0);
    expect(json.stores[0].files.filter((f) => f.relativePath !== archive).every((f) => f.problems.length === 0)).toBe(true);
  });

  it('never modifies what it reads', async () => {
    const before = readdirSync(CORRUPT).map((f) => readFileSync(join(CORRUPT, f)).toString('hex'));
    await jrn(['verify', CORRUPT]);
    expect(readdirSync(CORRUPT).map((f) => readFileSync(join(CORRUPT, f)).toString('hex'))).toEqual(before);
  });

  it('exits 2 when it cannot run', async () => {
    expect((await jrn(['verify', '/no/such/dir'])).code).toBe(EXIT_USAGE);
    expect((await jrn(['verify', CORRUPT, '--name', 'nope'])).code).toBe(EXIT_USAGE);
    expect((await jrn(['verify', tempDir()])).code).toBe(EXIT_USAGE);
  });
});
