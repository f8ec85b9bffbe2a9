import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const doc = readFileSync(resolve(ROOT, 'docs/FORMAT.md'), 'utf8');

describe('docs/FORMAT.md', () => {
  it('has a row for every problem reason the code defines', () => {
    const source = readFileSync(resolve(ROOT, 'src/engine/format/problems.ts'), 'utf8');
    const union = /export type ProblemReason =([^;]+);/.exec(source)![1];
    const reasons = [...union.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]);
    expect(reasons.length).toBeGreaterThan(15);
    const rows = new Set([...doc.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]));
    expect(reasons.filter((r) => !rows.has(r))).toEqual([]);
    expect([...rows].filter((r) => !reasons.includes(r))).toEqual([]);
  });

  it('names only source files that exist', () => {
    const named = [...doc.matchAll(/`(src\/[\w/.-]+\.(?:ts|proto))`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((p) => !existsSync(resolve(ROOT, p)))).toEqual([]);
  });
});
