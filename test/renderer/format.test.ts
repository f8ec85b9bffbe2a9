import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/renderer/src/format/duration';
import { formatBytes, formatCount } from '../../src/renderer/src/format/size';
import { formatTime, parseTime } from '../../src/renderer/src/format/time';
import { fullValue, previewValue, valueType } from '../../src/renderer/src/format/value';

const T0 = 1_704_067_200_000_000;

describe('time', () => {
  it('formats µs precisely in UTC', () => {
    expect(formatTime(T0, 'utc')).toBe('2024-01-01T00:00:00.000000Z');
    expect(formatTime(T0 + 1, 'utc')).toBe('2024-01-01T00:00:00.000001Z');
    expect(formatTime(T0 + 999_999, 'utc')).toBe('2024-01-01T00:00:00.999999Z');
    expect(formatTime(0, 'utc')).toBe('1970-01-01T00:00:00.000000Z');
  });

  it('parses ISO-8601 to the µs, µs integers, zones; rejects the rest', () => {
    expect(parseTime('2024-01-01T00:00:00.000001Z', 'utc')).toEqual({ ok: true, us: T0 + 1 });
    expect(parseTime('2024-01-01 00:00:01', 'utc')).toEqual({ ok: true, us: T0 + 1_000_000 });
    expect(parseTime('2024-01-01', 'utc')).toEqual({ ok: true, us: T0 });
    expect(parseTime('2024-01-01T02:00:00+02:00', 'local')).toEqual({ ok: true, us: T0 });
    expect(parseTime(' 1704067200000042 ', 'utc')).toEqual({ ok: true, us: T0 + 42 });
    expect(parseTime('2024-01-01T00:00:00.123456000Z', 'utc')).toEqual({ ok: true, us: T0 + 123_456 });
    expect(parseTime('2024-01-01T00:00:00.1234567Z', 'utc').ok).toBe(false);
    expect(parseTime('2024-02-30T00:00:00Z', 'utc').ok).toBe(false);
    expect(parseTime('99999999999999999999', 'utc').ok).toBe(false);
    expect(parseTime('', 'utc').ok).toBe(false);
    for (const us of [T0, T0 + 1, T0 + 123_456_789]) expect(parseTime(formatTime(us, 'local'), 'local')).toEqual({ ok: true, us });
  });
});

describe('values, durations, sizes', () => {
  it('previews every value type', () => {
    expect(previewValue({ string: '' })).toBe('""');
    expect(previewValue({ int: '-1' })).toBe('-1');
    expect(previewValue({ double: 'NaN' })).toBe('NaN');
    expect(previewValue({ bool: true })).toBe('true');
    expect(previewValue({ bytes: 'AAEC' })).toBe('0x000102 (3 B)');
    expect(previewValue({ list: [{ int: '1' }, { string: 'a' }] })).toBe('[1, "a"]');
    expect(previewValue({ map: { k: { bool: false } } })).toBe('{"k": false}');
    expect(previewValue(null)).toBe('(deleted)');
    expect(previewValue({ string: 'x'.repeat(300) }, 20)).toHaveLength(20);
    expect(valueType({ double: 1 })).toBe('double');
  });

  it('pretty-prints JSON held in strings, leaves other strings alone', () => {
    expect(fullValue({ string: '{"a":1}' })).toEqual({ text: '{\n  "a": 1\n}', kind: 'json' });
    expect(fullValue({ string: '{not json' })).toEqual({ text: '{not json', kind: 'text' });
    expect(fullValue({ string: '42' }).kind).toBe('text');
  });

  it('formats durations and sizes', () => {
    expect(formatDuration(0)).toBe('0 µs');
    expect(formatDuration(1500)).toBe('1.5 ms');
    expect(formatDuration(3_000_000)).toBe('3 s');
    expect(formatDuration(125_000_000)).toBe('2 m 05 s');
    expect(formatDuration(3 * 86_400_000_000 + 4 * 3_600_000_000)).toBe('3 d 4 h');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
