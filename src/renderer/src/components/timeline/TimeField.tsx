import { useState, type FormEvent } from 'react';
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
  // Shown from T itself while not editing, in the same render: copying T into `text` from an
  // effect rewrote the field a render late, and a user typing right after Enter (or a test
  // filling it) had the new text appended to the old one.
  const shown = editing ? text : at === null ? '' : formatTime(at, tz);

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
        value={shown}
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
