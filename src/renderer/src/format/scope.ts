/** Scope names used by the journal (design document): 1 = FeatureFlag, 2 = GlobalState. */
const NAMES: Record<number, string> = { 1: 'FeatureFlag', 2: 'GlobalState' };

export function scopeName(scope: number): string {
  return NAMES[scope] ?? `scope ${scope}`;
}

export const KNOWN_SCOPES = [1, 2];
