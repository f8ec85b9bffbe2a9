import type { PersistentStoreConfig } from '../src/engine/store/config';
import type { StoreLayout } from '../src/engine/store/layout';

/** The writer benchmark's cases (see bench/workload.ts for the workload). */
export interface WriterCase {
  id: string;
  label: string;
  writes: number;
  keys: number;
  config: PersistentStoreConfig;
  layout: StoreLayout;
  /** writes/s, end to end (the clock stops after close(): every archive written). */
  target: number;
}

const MIB = 1024 * 1024;

export const WRITER_CASES: WriterCase[] = [
  {
    id: 'a',
    label: '1M writes / 100k keys, 1 MiB → 64 MiB',
    writes: 1_000_000,
    keys: 100_000,
    config: { initialBufferSize: MIB, maxCapacityBytes: 64 * MIB, highWaterMarkRatio: 0.7 },
    layout: 'spec',
    target: 130_000,
  },
  {
    id: 'b',
    label: '1M writes / 20k keys, 8 KiB → 8 MiB',
    writes: 1_000_000,
    keys: 20_000,
    config: { initialBufferSize: 8 * 1024, maxCapacityBytes: 8 * MIB, highWaterMarkRatio: 0.7 },
    layout: 'spec',
    target: 200_000,
  },
  {
    id: 'c',
    label: '1M writes / 1k keys, 1 MiB → 64 MiB',
    writes: 1_000_000,
    keys: 1_000,
    config: { initialBufferSize: MIB, maxCapacityBytes: 64 * MIB, highWaterMarkRatio: 0.7 },
    layout: 'spec',
    target: 300_000,
  },
];
