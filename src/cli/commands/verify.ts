import { relative, resolve } from 'node:path';
import { listStores } from '../../engine/files/storeFiles';
import type { Problem } from '../../engine/format/problems';
import { generationGapProblems, leftoverJournalProblems, type IncompleteRange } from '../../engine/timeline';
import { verifyStore, type FileReport } from '../../engine/verify';
import { COMMON, defineCommand, flag, readOpts, type CommandSpec } from '../args';
import { EXIT_FAILURE, EXIT_OK, InputError, type CliIo } from '../context';
import { openIndex, resolveStore, type StoreTarget } from '../open';
import { Output, rangeText } from '../output';
import { Progress } from '../progress';

const spec: CommandSpec = {
  name: 'verify',
  summary: 'Check every file of a store completely and report every problem with file, offset and reason.',
  usage: 'DIR [--name NAME] [--json]',
  details: `Reads every frame of every journal and archive (CRC, fields, payload), checks that
generations connect, and lists the time ranges whose answers are affected (incomplete
history). A generation missing between two others is an error; missing oldest generations
(archives deleted by retention) are a warning. Never modifies a file. Without --name, every
store in DIR is checked.
Exit code: 0 = no errors (warnings allowed), 1 = errors found, 2 = cannot run.`,
  positionals: [{ name: 'DIR', required: true }],
  options: { name: COMMON.name, json: COMMON.json, headerVariant: COMMON.headerVariant, payloadLayout: COMMON.payloadLayout },
};

interface StoreReport {
  store: string;
  dir: string;
  ok: boolean;
  errors: number;
  warnings: number;
  files: (Omit<FileReport, 'problems'> & { problems: Problem[] })[];
  /** Problems found across generations (gaps, prefixes that do not connect), not tied to a file read. */
  problems: Problem[];
  complete: boolean;
  incomplete: IncompleteRange[];
}

const problemKey = (p: Problem) => `${p.file}\u0000${p.offset}\u0000${p.reason}`;

async function verifyOne(target: StoreTarget, options: ReturnType<typeof readOpts>, io: CliIo): Promise<StoreReport> {
  const progress = new Progress(io, `verifying ${target.store}:`, ' files');
  let files: FileReport[];
  try {
    const report = await verifyStore(target.dir, target.store, { signal: io.signal, onProgress: progress.update });
    files = target.files ? report.files.filter((f) => target.files!.includes(resolve(f.file))) : report.files;
  } finally {
    progress.done();
  }
  const index = await openIndex(target, options, io);
  const summary = index.summary();
  const seen = new Set(files.flatMap((f) => f.problems.map(problemKey)));
  const byFile = new Map(files.map((f) => [f.file, f]));
  const storeProblems: Problem[] = [];
  for (const p of summary.problems) {
    if (seen.has(problemKey(p))) continue;
    seen.add(problemKey(p));
    const file = byFile.get(p.file);
    if (file) file.problems.push(p);
    else storeProblems.push(p);
  }
  // An old journal left uncompressed is said of that file.
  for (const p of leftoverJournalProblems(summary.generations)) (byFile.get(p.file)?.problems ?? storeProblems).push(p);
  // Missing generations are not a problem inside any file: report them for the store.
  storeProblems.push(...generationGapProblems(target.dir, summary.generations, summary.problems));
  for (const f of files) f.problems.sort((a, b) => a.offset - b.offset);
  const all = [...files.flatMap((f) => f.problems), ...storeProblems];
  const errors = all.filter((p) => p.severity === 'error').length;
  return {
    store: target.store,
    dir: target.dir,
    ok: errors === 0,
    errors,
    warnings: all.length - errors,
    files,
    problems: storeProblems,
    complete: summary.incomplete.length === 0,
    incomplete: summary.incomplete,
  };
}

function problemLine(p: Problem): string {
  const at = p.offset >= 0 ? ` at offset ${p.offset}` : '';
  return `${p.severity}${at}: ${p.reason}: ${p.message}`;
}

export const verifyCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const options = readOpts(values);
  let targets: StoreTarget[];
  try {
    targets = [resolveStore(positionals[0], options, io)];
  } catch (err) {
    // A folder of several stores: check them all.
    const dir = resolve(io.cwd ?? process.cwd(), positionals[0]);
    const stores = options.name === undefined && err instanceof InputError ? listStores(dir) : [];
    if (stores.length < 2) throw err;
    targets = stores.map((store) => ({ dir, store }));
  }
  const reports: StoreReport[] = [];
  for (const target of targets) reports.push(await verifyOne(target, options, io));
  const ok = reports.every((r) => r.ok);
  const out = new Output(io);
  if (flag(values, 'json')) {
    await out.line(JSON.stringify({ dir: targets[0].dir, ok, stores: reports }));
  } else {
    for (const r of reports) {
      const frames = r.files.reduce((n, f) => n + f.frames, 0);
      const verdict = r.ok ? (r.warnings ? `OK with ${r.warnings} warning(s)` : 'OK') : `${r.errors} error(s)${r.warnings ? `, ${r.warnings} warning(s)` : ''}`;
      await out.line(`Store "${r.store}": ${verdict} (${r.files.length} file${r.files.length === 1 ? '' : 's'}, ${frames} good frames)`);
      for (const f of r.files) {
        const gen = f.generation === null ? 'generation ?' : `generation ${f.generation}`;
        await out.line(`  ${f.relativePath}  ${f.kind}, ${gen}, ${f.frames} frames: ${f.problems.length ? `${f.problems.length} problem(s)` : 'ok'}`);
        for (const p of f.problems) await out.line(`    ${problemLine(p)}`);
      }
      for (const p of r.problems) await out.line(`  ${relative(r.dir, p.file) || '.'}: ${problemLine(p)}`);
      if (r.incomplete.length) {
        await out.line('  Affected (history incomplete over):');
        for (const range of r.incomplete) await out.line(`    ${rangeText(range)}`);
      }
    }
  }
  await out.flush();
  return ok ? EXIT_OK : EXIT_FAILURE;
});
