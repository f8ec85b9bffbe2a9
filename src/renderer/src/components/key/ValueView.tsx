import { useState } from 'react';
import type { WireValue } from '../../../../shared/api';
import { copyText, fullValue, valueType } from '../../format/value';

/** The full value: strings holding JSON pretty-printed, long values scroll, copy button. */
export function ValueView({ value }: { value: WireValue }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const full = fullValue(value);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(copyText(value));
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(null), 1500);
  };
  return (
    <div className="value-view">
      <div className="value-meta">
        <span className="tag">{valueType(value)}</span>
        {full.kind === 'json' && <span className="tag">JSON in string, pretty-printed</span>}
        {'string' in value && <span className="muted">{value.string.length} chars</span>}
        <button type="button" className="small" onClick={() => void copy()} data-testid="copy-value">
          {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
        </button>
      </div>
      <pre className="value-full" data-testid="value-full">
        {full.text === '' ? <span className="muted">(empty string)</span> : full.text}
      </pre>
    </div>
  );
}
