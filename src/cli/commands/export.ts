import { extname, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { exportHistory, exportState, type ExportResult, type ExportTarget } from '../../engine/export';
import { choiceOpt, COMMON, defineCommand, FILTERS, filterOpts, flag, intOpt, readOpts, str, timestampOpt, type CommandSpec } from '../args';
import { EXIT_OK, UsageError } from '../context';
import { openStore } from '../open';
import { isoTimestamp, Output, warnIncomplete } from '../output';
import { Progress } from '../progress';

const FORMATS = ['json', 'ndjson', 'csv', 'parquet', 'journal'] as const;
type Format = (typeof FORMATS)[number];

const BY_EXTENSION: Record<string, Format> = { '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv', '.parquet': 'parquet' };

const spec: CommandSpec = {
  name: 'export',
  summary: 'Export the state at T, or the full version history, to JSON, NDJSON, CSV, Parquet or a new journal store.',
  usage: 'DIR [--at T | --history] [--format F] [--out PATH] [filters] [options]',
  details: `State at T (--at; default: the latest state): json, ndjson, csv, parquet, or journal
(a restore point: a new store NAME.jrn.0 in the new or empty folder --out, each value
written with its original timestamp). Full history (--history: every version with validFrom
and validTo, deletes as versions whose value is null): json, ndjson, csv, parquet.
The format defaults from the --out extension. Without --out (or with -), text and Parquet
go to standard output. Output inside the store's folder is refused. Ctrl-C cancels and
removes the partial output.`,
  positionals: [{ name: 'DIR', required: true }],
  options: {
    at: { type: 'string', arg: 'T', help: 'Export the state at T (default: the latest state)' },
    history: { type: 'boolean', help: 'Export every version instead of a state' },
    format: { type: 'string', arg: 'F', help: `One of ${FORMATS.join(', ')} (default: from the --out extension)` },
    out: { type: 'string', short: 'o', arg: 'PATH', help: 'Output file (folder for journal); - or none = standard output' },
    force: { type: 'boolean', help: 'Replace an existing output file' },
    ...FILTERS,
    storeName: { type: 'string', arg: 'NAME', help: 'journal: the new store NAME (default: the source store name)' },
    layout: { type: 'string', arg: 'spec|upstream', help: "journal: the new store's layout (default: the source's)" },
    rowGroupSize: { type: 'string', arg: 'N', help: 'Parquet rows per row group (default 50000)' },
    ...COMMON,
  },
};

export const exportCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const options = readOpts(values);
  const filter = filterOpts(values);
  const history = flag(values, 'history');
  let at = timestampOpt(values, 'at');
  if (history && at !== undefined) throw new UsageError('export: give either --at T (a state) or --history, not both');
  const outText = str(values, 'out');
  const toStdout = outText === undefined || outText === '-';
  let format = choiceOpt(values, 'format', FORMATS);
  if (format === undefined) {
    format = toStdout ? undefined : BY_EXTENSION[extname(outText!).toLowerCase()];
    if (format === undefined) throw new UsageError(`export: give --format (${FORMATS.join(', ')})${toStdout ? '' : `: cannot tell it from "${outText}"`}`);
  }
  if (history && format === 'journal') throw new UsageError('export: a journal export is a state (--at T), not --history');
  if (format === 'journal' && toStdout) throw new UsageError('export: a journal export needs --out FOLDER (a new or empty folder)');
  const layout = choiceOpt(values, 'layout', ['spec', 'upstream'] as const);
  const rowGroupSize = intOpt(values, 'rowGroupSize', 1, 10_000_000);
  const index = await openStore(positionals[0], options, io);
  const out: ExportTarget = toStdout ? (io.stdoutStream ?? stdoutAdapter(io)) : resolve(io.cwd ?? process.cwd(), outText!);
  const progress = new Progress(io, 'exporting', ' rows');
  let result: ExportResult;
  try {
    const common = { filter, out, overwrite: flag(values, 'force'), onProgress: progress.update, signal: io.signal, rowGroupSize };
    if (history) {
      result = await exportHistory(index, { ...common, format: format as Exclude<Format, 'journal'> });
    } else {
      at ??= index.summary().lastTimestamp ?? 0;
      result = await exportState(index, { ...common, at, format, storeName: str(values, 'storeName'), layout });
    }
  } finally {
    progress.done();
  }
  warnIncomplete(io, result, history ? 'this history' : `the state at ${isoTimestamp(at!)}`);
  if (toStdout) return EXIT_OK;
  const report = new Output(io);
  if (flag(values, 'json')) {
    await report.line(JSON.stringify({ store: index.store, kind: history ? 'history' : 'state', at: history ? null : at, ...result }));
  } else {
    const what = history ? `${result.rows} versions (${result.tombstones} deletes) of ${result.keys} keys` : `${result.rows} keys at ${isoTimestamp(at!)}`;
    await report.line(`exported ${what} as ${result.format} to ${result.path} (${result.bytes} bytes)`);
    if (result.invalid) await report.line(`  ${result.invalid} undecodable value(s) ${format === 'journal' ? 'skipped' : 'exported with type "invalid"'}`);
  }
  await report.flush();
  return EXIT_OK;
});

/** A minimal writable over io.stdout, for callers (tests) that give no stream. */
function stdoutAdapter(io: { stdout(text: string): void }): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      io.stdout(chunk.toString('utf8'));
      callback();
    },
  });
}
