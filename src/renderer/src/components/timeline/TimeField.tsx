import { useEffect, useState, type FormEvent } from 'react';
import { formatTime, parseTime } from '../../format/time';
import { useApp } from '../../state/appStore';

/** Type a time: ISO-8601 to the µs, or µs since the epoch; read in the chosen zone. */
export function TimeField() {
  const at = useApp((s) => s.at);
  const tz = useApp((s) => s.tz);
  const setAt = useApp((s) => s.setAt);
  const [text, setText] = useState('');
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!editing) setText(at === null ? '' : formatTime(at, tz));
  }, [at, tz, editing]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = parseTime(text, tz);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setEditing(false);
    setAt(r.us);
  };

  return (
    <form className="time-field" onSubmit={submit} data-testid="time-form">
      <label htmlFor="cursor-time">T</label>
      <input
        id="cursor-time"
        data-testid="time-input"
        className={error ? 'invalid' : ''}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          setEditing(true);
          setError(null);
        }}
        onBlur={() => {
          if (!error) setEditing(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setEditing(false);
            setError(null);
          }
        }}
        aria-invalid={error !== null}
        aria-describedby={error ? 'time-error' : undefined}
      />
      <span className="cursor-us" data-testid="cursor-us" title="µs since the epoch">
        {at ?? ''}
      </span>
      {error && (
        <span id="time-error" className="error-text" role="alert" data-testid="time-error">
          {error}
        </span>
      )}
    </form>
  );
}
