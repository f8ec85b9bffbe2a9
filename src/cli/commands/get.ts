import { defineCommand, COMMON, flag, readOpts, scopeOpt, timestampOpt, type CommandSpec } from '../args';
import { EXIT_OK } from '../context';
import { openStore, scopeOfKey } from '../open';
import { humanScope, humanValue, isoTimestamp, Output, showTimestamp, versionJson, warnIncomplete } from '../output';

const spec: CommandSpec = {
  name: 'get',
  summary: "Print a key's value at time T (the version with the largest timestamp <= T), or its latest value.",
  usage: 'DIR KEY [--scope N] [--at T] [--json]',
  details: `Without --scope, the scope that holds KEY is used (an error lists them if several do).
Prints "not set" (JSON: "version": null) when the key has no value then.`,
  positionals: [
    { name: 'DIR', required: true },
    { name: 'KEY', required: true },
  ],
  options: {
    scope: { type: 'string', arg: 'N', help: 'The key\'s scope (a number, or FeatureFlag, GlobalState, System)' },
    at: { type: 'string', arg: 'T', help: 'As of this time (default: the latest version)' },
    ...COMMON,
  },
};

export const getCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const options = readOpts(values);
  const at = timestampOpt(values, 'at');
  const givenScope = scopeOpt(values);
  const index = await openStore(positionals[0], options, io);
  const key = positionals[1];
  const scope = scopeOfKey(index, key, givenScope);
  const answer =
    scope === null
      ? { version: null, ...(at === undefined ? { complete: true, incomplete: [] } : index.stateAt(at, { limit: 0 })) }
      : at === undefined
        ? index.latest(scope, key)
        : index.getAt(scope, key, at);
  const out = new Output(io);
  if (flag(values, 'json')) {
    const doc = {
      store: index.store,
      scope,
      key,
      at: at ?? null,
      version: answer.version ? versionJson(answer.version) : null,
      complete: answer.complete,
      incomplete: answer.incomplete,
    };
    await out.line(JSON.stringify(doc));
  } else {
    warnIncomplete(io, answer, `the value at ${at === undefined ? 'the latest time' : isoTimestamp(at)}`);
    const when = at === undefined ? 'latest' : `at ${showTimestamp(at)}`;
    const name = `${scope === null ? '' : `[${humanScope(scope)}] `}${JSON.stringify(key)}`;
    const v = answer.version;
    if (!v) {
      await out.line(`${name} ${when}: not set${scope === null ? ' (no such key in any scope)' : ''}`);
    } else {
      await out.line(`${name} ${when}: ${humanValue(v.value, v.valueError)}`);
      await out.line(`  type ${v.value?.kind ?? 'invalid'}, valid from ${showTimestamp(v.validFrom)}, valid to ${v.validTo === null ? '(still valid)' : showTimestamp(v.validTo)}`);
    }
  }
  await out.flush();
  return EXIT_OK;
});
