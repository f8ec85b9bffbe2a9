import { join } from 'node:path';
import { HEADER_SIZE, readHeader, type HeaderVariant } from '../format/header';
import type { PayloadLayout } from '../format/payload';
import { problem, type Problem } from '../format/problems';
import type { ArchiveJob } from './archiver';
import { StoreOpenError } from './errors';
import { emitTo, type StoreEventListener } from './events';
import type { FileLayer } from './fileLayer';
import { ActiveJournal, bestEffort, createJournal } from './journalFile';
import { replayJournal, restatesLiveState, type ReplayedJournal } from './journalReplay';
import { formatFor, journalFileName, type ArchiveStyle, type StoreFormat, type StoreLayout } from './layout';
import { LiveIndex } from './liveIndex';
import { scanStore, type ScannedJournal, type StoreScan } from './storeScan';

/** What opening found and did; `dataLoss` 'partial' means frames of the active journal were unreadable. */
export interface OpenReport {
  created: boolean;
  generation: number;
  format: StoreFormat;
  dataLoss: 'none' | 'partial';
  /** Problems found in the active journal (file, offset, reason), warnings included. */
  problems: Problem[];
  /** Incomplete new generations (a crash during a rotation, before activation) that were deleted. */
  discardedGenerations: string[];
  /** Old generations left by an interrupted rotation; they are archived in the background. */
  leftoverJournals: string[];
  removedTempFiles: string[];
}

export interface OpenedStore {
  format: StoreFormat;
  journal: ActiveJournal;
  live: LiveIndex;
  /** Largest timestamp in the active journal's frames. */
  journalMaxTimestamp: number;
  /** Timestamps continue from here (clamping). */
  lastTimestamp: number;
  /** The active journal lost frames: rotate at once, so its bytes are archived as they are. */
  damaged: boolean;
  leftovers: ArchiveJob[];
  report: OpenReport;
}

export interface OpenInput {
  layer: FileLayer;
  dir: string;
  name: string;
  layout: StoreLayout;
  headerVariant?: HeaderVariant;
  initialBufferSize: number;
  fsync: boolean;
  onEvent?: StoreEventListener;
}

/**
 * Opens (or creates) the store's active journal, recovering from an interrupted rotation:
 * 1. leftover temporary archive files are removed;
 * 2. the active journal is the highest generation. If the generation below it still exists as
 *    a journal, the rotation between them may not have finished: the new one is complete only
 *    if its header was written and its first frames restate the old one's final live state
 *    exactly (the rotation copies those frames byte for byte before activating). Otherwise it
 *    is deleted and the old generation is active again — it never received a write;
 * 3. older journals left behind are queued for archiving;
 * 4. a damaged tail keeps the good prefix and is reported; a header that cannot be read
 *    refuses the open (StoreOpenError) without touching the file.
 */
export function openStoreFiles(input: OpenInput): OpenedStore {
  const { layer, dir, name, onEvent } = input;
  layer.mkdirp(dir);
  const scan = scanStore(layer, dir, name);
  const report: Omit<OpenReport, 'generation' | 'format'> = {
    created: false,
    dataLoss: 'none',
    problems: [],
    discardedGenerations: [],
    leftoverJournals: [],
    removedTempFiles: [],
  };
  for (const temp of scan.temps) {
    layer.unlink(temp);
    report.removedTempFiles.push(temp);
    emitTo(onEvent, { type: 'removed-temp-file', path: temp });
  }

  const journals = [...scan.journals];
  while (journals.length > 0) {
    const active = journals[journals.length - 1];
    const older = journals.length > 1 && journals[journals.length - 2].generation === active.generation - 1 ? journals[journals.length - 2] : null;
    const bytes = layer.readFile(active.path);
    const verdict = judgeActive(layer, active, bytes, older);
    if (verdict.kind === 'incomplete') {
      layer.unlink(active.path);
      report.discardedGenerations.push(active.path);
      emitTo(onEvent, { type: 'discarded-incomplete-generation', path: active.path, reason: verdict.reason });
      journals.pop();
      continue;
    }
    if (verdict.kind === 'blank') {
      // An all-zero file holds no data: a crash while creating the store's first journal.
      return createFresh(input, scan, active.generation, { ...report, created: true });
    }
    const replayed = verdict.replayed;
    const format = detectFormat(input, scan, replayed, verdict.olderLayout);
    if (verdict.warning) report.problems.push(verdict.warning);
    report.problems.push(...replayed.problems);
    if (replayed.damaged) report.dataLoss = 'partial';
    const leftovers: ArchiveJob[] = journals.slice(0, -1).map((j) => ({ generation: j.generation, journalPath: j.path, bytes: null, t: null }));
    report.leftoverJournals.push(...leftovers.map((j) => j.journalPath));
    const fd = layer.open(active.path, 'existing');
    const position = replayed.damaged ? replayed.goodEnd : Math.max(replayed.header!.position, replayed.goodEnd);
    if (!replayed.damaged) clearUncommittedTail(layer, fd, bytes, position);
    const journal = new ActiveJournal(layer, active.path, active.generation, fd, bytes, position, replayed.header!.variant);
    const archivedT = Math.max(0, ...scan.archives.map((a) => a.t));
    return {
      format,
      journal,
      live: replayed.live,
      journalMaxTimestamp: replayed.maxTimestamp,
      // The old generation left behind (not archived yet) may end with deletes newer than
      // anything the active journal restates: timestamps go on from there too.
      lastTimestamp: Math.max(replayed.maxTimestamp, verdict.olderMaxTimestamp, archivedT),
      damaged: replayed.damaged,
      leftovers,
      report: { ...report, generation: active.generation, format },
    };
  }
  const next = Math.max(-1, ...scan.archives.map((a) => a.generation ?? -1)) + 1;
  return createFresh(input, scan, next, { ...report, created: true });
}

