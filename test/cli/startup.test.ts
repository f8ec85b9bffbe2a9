import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtCli } from '../reliability/support/process';

// The built `jrn` starts on every call a script makes: a query command must not load what only
// `serve` needs (the API contract's schemas: zod, a third of the start-up).
const dir = mkdtempSync(join(tmpdir(), 'jrn-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The node_modules packages the built jrn loaded while running `args`. */
function packagesLoaded(args: string[]): string[] {
  const hook = join(dir, 'hook.js');
  writeFileSync(
    hook,
    `process.on('exit', () => {
      const names = new Set(Object.keys(require.cache).map((p) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(p)?.[1]).filter(Boolean));
      require('fs').writeSync(2, 'LOADED ' + JSON.stringify([...names]) + '\\n');
    });`,
  );
  const run = spawnSync(process.execPath, ['--require', hook, builtCli(), ...args], { encoding: 'utf8' });
  const line = run.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  expect(line, run.stderr).toBeDefined();
  return JSON.parse(line!.slice('LOADED '.length)) as string[];
}

describe('jrn start-up', () => {
  const store = resolve(__dirname, '../../../shared/fixtures/reference-4255c9b1/rotated');

  it('answers a query without loading the API contract (zod)', () => {
    expect(packagesLoaded(['--version'])).not.toContain('zod');
    expect(packagesLoaded(['state', store, '--json'])).not.toContain('zod');
  });
});
