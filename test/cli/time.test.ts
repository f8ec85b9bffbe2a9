import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UsageError } from '../../src/cli/context';
import { isoTimestamp, parseTimestamp, showTimestamp } from '../../src/cli/time';

describe('timestamps on the command line', () => {
  it.each([
    ['1704067200000000', 1704067200000000],
    ['0', 0],
    ['2024-01-01T00:00:00Z', 1704067200000000],
    ['2024-01-01T00:00:07.123456Z', 1704067207123456],
    ['2024-01-01T00:00:07.1Z', 1704067207100000],
    ['2024-01-01T00:00:07,5Z', 1704067207500000],
    ['2024-01-01 00:00:07z', 1704067207000000],
    ['2024-01-01T00:01Z', 1704067260000000],
    ['2024-01-01T01:00:00+01:00', 1704067200000000],
    ['2023-12-31T19:00:00-0500', 1704067200000000],
    ['  1704067200000001 ', 1704067200000001],
  ])('%s is %d µs', (text, us) => {
    expect(parseTimestamp(text)).toBe(us);
  });

  it.each([
    ['2024-01-01T00:00:00', /no time zone; add Z for UTC/],
    ['2024-01-01', /give a time and a zone too/],
    ['2024-01-01T00:00:00.1234567Z', /finer than microseconds/],
    ['2024-02-30T00:00:00Z', /not a valid date/],
    ['2024-01-01T24:00:00Z', /not a valid date/],
    ['1969-12-31T23:59:59Z', /before 1970/],
    ['-5', /cannot be negative/],
    ['9007199254740993', /beyond 2\^53/],
    ['yesterday', /expected µs since the epoch .* or ISO-8601 with a zone/],
    ['1.5', /expected µs/],
  ])('%s is refused, saying why', (text, message) => {
    expect(() => parseTimestamp(text, '--at')).toThrow(UsageError);
    expect(() => parseTimestamp(text, '--at')).toThrow(message);
    expect(() => parseTimestamp(text, '--at')).toThrow(/--at/);
  });

  it('prints µs with the ISO form, microseconds only when there are some', () => {
    expect(isoTimestamp(1704067200000000)).toBe('2024-01-01T00:00:00Z');
    expect(isoTimestamp(1704067207123456)).toBe('2024-01-01T00:00:07.123456Z');
    expect(isoTimestamp(1704067207000001)).toBe('2024-01-01T00:00:07.000001Z');
    expect(isoTimestamp(1704067207120000)).toBe('2024-01-01T00:00:07.120000Z');
    expect(showTimestamp(1704067207123456)).toBe('1704067207123456 (2024-01-01T00:00:07.123456Z)');
    expect(showTimestamp(null)).toBe('-');
  });

  it('ISO output parses back to the same µs, for any timestamp', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_000_000_000_000_000 }), (us) => {
        expect(parseTimestamp(isoTimestamp(us))).toBe(us);
        expect(parseTimestamp(String(us))).toBe(us);
      }),
      { numRuns: 500 },
    );
  });
});
