import type { StateValue } from '../../../../src/engine/format/value';

/** Values as the fixture manifests write them: {"string": "on"}, {"int": "42"}, {"double": 0.5}, {"bool": true}. */
export type ManifestValue = { string: string } | { int: string } | { double: number } | { bool: boolean } | null;

export function fromManifest(v: ManifestValue): StateValue | null {
  if (v === null) return null;
  if ('string' in v) return { kind: 'string', value: v.string };
  if ('int' in v) return { kind: 'int', value: BigInt(v.int) };
  if ('double' in v) return { kind: 'double', value: v.double };
  return { kind: 'bool', value: v.bool };
}
