import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../../src/engine/timeline/keyTable';
import { keyMatcher } from '../../../src/engine/timeline/queries/keyFilter';

describe('keyMatcher', () => {
  it('matches key bytes exactly as the key strings would match', () => {
    // Keys of any characters; filters cut from keys (so that they do match), or any string,
    // lone surrogates included (they have no UTF-8 form).
    // A small alphabet too, so that keys share prefixes and sit next to look-alikes.
    const key = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.string({ unit: fc.constantFrom('a', 'b', 'é', '😀'), maxLength: 4 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(1, 2), key), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.oneof(fc.constant(undefined), fc.constantFrom(1, 2)),
        fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 3 })),
        (entries, pick, from, to, scope, other) => {
          const table = new KeyTable();
          for (const [s, k] of entries) table.intern(s, k);
          const [, picked] = entries[pick % entries.length];
          const cut = picked.slice(Math.min(from, to) % (picked.length + 1), Math.max(from, to) % (picked.length + 1));
          for (const filter of [
            { scope, keyPrefix: picked.slice(0, from % (picked.length + 1)) },
            { scope, keySubstring: cut },
            { keyPrefix: other },
            { keySubstring: other },
            { keyPrefix: cut, keySubstring: other },
            { keyPrefix: picked + picked.slice(0, 1) },
          ]) {
            const matches = keyMatcher(table, filter);
            for (let id = 0; id < table.size; id++) {
              const k = table.keyOf(id);
              const expected =
                (filter.scope === undefined || table.scopeOf(id) === filter.scope) &&
                k.startsWith(filter.keyPrefix ?? '') &&
                k.includes(filter.keySubstring ?? '');
              expect(matches(id), `${JSON.stringify(filter)} on ${JSON.stringify(k)}`).toBe(expected);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
