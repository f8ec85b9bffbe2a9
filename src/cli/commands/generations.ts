import { formatProblem } from '../../engine/format/problems';
import { COMMON, defineCommand, flag, readOpts, type CommandSpec } from '../args';
import { EXIT_OK } from '../context';
import { openStore } from '../open';
import { Output, rangeText, showTimestamp, table } from '../output';

const spec: CommandSpec = {
  name: 'generations',
  summary: "Show a store's generations (active journal and archives), what each holds, and where history is incomplete.",
  usage: 'DIR [--name NAME] [--json]',
  positionals: [{ name: 'DIR', required: true }],
  options: { name: COMMON.name, json: COMMON.json, headerVariant: COMMON.headerVariant, payloadLayout: COMMON.payloadLayout },
};

export const generationsCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const options = readOpts(values);
  const index = await openStore(positionals[0], options, io);
  const summary = index.summary();
  const out = new Output(io);
  if (flag(values, 'json')) {
    const { indexBytes: _indexBytes, ...rest } = summary;
    await out.line(JSON.stringify({ ...rest, complete: summary.incomplete.length === 0 }));
    await out.flush();
    return EXIT_OK;
  }
  await out.line(`Store "${summary.store}" in ${summary.dir}`);
  await out.line(`  ${summary.keys} keys, ${summary.versions} versions, ${summary.generations.length} generations`);
  await out.line(`  first version ${showTimestamp(summary.firstTimestamp)}`);
  await out.line(`  last version  ${showTimestamp(summary.lastTimestamp)}`);
  await out.line(`  known from    ${summary.knownFrom === null ? 'the beginning (complete from the first write)' : showTimestamp(summary.knownFrom)}`);
  await out.line('');
  const rows = summary.generations.map((g) => [
    `${g.generation}${g.inferred ? '?' : ''}`,
    `${g.kind}${g.active ? ' (active)' : ''}`,
    g.relativePath,
    g.layout.headerVariant === null ? '-' : `${g.layout.headerVariant === 'v17' ? '17' : '9'}-byte/${g.layout.payloadLayout === 'key-value-pair' ? 'kv' : 'value'}`,
    String(g.rawSize),
    String(g.frames),
    String(g.restated),
    String(g.writes),
    g.firstWrite === null ? '-' : showTimestamp(g.firstWrite),
    g.lastWrite === null ? '-' : showTimestamp(g.lastWrite),
    [g.gapBefore && g.generation > 0 ? 'gap before' : '', g.problems.length ? `${g.problems.length} problem(s)` : ''].filter(Boolean).join(', ') || 'ok',
  ]);
  for (const line of table(['GEN', 'KIND', 'FILE', 'LAYOUT', 'BYTES', 'FRAMES', 'RESTATED', 'WRITES', 'FIRST WRITE', 'LAST WRITE', 'STATUS'], rows)) {
    await out.line(line);
  }
  if (summary.generations.some((g) => g.inferred)) await out.line('  (? = generation number inferred: NAME.jrn.t<T>.zz archives do not carry it)');
  if (summary.incomplete.length) {
    await out.line('');
    await out.line('Incomplete history:');
    for (const r of summary.incomplete) await out.line(`  ${rangeText(r)}`);
  }
  if (summary.problems.length) {
    await out.line('');
    await out.line('Problems (run jrn verify for a full check):');
    for (const p of summary.problems) await out.line(`  ${p.severity}: ${formatProblem(p)}`);
  }
  await out.flush();
  return EXIT_OK;
});
