import { KNOWN_SCOPES, scopeName } from '../../format/scope';

/** The options of a scope filter: "all" (value "") and each known scope by number and name. */
export function ScopeOptions() {
  return (
    <>
      <option value="">all</option>
      {KNOWN_SCOPES.map((s) => (
        <option key={s} value={s}>
          {s} · {scopeName(s)}
        </option>
      ))}
    </>
  );
}
