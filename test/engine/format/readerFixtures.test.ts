import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJournalBytes } from '../../../src/engine/files/inflate';
import { listStoreFiles } from '../../../src/engine/files/storeFiles';
import { encodeFrame } from '../../../src/engine/format/frame';
import { encodePayload, type PayloadLayout } from '../../../src/engine/format/payload';
import { readJournal, type JournalContents } from '../../../src/engine/format/reader';
import { allFixtureStores, fixtureDir, manifestValue, readManifest, SCENARIOS, type ManifestFrame } from '../../support/fixtures';
interface ReferenceManifest {
  store_name: string;
  files: { path: string; frame_count: number; frames: ManifestFrame[] }[];
}

async function readFixtureFile(path: string): Promise<{ bytes: Buffer; contents: JournalContents }> {
  const loaded = await loadJournalBytes(path);
  if (!loaded.ok) throw new Error(loaded.problem.message);
  return { bytes: loaded.bytes, contents: readJournal(loaded.bytes, { file: path }) };
}

/** A store's files in generation order, read. */
async function readStore(dir: string, store: string) {
  return Promise.all(listStoreFiles(dir, store).map(async (f) => ({ file: f, ...(await readFixtureFile(f.path)) })));
}

const EXPECTED_LAYOUT: Record<string, { variant: 'v17' | 'v9'; payload: PayloadLayout }> = {
  'reference-4255c9b1': { variant: 'v17', payload: 'state-value' },
  'upstream-head': { variant: 'v9', payload: 'state-value' },
  spec: { variant: 'v17', payload: 'key-value-pair' },
};

describe.each(allFixtureStores())('reader on fixture $layout/$scenario', ({ layout, scenario, dir }) => {
  const reference = readManifest(fixtureDir('reference-4255c9b1', scenario)) as unknown as ReferenceManifest;

  it('reads every file whole, detecting header variant and payload layout', async () => {
    const files = await readStore(dir, reference.store_name);
    expect(files.length).toBe(reference.files.length);
    for (const { file, contents } of files) {
      expect(contents.problems, file.relativePath).toEqual([]);
      expect(contents.header?.variant, file.relativePath).toBe(EXPECTED_LAYOUT[layout].variant);
      expect(contents.payloadLayout, file.relativePath).toBe(EXPECTED_LAYOUT[layout].payload);
    }
  });

  it('holds the same frames (scope, key, timestamp, value) as the reference store, file by file', async () => {
    const ours = await readStore(dir, reference.store_name);
    const theirs = await readStore(fixtureDir('reference-4255c9b1', scenario), reference.store_name);
    const simple = (c: JournalContents) => c.frames.map((f) => [f.scope, f.key, f.timestamp, manifestValue(f.value)]);
    expect(ours.map((f) => simple(f.contents))).toEqual(theirs.map((f) => simple(f.contents)));
  });

  it('re-encodes every frame to its original bytes', async () => {
    let deletesWithEmptyValue = 0;
    for (const { bytes, contents } of await readStore(dir, reference.store_name)) {
      for (const f of contents.frames) {
        const original = bytes.subarray(f.offset, f.offset + f.length);
        const encode = (form: 'omit-value' | 'empty-value') =>
          encodeFrame(f.scope, f.key, f.timestamp, encodePayload(contents.payloadLayout, f.key, f.value, form));
        if (f.value === null && !encode('omit-value').equals(original)) {
          // The design document allows a DELETE with an empty value too; spec files hold both.
          expect(encode('empty-value')).toEqual(original);
          deletesWithEmptyValue++;
        } else {
          expect(encode('omit-value')).toEqual(original);
        }
      }
    }
    if (layout === 'spec' && scenario !== 'small') expect(deletesWithEmptyValue).toBeGreaterThan(0);
  });
});

describe.each(SCENARIOS)('reader against the reference manifest of %s', (scenario) => {
  const dir = fixtureDir('reference-4255c9b1', scenario);
  const manifest = readManifest(dir) as unknown as ReferenceManifest;

  it.each(manifest.files.map((f) => [f.path, f] as const))('%s: every frame as listed', async (_, file) => {
    const { bytes, contents } = await readFixtureFile(resolve(dir, file.path));
    expect(contents.frames.length).toBe(file.frame_count);
    const actual = contents.frames.map((f) => ({
      offset: f.offset,
      len: f.length,
      scope: f.scope,
      key: f.key,
      ts: f.timestamp,
      value: manifestValue(f.value),
      raw_hex: bytes.subarray(f.offset, f.offset + f.length).toString('hex'),
    }));
    const expected = file.frames.map(({ offset, len, scope, key, ts, value, raw_hex }) => ({ offset, len, scope, key, ts, value, raw_hex }));
    expect(actual).toEqual(expected);
  });
});