type Verdict =
  | { kind: 'incomplete'; reason: string }
  | { kind: 'blank' }
  | {
      kind: 'active';
      replayed: ReplayedJournal;
      olderLayout: PayloadLayout | null;
      warning: Problem | null;
      /** Largest timestamp in the older generation left behind (0 when there is none). */
      olderMaxTimestamp: number;
    };

function judgeActive(layer: FileLayer, active: ScannedJournal, bytes: Buffer, older: ScannedJournal | null): Verdict {
  // Zeros where any header variant has its version byte: the header was never written.
  if (isAllZero(bytes, 0, Math.min(bytes.length, HEADER_SIZE.v9))) {
    if (older) return { kind: 'incomplete', reason: 'its header was never written' };
    if (isAllZero(bytes, 0, bytes.length)) return { kind: 'blank' };
  }
  const { header, problems } = readHeader(bytes, active.path);
  if (!header || header.position < header.size) {
    // Refuse rather than recreate: the bytes may still be recoverable by other means.
    const p = problems.find((q) => q.severity === 'error');
    throw new StoreOpenError(active.path, p?.offset ?? 0, p?.reason ?? 'unreadable-header', p?.message ?? 'the journal header cannot be read');
  }
  if (!older) return { kind: 'active', replayed: replayJournal(bytes, active.path), olderLayout: null, warning: null, olderMaxTimestamp: 0 };
  const olderBytes = layer.readFile(older.path);
  const olderReplay = replayJournal(olderBytes, older.path);
  const replayed = replayJournal(bytes, active.path, { prefixFrames: olderReplay.live.size });
  if (restatesLiveState(olderBytes, olderReplay.live, bytes, replayed.prefix)) {
    return {
      kind: 'active',
      replayed,
      olderLayout: olderReplay.payloadLayoutDetected ? olderReplay.payloadLayout : null,
      warning: null,
      olderMaxTimestamp: olderReplay.maxTimestamp,
    };
  }
  if (!olderReplay.damaged) return { kind: 'incomplete', reason: `its first ${replayed.prefix.length} frames do not restate the ${olderReplay.live.size} live keys of ${older.path}` };
  // The older generation is itself damaged, so the comparison proves nothing: keep the newer one.
  const warning = problem(active.path, -1, 'prefix-mismatch', `the compacted state does not match ${older.path}, which is damaged; kept as the active journal`, 'warning');
  return { kind: 'active', replayed, olderLayout: null, warning, olderMaxTimestamp: olderReplay.maxTimestamp };
}

/**
 * Non-zero bytes past the position of an undamaged journal are a write that never committed (a
 * crash between the frame write and the header update): taken back as a failed write is
 * (ActiveJournal.rollBack), so the tail is zeros again and no shorter write later leaves part
 * of it behind, in the journal or in its archive. Best-effort: no reader looks past position.
 */
function clearUncommittedTail(layer: FileLayer, fd: number, bytes: Buffer, position: number): void {
  let end = bytes.length;
  while (end > position && bytes[end - 1] === 0) end--;
  if (end <= position) return;
  bytes.fill(0, position, end);
  bestEffort(() => layer.pwrite(fd, bytes, position, end - position, position));
}

function isAllZero(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * The layout of an existing store wins over the options: the header from the file, the
 * payload from the frames (or the older generation), the archive style from existing archives.
 */
function detectFormat(input: OpenInput, scan: StoreScan, replayed: ReplayedJournal, olderLayout: PayloadLayout | null): StoreFormat {
  const preferred = formatFor(input.layout, input.headerVariant);
  const payloadLayout = replayed.payloadLayoutDetected ? replayed.payloadLayout : (olderLayout ?? archivesPayload(scan) ?? preferred.payloadLayout);
  const archiveStyle = archivesStyle(scan) ?? (payloadLayout === preferred.payloadLayout ? preferred.archiveStyle : payloadLayout === 'state-value' ? 'upstream' : 'spec');
  return { headerVariant: replayed.header!.variant, payloadLayout, archiveStyle };
}

function archivesStyle(scan: StoreScan): ArchiveStyle | null {
  if (scan.archives.some((a) => a.style === 'upstream')) return 'upstream';
  return scan.archives.length > 0 ? 'spec' : null;
}

function archivesPayload(scan: StoreScan): PayloadLayout | null {
  const style = archivesStyle(scan);
  return style === null ? null : style === 'upstream' ? 'state-value' : 'key-value-pair';
}

function createFresh(input: OpenInput, scan: StoreScan, generation: number, report: Omit<OpenReport, 'generation' | 'format'>): OpenedStore {
  const preferred = formatFor(input.layout, input.headerVariant);
  const format: StoreFormat = { ...preferred, archiveStyle: archivesStyle(scan) ?? preferred.archiveStyle };
  const path = join(input.dir, journalFileName(input.name, generation));
  const journal = createJournal(input.layer, path, generation, input.initialBufferSize, format.headerVariant, (_b, start) => start, input.fsync);
  const archivedT = Math.max(0, ...scan.archives.map((a) => a.t));
  const leftovers = scan.journals.filter((j) => j.generation < generation).map((j) => ({ generation: j.generation, journalPath: j.path, bytes: null, t: null }));
  return {
    format,
    journal,
    live: new LiveIndex(),
    journalMaxTimestamp: 0,
    lastTimestamp: archivedT,
    damaged: false,
    leftovers,
    report: { ...report, leftoverJournals: leftovers.map((l) => l.journalPath), generation, format },
  };
}
