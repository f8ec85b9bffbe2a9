/** A performance target: the measured value must be `>=` (rates) or `<=` (times) this. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

export interface Result {
  name: string;
  value: number;
  unit: string;
  /** null when the measurement is informational only. */
  target: Target | null;
  /** Whether the target is met; null without a target. */
  met: boolean | null;
}

export interface Suite {
  name: string;
  run(): Promise<Result[]>;
}

export function result(name: string, value: number, unit: string, target: Target | null = null): Result {
  const met = target === null ? null : target.op === '>=' ? value >= target.value : value <= target.value;
  return { name, value, unit, target, met };
}

/** Best (shortest) wall time in ms of `fn` over `runs` runs, after one warm-up run. */
export async function bestOf(runs: number, fn: () => unknown): Promise<number> {
  await fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}
