import { COMMON, defineCommand, flag, intOpt, readOpts, scopeOpt, timestampOpt, type CommandSpec } from '../args';
import { EXIT_OK, UsageError } from '../context';
import { openStore, scopeOfKey } from '../open';
import { humanScope, humanType, humanValue, Output, showTimestamp, table, versionJson, warnIncomplete } from '../output';

const spec: CommandSpec = {
  name: 'history',
  summary: "List a key's versions whose validity [validFrom, validTo) overlaps [--from, --to] (KIP-968).",
  usage: 'DIR KEY [--scope N] [--from T] [--to T] [--desc] [--tombstones] [--limit N] [--json]',
  details: `Either bound may be left open. Deletes are not versions a read returns; with
--tombstones they are listed too, as versions whose value is null ("(deleted)").`,
  positionals: [
    { name: 'DIR', required: true },
    { name: 'KEY', required: true },
  ],
  options: {
    scope: { type: 'string', arg: 'N', help: "The key's scope (default: the one scope holding KEY)" },
    from: { type: 'string', arg: 'T', help: 'Start of the range (inclusive; default: open)' },
    to: { type: 'string', arg: 'T', help: 'End of the range (inclusive; default: open)' },
    desc: { type: 'boolean', help: 'Newest first' },
    tombstones: { type: 'boolean', help: 'Also list deletes (value null)' },
    limit: { type: 'string', arg: 'N', help: 'At most N versions, the first in the order listed (default: all)' },
    ...COMMON,
  },
};

export const historyCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const options = readOpts(values);
  const from = timestampOpt(values, 'from') ?? null;
  const to = timestampOpt(values, 'to') ?? null;
  if (from !== null && to !== null && from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
  const givenScope = scopeOpt(values);
  const order = flag(values, 'desc') ? 'desc' : 'asc';
  const tombstones = flag(values, 'tombstones');
  const limit = intOpt(values, 'limit', 0, Number.MAX_SAFE_INTEGER);
  const index = await openStore(positionals[0], options, io);
  const key = positionals[1];
  const scope = scopeOfKey(index, key, givenScope);
  const answer = scope === null ? { versions: [], total: 0, complete: true, incomplete: [] } : index.history(scope, key, { from, to, order, tombstones, limit });
  const out = new Output(io);
  if (flag(values, 'json')) {
    await out.line(
      JSON.stringify({
        store: index.store,
        scope,
        key,
        from,
        to,
        order,
        tombstones,
        versions: answer.versions.map(versionJson),
        total: answer.total,
        complete: answer.complete,
        incomplete: answer.incomplete,
      }),
    );
  } else {
    warnIncomplete(io, answer, 'this history');
    const range = from === null && to === null ? 'all time' : `[${from === null ? 'open' : showTimestamp(from)}, ${to === null ? 'open' : showTimestamp(to)}]`;
    const name = `${scope === null ? '' : `[${humanScope(scope)}] `}${JSON.stringify(key)}`;
    const n = answer.total;
    const shown = answer.versions.length < n ? ` (the first ${answer.versions.length} listed)` : '';
    await out.line(`History of ${name} over ${range}: ${n} version${n === 1 ? '' : 's'}${shown}${scope === null ? ' (no such key in any scope)' : ''}`);
    if (n) {
      const cells = answer.versions.map((v) => [showTimestamp(v.validFrom), showTimestamp(v.validTo), humanType(v), humanValue(v.value, v.valueError)]);
      for (const line of table(['VALID FROM', 'VALID TO', 'TYPE', 'VALUE'], cells)) await out.line(line);
    }
  }
  await out.flush();
  return EXIT_OK;
});
