/** Keys are namespaced by a one-byte scope; (1, "a") and (2, "a") are different keys. */
export const SCOPE_NAMES: Record<number, string> = {
  1: 'FeatureFlag',
  2: 'GlobalState',
  3: 'System',
};

// A table, not `in`: the reader asks this of every frame.
const KNOWN = new Uint8Array(256);
for (const scope of Object.keys(SCOPE_NAMES)) KNOWN[Number(scope)] = 1;

export function isKnownScope(scope: number): boolean {
  return KNOWN[scope] === 1;
}

export function scopeName(scope: number): string {
  return SCOPE_NAMES[scope] ?? `scope ${scope}`;
}
