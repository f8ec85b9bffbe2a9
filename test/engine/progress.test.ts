import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttledProgress } from '../../src/engine/progress';

afterEach(() => vi.useRealTimers());

describe('throttledProgress', () => {
  it('passes a report on at most every interval, and the final one always', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const seen: number[] = [];
    const report = throttledProgress((done) => seen.push(done), 100);
    report(1, 10); // the first report passes
    report(2, 10); // too soon
    vi.advanceTimersByTime(99);
    report(3, 10); // still too soon
    vi.advanceTimersByTime(1);
    report(4, 10); // 100 ms on
    report(10, 10); // the end, however soon
    expect(seen).toEqual([1, 4, 10]);
  });
});
