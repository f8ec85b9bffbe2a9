import type { DiffEntry, DiffResult } from '../../engine/timeline';
import { COMMON, defineCommand, FILTERS, filterOpts, flag, readOpts, timestampOpt, type CommandSpec } from '../args';
import { EXIT_OK, UsageError } from '../context';
import { openStore } from '../open';
import { humanScope, humanValue, JsonLines, Output, showTimestamp, versionJson, warnIncomplete } from '../output';

const spec: CommandSpec = {
  name: 'diff',
  summary: 'Show what changed between two times: keys added, removed and changed (old and new values).',
  usage: 'DIR --from T1 --to T2 [filters] [--rewritten] [--json]',
  details: `A key written again with an identical value is "rewritten", not changed: listed only
with --rewritten. T1 may be after T2 (then the roles swap).`,
  positionals: [{ name: 'DIR', required: true }],
  options: {
    from: { type: 'string', arg: 'T1', help: 'The earlier time' },
    to: { type: 'string', arg: 'T2', help: 'The later time' },
    ...FILTERS,
    rewritten: { type: 'boolean', help: 'Also list keys rewritten with the same value' },
    ...COMMON,
  },
};

const MARK: Record<DiffEntry['kind'], string> = { added: '+', removed: '-', changed: '~', rewritten: '=' };

export function entryJson(e: DiffEntry): Record<string, unknown> {
  return { kind: e.kind, scope: e.scope, key: e.key, before: e.before && versionJson(e.before), after: e.after && versionJson(e.after) };
}

/** Every entry of a diff, paging through the engine's pages. */
export function fullDiff(page: (offset: number) => DiffResult): DiffResult {
  const first = page(0);
  const entries = [...first.entries];
  while (entries.length < first.total) {
    const next = page(entries.length);
    if (next.entries.length === 0) break;
    entries.push(...next.entries);
  }
  return { ...first, entries };
}

export const diffCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const options = readOpts(values);
  const from = timestampOpt(values, 'from');
  const to = timestampOpt(values, 'to');
  if (from === undefined || to === undefined) throw new UsageError('diff: give both --from T1 and --to T2');
  const filter = filterOpts(values);
  const includeRewritten = flag(values, 'rewritten');
  const index = await openStore(positionals[0], options, io);
  const result = fullDiff((offset) => index.diff(from, to, { ...filter, includeRewritten, offset, limit: 10_000 }));
  const out = new Output(io);
  if (flag(values, 'json')) {
    await out.line(
      `{"store":${JSON.stringify(index.store)},"from":${from},"to":${to},"total":${result.total},"counts":${JSON.stringify(result.counts)},` +
        `"complete":${result.complete},"incomplete":${JSON.stringify(result.incomplete)},"entries":[`,
    );
    const items = new JsonLines(out);
    for (const entry of result.entries) await items.item(entryJson(entry));
    await items.end(']}');
  } else {
    warnIncomplete(io, result, 'this diff');
    const c = result.counts;
    const parts = [`${c.added} added`, `${c.removed} removed`, `${c.changed} changed`];
    if (includeRewritten) parts.push(`${c.rewritten} rewritten`);
    await out.line(`Diff of "${index.store}" from ${showTimestamp(from)} to ${showTimestamp(to)}: ${parts.join(', ')}`);
    for (const e of result.entries) {
      const name = `[${humanScope(e.scope)}] ${JSON.stringify(e.key)}`;
      const b = e.before && humanValue(e.before.value, e.before.valueError);
      const a = e.after && humanValue(e.after.value, e.after.valueError);
      let text: string;
      if (e.kind === 'added') text = `${name} = ${a}  (since ${showTimestamp(e.after!.validFrom)})`;
      else if (e.kind === 'removed') text = `${name} (was ${b}${e.before!.validTo === null ? '' : `; deleted at ${showTimestamp(e.before!.validTo)}`})`;
      else if (e.kind === 'changed') text = `${name}: ${b} -> ${a}  (at ${showTimestamp(e.after!.validFrom)})`;
      else text = `${name}: rewritten with the same value ${a}  (at ${showTimestamp(e.after!.validFrom)})`;
      await out.line(`${MARK[e.kind]} ${text}`);
    }
  }
  await out.flush();
  return EXIT_OK;
});
