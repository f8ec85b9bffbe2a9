import fc from 'fast-check';
import type { StateValue } from '../../../src/engine/format/value';
import type { Damage, ModelLayout, ModelOp } from './modelStore';

/** Random inputs for the model tests of recovery and of the timeline index (the same stores). */
const SECOND = 1_000_000;
const key = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const scope = fc.constantFrom(1, 2);
// Equal timestamps (advance 0) are common on purpose: ties must resolve by file order.
const advance = fc.constantFrom(0, 0, 1, SECOND, 2 * SECOND);
const value: fc.Arbitrary<StateValue> = fc.oneof(
  fc.constantFrom('', 'x', 'y').map((v) => ({ kind: 'string' as const, value: v })),
  fc.bigInt({ min: -2n, max: 2n }).map((v) => ({ kind: 'int' as const, value: v })),
  fc.boolean().map((v) => ({ kind: 'bool' as const, value: v })),
);
export const modelOp: fc.Arbitrary<ModelOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), scope, key, value, advance }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), scope, key, advance }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rotate' as const), order: fc.array(fc.nat(20), { maxLength: 10 }) }) },
);
export const modelLayout = fc.constantFrom<ModelLayout>('reference', 'upstream-head', 'spec');
export const modelDamage: fc.Arbitrary<Damage | undefined> = fc.option(
  fc.record({ generation: fc.nat(8), frame: fc.nat(30), how: fc.constantFrom('flip' as const, 'position' as const) }),
  { nil: undefined },
);
