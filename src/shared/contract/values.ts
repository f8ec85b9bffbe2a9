import { z } from 'zod';

/**
 * Values on the wire: the tagged JSON form of the CLI and the fixtures' manifests. int64 is a
 * decimal string so it stays exact; special doubles are strings.
 */
export type WireValue =
  | { string: string }
  | { int: string }
  | { double: number | 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { bool: boolean }
  | { bytes: string }
  | { list: WireValue[] }
  | { map: Record<string, WireValue> };

export const WireValueSchema: z.ZodType<WireValue> = z.lazy(() =>
  z.union([
    z.strictObject({ string: z.string() }),
    z.strictObject({ int: z.string().regex(/^-?\d{1,19}$/) }),
    z.strictObject({ double: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity', '-0'])]) }),
    z.strictObject({ bool: z.boolean() }),
    z.strictObject({ bytes: z.string() }),
    z.strictObject({ list: z.array(WireValueSchema) }),
    z.strictObject({ map: z.record(z.string(), WireValueSchema) }),
  ]),
);

/** µs since the Unix epoch. */
export const TimestampSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const ScopeSchema = z.number().int().min(0).max(255);
export const KeySchema = z.string().max(65_536);
