// Benchmark runner: `npm run bench [-- --json] [suite ...]`.
// Suites live in bench/suites/*.ts, each exporting `async function run(): Promise<Result[]>`,
// and are registered in SUITES below. Run with --expose-gc so suites can settle the heap.
import { parseArgs } from 'node:util';
import type { Result, Suite } from './types';
import * as crc32 from './suites/crc32';
import * as writer from './suites/writer';
import * as ui from './suites/ui';
import * as timeline from './suites/timeline';

const SUITES: Suite[] = [
  { name: 'crc32', run: crc32.run },
  { name: 'writer', run: writer.run },
  { name: 'timeline', run: timeline.run },
  { name: 'ui', run: ui.run },
];

function formatTarget(r: Result): string {
  if (!r.target) return '-';
  return `${r.target.op} ${r.target.value} ${r.unit} ${r.met ? 'met' : 'MISSED'}`;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(`Usage: npm run bench -- [--json] [suite ...]\nSuites: ${SUITES.map((s) => s.name).join(', ') || 'none'}`);
    return 0;
  }
  const unknown = positionals.filter((p) => !SUITES.some((s) => s.name === p));
  if (unknown.length > 0) {
    console.error(`bench: unknown suite(s): ${unknown.join(', ')}; have: ${SUITES.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const selected = positionals.length ? SUITES.filter((s) => positionals.includes(s.name)) : SUITES;

  const results: Result[] = [];
  for (const suite of selected) {
    if (!values.json) console.error(`running ${suite.name} …`);
    results.push(...(await suite.run()));
  }

  if (values.json) {
    console.log(JSON.stringify(results, null, 2));
  } else if (results.length === 0) {
    console.log('no benchmarks yet');
  } else {
    const rows = results.map((r) => [r.name, `${r.value} ${r.unit}`, formatTarget(r)]);
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
    for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  }
  return results.some((r) => r.met === false) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
