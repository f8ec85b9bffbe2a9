import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { StoreError } from '../../engine/store/errors';
import { choiceOpt, COMMON, defineCommand, flag, intOpt, numberOpt, readOpts, str, type CommandSpec } from '../args';
import { EXIT_OK, EXIT_USAGE, InputError, UsageError, type CliIo } from '../context';
import { ScriptRunner } from '../script/runner';

const spec: CommandSpec = {
  name: 'script',
  summary: 'Run NDJSON operations from standard input against a store: writes with explicit timestamps, and queries.',
  usage: 'DIR [--name NAME] [config options] < script.ndjson',
  details: `One JSON object per line; each prints one JSON line, in order:
  {"op":"put","scope":2,"key":"k","value":{"string":"v"},"ts":10}  -> {"ts":10}
  {"op":"delete","scope":2,"key":"k","ts":11}                      -> {"ts":11}, or {"ts":null}
                                                                      when the key was not set
  {"op":"rotate"}                                                  -> {"generation":1}
  {"op":"get","scope":2,"key":"k","at":10}      -> {"value":…,"validFrom":…,"validTo":…} or null
  {"op":"latest","scope":2,"key":"k"}           -> same
  {"op":"history","scope":2,"key":"k","from":0,"to":20,"order":"asc","tombstones":true}
                                                -> [{"value":…,"validFrom":…,"validTo":…}, …]
  {"op":"state","at":10}                        -> [{"scope","key","value","validFrom","validTo"}, …]
  {"op":"diff","from":5,"to":10}                -> {"counts":{…},"entries":[{"kind","scope","key","before","after"}]}
A write's "ts" drives the store's clock (clamped to be non-decreasing; omitted = unchanged).
Times are µs or ISO-8601 strings with a zone. Queries see everything written before them.
A bad line prints {"error":"line N: …"} and the script goes on; the exit code is then 2.
DIR (and the store) is created if missing.`,
  positionals: [{ name: 'DIR', required: true }],
  options: {
    name: { type: 'string', arg: 'NAME', help: 'The store NAME (default: store)' },
    layout: { type: 'string', arg: 'spec|upstream', help: 'Layout of a new store (default: spec)' },
    headerVariant: COMMON.headerVariant,
    initialBufferSize: { type: 'string', arg: 'BYTES', help: 'Journal buffer size of a new store (default 8192)' },
    maxCapacity: { type: 'string', arg: 'BYTES', help: 'Largest buffer size (default 1 MiB)' },
    ratio: { type: 'string', arg: 'R', help: 'High-water mark ratio: rotate at position >= size × R (default 0.7)' },
    rawConfig: { type: 'boolean', help: "Use the config as given, without the design document's normalization (as upstream did), e.g. tiny buffers" },
    growth: { type: 'string', arg: 'headroom|upstream', help: 'How rotation sizes the next buffer (default: headroom)' },
  },
};

/** Splits a stream of chunks into lines. */
async function* lines(input: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  let rest = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, nl);
      rest = rest.slice(nl + 1);
    }
  }
  rest += decoder.decode();
  if (rest) yield rest;
}

async function write(io: CliIo, text: string): Promise<void> {
  io.stdout(text);
  const stream = io.stdoutStream as (NodeJS.WritableStream & { writableNeedDrain?: boolean }) | undefined;
  if (stream?.writableNeedDrain) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

export const scriptCommand = defineCommand(spec, async ({ values, positionals }, io) => {
  const dir = resolve(io.cwd ?? process.cwd(), positionals[0]);
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`${positionals[0]} exists and is not a folder`);
  } catch (err) {
    if (err instanceof InputError) throw err;
  }
  if (!io.stdin) throw new UsageError('script: no standard input to read');
  const { headerVariant } = readOpts(values);
  const config = {
    initialBufferSize: intOpt(values, 'initialBufferSize', 1, 2 ** 30),
    maxCapacityBytes: intOpt(values, 'maxCapacity', 1, 2 ** 30),
    highWaterMarkRatio: numberOpt(values, 'ratio'),
  };
  let runner: ScriptRunner;
  try {
    runner = ScriptRunner.open({
      dir,
      name: str(values, 'name'),
      layout: choiceOpt(values, 'layout', ['spec', 'upstream'] as const),
      headerVariant,
      config: Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)),
      normalize: !flag(values, 'rawConfig'),
      growth: choiceOpt(values, 'growth', ['headroom', 'upstream'] as const),
    });
  } catch (err) {
    if (err instanceof StoreError || err instanceof RangeError) throw new InputError(`script: cannot open the store: ${err.message}`);
    throw err;
  }
  let failed = 0;
  try {
    for await (const line of lines(io.stdin)) {
      io.signal?.throwIfAborted();
      const result = await runner.run(line);
      if (!result) continue;
      if (!result.ok) failed++;
      if (result.warning) io.stderr(`jrn script: warning: ${result.warning}\n`);
      await write(io, JSON.stringify(result.output) + '\n');
    }
  } finally {
    await runner.close();
  }
  if (failed) io.stderr(`jrn script: ${failed} line(s) failed\n`);
  return failed ? EXIT_USAGE : EXIT_OK;
});
