import { useEffect, useState } from 'react';
import { formatTime, parseTime } from '../../format/time';
import { useApp } from '../../state/appStore';

/** Point A or B of the diff: typed, or taken from the cursor. */
export function DiffPointField({ which }: { which: 'a' | 'b' }) {
  const value = useApp((s) => (which === 'a' ? s.diffA : s.diffB));
  const at = useApp((s) => s.at);
  const tz = useApp((s) => s.tz);
  const setPoint = useApp((s) => s.setDiffPoint);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(value === null ? '' : formatTime(value, tz)), [value, tz]);
  const apply = () => {
    const r = parseTime(text, tz);
    if (r.ok) {
      setError(null);
      if (r.us !== value) setPoint(which, r.us);
    } else setError(r.error);
  };
  return (
    <div className="diff-point">
      <label>
        <span className={`point-label point-${which}`}>{which.toUpperCase()}</span>
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={apply}
          onKeyDown={(e) => e.key === 'Enter' && apply()}
          data-testid={`diff-${which}-input`}
          spellCheck={false}
          aria-invalid={error !== null}
        />
      </label>
      <button type="button" className="small" disabled={at === null} onClick={() => setPoint(which, at)} data-testid={`diff-${which}-cursor`}>
        use cursor
      </button>
      {error && <span className="error-text">{error}</span>}
    </div>
  );
}
