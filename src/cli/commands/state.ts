import { stateRows } from '../../engine/export/rows';
import type { TimelineIndex, VersionRow } from '../../engine/timeline';
import { MAX_PAGE } from '../../engine/timeline/queries/stateAt';
import { choiceOpt, COMMON, defineCommand, FILTERS, filterOpts, flag, intOpt, readOpts, timestampOpt, type CommandSpec } from '../args';
import { EXIT_OK } from '../context';
import { openStore } from '../open';
import { humanScope, humanType, humanValue, isoTimestamp, JsonLines, Output, rowJson, showTimestamp, table, warnIncomplete } from '../output';

const spec: CommandSpec = {
  name: 'state',
  summary: 'Print the state at time T: every key whose value at T is set, sorted by scope then key.',
  usage: 'DIR [--at T] [filters] [--json]',
  details: `T is µs since the epoch or ISO-8601 with a zone (2024-01-01T00:00:07.123456Z).
Without --at: the latest state. Rows: scope, key, value, validFrom, validTo (exclusive;
empty while still valid).`,
  positionals: [{ name: 'DIR', required: true }],
  options: {
    at: { type: 'string', arg: 'T', help: 'The time (default: the latest version)' },
    ...FILTERS,
    sort: { type: 'string', arg: 'key|validFrom', help: 'Sort by scope and key (default) or by validFrom' },
    desc: { type: 'boolean', help: 'Descending order' },
    offset: { type: 'string', arg: 'N', help: 'Skip the first N rows' },
    limit: { type: 'string', arg: 'N', help: 'Print at most N rows (default: all)' },
    ...COMMON,
  },
};

/** Pages through a state answer: a single pass in key order, or stateAt pages otherwise. */
async function eachRow(
  index: TimelineIndex,
  at: number,
  query: { sort: 'key' | 'validFrom'; desc: boolean; offset: number; limit: number; filter: ReturnType<typeof filterOpts> },
  visit: (rows: VersionRow[]) => Promise<void>,
): Promise<void> {
  if (query.sort === 'key' && !query.desc) {
    const source = stateRows(index.internals, at, query.filter);
    const batch: VersionRow[] = [];
    let skipped = 0;
    let left = query.limit;
    while (left > 0 && source.next(Math.min(MAX_PAGE, query.offset - skipped + left), batch)) {
      let rows = batch;
      if (skipped < query.offset) {
        const skip = Math.min(query.offset - skipped, rows.length);
        skipped += skip;
        rows = rows.slice(skip);
      }
      if (rows.length > left) rows = rows.slice(0, left);
      left -= rows.length;
      if (rows.length) await visit(rows);
    }
    return;
  }
  let offset = query.offset;
  let left = query.limit;
  while (left > 0) {
    const page = index.stateAt(at, { ...query.filter, sort: query.sort, order: query.desc ? 'desc' : 'asc', offset, limit: Math.min(MAX_PAGE, left) });
    if (page.rows.length === 0) return;
    await visit(page.rows);
    offset += page.rows.length;
    left -= page.rows.length;
  }
}

export const stateCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const options = readOpts(values);
  const filter = filterOpts(values);
  const sort = choiceOpt(values, 'sort', ['key', 'validFrom'] as const) ?? 'key';
  const desc = flag(values, 'desc');
  const offset = intOpt(values, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = intOpt(values, 'limit', 0, Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER;
  let at = timestampOpt(values, 'at');
  const index = await openStore(positionals[0], options, io);
  at ??= index.summary().lastTimestamp ?? 0;
  const head = index.stateAt(at, { ...filter, limit: 0 });
  const out = new Output(io);
  const json = flag(values, 'json');
  const query = { sort, desc, offset, limit, filter };
  if (json) {
    await out.line(
      `{"store":${JSON.stringify(index.store)},"at":${at},"atIso":"${isoTimestamp(at)}","total":${head.total},` +
        `"complete":${head.complete},"incomplete":${JSON.stringify(head.incomplete)},"rows":[`,
    );
    const items = new JsonLines(out);
    await eachRow(index, at, query, async (rows) => {
      for (const row of rows) await items.item(rowJson(row));
    });
    await items.end(']}');
  } else {
    warnIncomplete(io, head, `the state at ${isoTimestamp(at)}`);
    await out.line(`State of "${index.store}" at ${showTimestamp(at)}: ${head.total} key${head.total === 1 ? '' : 's'}${head.complete ? '' : ' (INCOMPLETE: see warning)'}`);
    let printedHeader = false;
    await eachRow(index, at, query, async (rows) => {
      const cells = rows.map((r) => [humanScope(r.scope), r.key, humanType(r), humanValue(r.value, r.valueError), showTimestamp(r.validFrom), showTimestamp(r.validTo)]);
      const lines = table(['SCOPE', 'KEY', 'TYPE', 'VALUE', 'VALID FROM', 'VALID TO'], cells);
      for (const line of printedHeader ? lines.slice(1) : lines) await out.line(line);
      printedHeader = true;
    });
  }
  await out.flush();
  return EXIT_OK;
});
