import { toTagged } from '../../engine/format/taggedJson';
import type { WriteEntry } from '../../engine/timeline';
import { COMMON, defineCommand, flag, intOpt, readOpts, timestampOpt, type CommandSpec } from '../args';
import { EXIT_OK, UsageError } from '../context';
import { openStore } from '../open';
import { humanScope, humanValue, JsonLines, Output, showTimestamp, table, warnIncomplete } from '../output';

const spec: CommandSpec = {
  name: 'changes',
  summary: 'List the write log between two times (inclusive): every write and delete once, in journal order.',
  usage: 'DIR [--from T] [--to T] [--offset N] [--limit N] [--json]',
  details: `Restated entries (the live state copied into each new generation) are not writes and are
not listed. A write superseded by a later write of the same key with the same timestamp is
marked: it never answers a read.`,
  positionals: [{ name: 'DIR', required: true }],
  options: {
    from: { type: 'string', arg: 'T', help: 'From this time (inclusive; default: the beginning)' },
    to: { type: 'string', arg: 'T', help: 'Up to this time (inclusive; default: the end)' },
    offset: { type: 'string', arg: 'N', help: 'Skip the first N writes' },
    limit: { type: 'string', arg: 'N', help: 'Print at most N writes (default: all)' },
    ...COMMON,
  },
};

function writeJson(w: WriteEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    scope: w.scope,
    key: w.key,
    timestamp: w.timestamp,
    value: w.value === null ? null : toTagged(w.value),
    superseded: w.superseded,
    generation: w.generation,
    fileOffset: w.fileOffset,
  };
  if (w.valueError !== undefined) out.valueError = w.valueError;
  return out;
}

export const changesCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const options = readOpts(values);
  const from = timestampOpt(values, 'from') ?? null;
  const to = timestampOpt(values, 'to') ?? null;
  if (from !== null && to !== null && from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
  const offset = intOpt(values, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = intOpt(values, 'limit', 0, Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER;
  const index = await openStore(positionals[0], options, io);
  const head = index.changes(from, to, { limit: 0 });
  const json = flag(values, 'json');
  const out = new Output(io);
  if (json) {
    await out.line(
      `{"store":${JSON.stringify(index.store)},"from":${from},"to":${to},"total":${head.total},` +
        `"complete":${head.complete},"incomplete":${JSON.stringify(head.incomplete)},"writes":[`,
    );
  } else {
    warnIncomplete(io, head, 'this write log');
    await out.line(`Writes of "${index.store}" ${from === null ? 'from the beginning' : `from ${showTimestamp(from)}`} ${to === null ? 'to the end' : `to ${showTimestamp(to)}`}: ${head.total}`);
  }
  let printed = 0;
  let position = offset;
  let first = true;
  const items = new JsonLines(out);
  while (printed < limit) {
    const page = index.changes(from, to, { offset: position, limit: Math.min(10_000, limit - printed) });
    if (page.writes.length === 0) break;
    if (json) {
      for (const w of page.writes) await items.item(writeJson(w));
    } else {
      const cells = page.writes.map((w) => [
        showTimestamp(w.timestamp),
        `${w.generation}@${w.fileOffset}`,
        humanScope(w.scope),
        w.key,
        w.value === null && w.valueError === undefined ? 'DELETE' : `= ${humanValue(w.value, w.valueError)}`,
        w.superseded ? '(superseded)' : '',
      ]);
      const lines = table(['TIMESTAMP', 'GEN@OFFSET', 'SCOPE', 'KEY', 'WRITE', ''], cells);
      for (const line of first ? lines : lines.slice(1)) await out.line(line);
      first = false;
    }
    printed += page.writes.length;
    position += page.writes.length;
  }
  if (json) await items.end(']}');
  await out.flush();
  return EXIT_OK;
});
