// Checks the shape of `npm run build`'s output (npm test builds first).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { requireBuilt } from './support/paths';

describe('build output', () => {
  test('jrn.js starts with a node shebang and runs --help / --version under plain node', () => {
    const jrn = requireBuilt('main/jrn.js');
    expect(readFileSync(jrn, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(execFileSync(process.execPath, [jrn, '--help'], { encoding: 'utf8' })).toMatch(/^Usage: jrn /);
    expect(execFileSync(process.execPath, [jrn, '--version'], { encoding: 'utf8' })).toMatch(/^jrn \d/);
    const bad = spawnSync(process.execPath, [jrn, 'no-such-command'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown command 'no-such-command'");
  });

  test('jrn.js and the index worker do not load electron', () => {
    for (const file of ['main/jrn.js', 'main/indexWorker.js']) {
      const src = readFileSync(requireBuilt(file), 'utf8');
      expect(src, file).not.toMatch(/require\(["']electron["']\)|from ["']electron["']/);
    }
  });

  test('the preload is one CommonJS file that only requires electron', () => {
    const src = readFileSync(requireBuilt('preload/index.js'), 'utf8');
    expect(src).not.toMatch(/^\s*(import|export)\s/m);
    const required = [...src.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  test('the main entry exists and the renderer keeps its CSP', () => {
    requireBuilt('main/index.js');
    const html = readFileSync(requireBuilt('renderer/index.html'), 'utf8');
    expect(html).toContain(
      `content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"`,
    );
  });
});
