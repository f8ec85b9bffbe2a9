/** Keys are namespaced by a one-byte scope; (1, "a") and (2, "a") are different keys. */
export const SCOPE_NAMES: Record<number, string> = {
  1: 'FeatureFlag',
  2: 'GlobalState',
  3: 'System',
};

export function isKnownScope(scope: number): boolean {
  return scope in SCOPE_NAMES;
}

export function scopeName(scope: number): string {
  return SCOPE_NAMES[scope] ?? `scope ${scope}`;
}
