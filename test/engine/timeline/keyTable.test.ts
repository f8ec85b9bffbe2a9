import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../../src/engine/timeline/keyTable';

const encoder = new TextEncoder();

describe('KeyTable', () => {
  it('gives each distinct (scope, key) one id, whatever the key lengths and shared prefixes', () => {
    // Keys around the 16 bytes held inline in a slot, sharing prefixes, in a few scopes; some
    // not ASCII, whose strings are decoded from their UTF-8 bytes when first asked for.
    const rest = fc.oneof(fc.string({ maxLength: 24 }), fc.string({ unit: 'grapheme', maxLength: 8 }));
    const key = fc.tuple(fc.constantFrom('', 'state.key_', 'a-very-long-common-prefix/'), rest).map(([p, s]) => p + s);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), key), { maxLength: 3000 }), (entries) => {
        const table = new KeyTable();
        const expected = new Map<string, number>();
        for (const [scope, k] of entries) {
          // Interned from a buffer with other bytes around it, as from a journal.
          const bytes = encoder.encode(`xx${k}yy`);
          const id = table.internBytes(scope, bytes, 2, bytes.length - 4);
          const name = `${scope}\u0000${k}`;
          if (!expected.has(name)) expected.set(name, expected.size);
          expect(id).toBe(expected.get(name));
        }
        expect(table.size).toBe(expected.size);
        for (const [name, id] of expected) {
          const [scope, k] = name.split('\u0000');
          expect([table.find(Number(scope), k), table.scopeOf(id), table.keyOf(id)]).toEqual([id, Number(scope), k]);
        }
        expect(table.find(9, 'never interned')).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });
});
