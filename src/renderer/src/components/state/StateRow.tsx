import { memo } from 'react';
import type { VersionRow } from '../../api/types';
import { formatDuration } from '../../format/duration';
import { scopeName } from '../../format/scope';
import { formatTime, type TimeZoneMode } from '../../format/time';
import { previewValue, valueType } from '../../format/value';

export interface StateRowProps {
  row: VersionRow | undefined;
  index: number;
  at: number;
  tz: TimeZoneMode;
  selected: boolean;
  top: number;
  height: number;
  onSelect(row: VersionRow): void;
}

/** One live key at T; a placeholder while its page loads. */
export const StateRow = memo(function StateRow({ row, index, at, tz, selected, top, height, onSelect }: StateRowProps) {
  const style = { transform: `translateY(${top}px)`, height };
  if (!row) {
    return (
      <div className="trow placeholder" style={style} data-testid="state-row-pending" data-index={index} role="row">
        <span className="cell" role="cell">
          …
        </span>
      </div>
    );
  }
  const changed = row.validFrom === at;
  return (
    <div
      className={`trow ${changed ? 'changed' : ''} ${selected ? 'selected' : ''}`}
      style={style}
      role="row"
      aria-selected={selected}
      data-testid="state-row"
      data-index={index}
      data-scope={row.scope}
      data-key={row.key}
      data-changed={changed}
      onClick={() => onSelect(row)}
    >
      <span className="cell c-scope" role="cell" title={scopeName(row.scope)}>
        {changed && <span className="changed-dot" title="changed at this step" />}
        {row.scope}
        <span className="muted"> {scopeName(row.scope)}</span>
      </span>
      <span className="cell c-key mono" role="cell" title={row.key} data-testid="cell-key">
        {row.key}
      </span>
      <span className="cell c-type" role="cell">
        {row.valueError ? 'damaged' : valueType(row.value)}
      </span>
      <span className={`cell c-value mono ${row.valueError ? 'error-text' : ''}`} role="cell" data-testid="cell-value" title={row.valueError ?? undefined}>
        {row.valueError ? `cannot decode: ${row.valueError}` : previewValue(row.value)}
      </span>
      <span className="cell c-since mono" role="cell" data-testid="cell-since" data-us={row.validFrom}>
        {formatTime(row.validFrom, tz)}
      </span>
      <span className="cell c-age" role="cell" title="How long it had been valid at T">
        {formatDuration(at - row.validFrom)}
      </span>
    </div>
  );
});
