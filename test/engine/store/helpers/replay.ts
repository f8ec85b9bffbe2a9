import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadJournalBytesSync } from '../../../../src/engine/files/inflate';
import { listStoreFiles, SNAPSHOTS_DIR } from '../../../../src/engine/files/storeFiles';
import { readJournal, type FrameRecord } from '../../../../src/engine/format/reader';
import { valuesEqual, type StateValue } from '../../../../src/engine/format/value';

/**
 * An independent replay of a store folder with the reader side only (files + format modules,
 * nothing of the writer): every generation in order, each one's compacted prefix checked
 * against the state the generations before it ended with, and the frames after the prefix
 * collected as the store's history.
 */
export interface HistoryRecord {
  scope: number;
  key: string;
  timestamp: number;
  value: StateValue | null;
}

export interface StateRecord {
  scope: number;
  key: string;
  timestamp: number;
  value: StateValue;
}

export interface FolderReplay {
  /** Store files in generation order (relative paths). */
  files: string[];
  journals: string[];
  archives: string[];
  /** Anything in the folder ending in .tmp. */
  temps: string[];
  history: HistoryRecord[];
  state: Map<string, StateRecord>;
  /** Read problems and prefix mismatches; empty for a healthy store. */
  problems: string[];
  frames: Map<string, FrameRecord[]>;
  /** Per file: how many leading frames restate the state before it (the compacted prefix). */
  prefixLength: Map<string, number>;
  /** Per file: its buffer length (inflated, for archives). */
  bufferLength: Map<string, number>;
}

export const id = (scope: number, key: string): string => `${scope}\u0000${key}`;

export function replayFolder(dir: string, name: string): FolderReplay {
  const files = listStoreFiles(dir, name);
  const result: FolderReplay = {
    files: files.map((f) => f.relativePath),
    journals: files.filter((f) => f.kind === 'journal').map((f) => f.relativePath),
    archives: files.filter((f) => f.kind === 'archive').map((f) => f.relativePath),
    temps: [
      ...readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      ...safeReaddir(join(dir, SNAPSHOTS_DIR)).filter((n) => n.endsWith('.tmp')),
    ],
    history: [],
    state: new Map(),
    problems: [],
    frames: new Map(),
    prefixLength: new Map(),
    bufferLength: new Map(),
  };
  let first = true;
  for (const file of files) {
    const loaded = loadJournalBytesSync(file.path);
    if (!loaded.ok) {
      result.problems.push(`${file.relativePath}: ${loaded.problem.message}`);
      continue;
    }
    const contents = readJournal(loaded.bytes, { file: file.relativePath });
    for (const p of contents.problems) if (p.severity === 'error') result.problems.push(`${file.relativePath}@${p.offset}: ${p.reason}: ${p.message}`);
    result.frames.set(file.relativePath, contents.frames);
    const prefixLength = first ? 0 : result.state.size;
    result.prefixLength.set(file.relativePath, prefixLength);
    result.bufferLength.set(file.relativePath, loaded.bytes.length);
    first = false;
    const seen = new Set<string>();
    for (let i = 0; i < prefixLength; i++) {
      const f = contents.frames[i];
      const expected = f && result.state.get(id(f.scope, f.key));
      if (!f || !expected || seen.has(id(f.scope, f.key)) || expected.timestamp !== f.timestamp || !valuesEqual(expected.value, f.value)) {
        result.problems.push(`${file.relativePath}: frame ${i} does not restate the live state`);
        break;
      }
      seen.add(id(f.scope, f.key));
    }
    for (const f of contents.frames.slice(prefixLength)) {
      result.history.push({ scope: f.scope, key: f.key, timestamp: f.timestamp, value: f.value });
      if (f.value === null) result.state.delete(id(f.scope, f.key));
      else result.state.set(id(f.scope, f.key), { scope: f.scope, key: f.key, timestamp: f.timestamp, value: f.value });
    }
  }
  return result;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
