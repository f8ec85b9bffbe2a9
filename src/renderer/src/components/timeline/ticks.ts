const US = 1;
const MS = 1000 * US;
const S = 1000 * MS;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, MS, 2 * MS, 5 * MS, 10 * MS, 20 * MS, 50 * MS, 100 * MS, 200 * MS, 500 * MS, S, 2 * S, 5 * S, 10 * S,
  15 * S, 30 * S, MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D, 91 * D,
  182 * D, 365 * D,
];

/** Round time ticks (multiples of a 1-2-5 / clock step) across [from, to], about `count` of them. */
export function timeTicks(from: number, to: number, count: number): number[] {
  const span = Math.max(1, to - from);
  const want = span / Math.max(1, count);
  const step = STEPS.find((s) => s >= want) ?? Math.ceil(want / (365 * D)) * 365 * D;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to && out.length < 50; t += step) out.push(t);
  return out;
}
