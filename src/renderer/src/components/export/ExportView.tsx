import { useEffect, useRef } from 'react';
import { ScopeOptions } from '../common/ScopeOptions';
import { formatCount } from '../../format/size';
import { formatTime } from '../../format/time';
import { useApp } from '../../state/appStore';
import { formatsFor, type ExportFormat, type ExportKind } from '../../state/exportSlice';
import { ErrorBox } from '../common/StatusViews';

const FORMAT_LABEL: Record<ExportFormat, string> = {
  json: 'JSON',
  ndjson: 'NDJSON',
  csv: 'CSV',
  parquet: 'Parquet',
  journal: 'Journal store (a new store holding this state)',
};

/** Export the state at T or the whole history, with a filter; progress and cancel. */
export function ExportView({ transport }: { transport: 'electron' | 'http' }) {
  const form = useApp((s) => s.exportForm);
  const setForm = useApp((s) => s.setExportForm);
  const job = useApp((s) => s.exportJob);
  const exportAt = useApp((s) => s.exportAt);
  const error = useApp((s) => s.exportError);
  const starting = useApp((s) => s.exportStarting);
  const start = useApp((s) => s.startExport);
  const cancel = useApp((s) => s.cancelExport);
  const at = useApp((s) => s.at);
  const tz = useApp((s) => s.tz);
  const downloadHref = useApp((s) => s.downloadHref);
  const running = job?.state === 'running';
  const linkRef = useRef<HTMLAnchorElement>(null);
  const downloaded = useRef<string | null>(null);

  // In a browser, start the download once the job is done.
  useEffect(() => {
    if (transport === 'http' && job?.state === 'done' && job.downloadUrl && downloaded.current !== job.jobId) {
      downloaded.current = job.jobId;
      linkRef.current?.click();
    }
  }, [job, transport]);

  const pct = job && job.total > 0 ? Math.min(100, (job.done / job.total) * 100) : job?.state === 'done' ? 100 : 0;

  return (
    <section className="export-view" data-testid="export-view">
      <form
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset disabled={running || starting}>
          <legend>What</legend>
          {(['state', 'history'] as ExportKind[]).map((k) => (
            <label key={k} className="radio">
              <input type="radio" name="kind" value={k} checked={form.kind === k} onChange={() => setForm({ kind: k })} data-testid={`export-kind-${k}`} />
              {k === 'state' ? (
                <>
                  State at T <span className="mono muted">{at === null ? '' : formatTime(at, tz)}</span>
                </>
              ) : (
                'Whole history (every version)'
              )}
            </label>
          ))}
        </fieldset>
        <fieldset disabled={running || starting}>
          <legend>Format</legend>
          <select value={form.format} onChange={(e) => setForm({ format: e.target.value as ExportFormat })} data-testid="export-format">
            {formatsFor(form.kind, transport).map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABEL[f]}
              </option>
            ))}
          </select>
          {transport === 'http' && form.kind === 'state' && <span className="muted small-text">A journal store export needs the desktop app.</span>}
        </fieldset>
        <fieldset disabled={running || starting}>
          <legend>Keys</legend>
          <label>
            Scope{' '}
            <select value={form.scope === null ? '' : String(form.scope)} onChange={(e) => setForm({ scope: e.target.value === '' ? null : Number(e.target.value) })} data-testid="export-scope">
              <ScopeOptions />
            </select>
          </label>
          <label>
            starting with <input value={form.keyPrefix} onChange={(e) => setForm({ keyPrefix: e.target.value })} data-testid="export-prefix" />
          </label>
          <label>
            containing <input value={form.keySubstring} onChange={(e) => setForm({ keySubstring: e.target.value })} data-testid="export-substring" />
          </label>
        </fieldset>
        <div className="export-actions">
          <button type="submit" className="primary" disabled={running || starting || (form.kind === 'state' && at === null)} data-testid="export-start">
            {transport === 'electron' ? 'Export…' : 'Export'}
          </button>
          {running && (
            <button type="button" onClick={() => void cancel()} data-testid="export-cancel">
              Cancel
            </button>
          )}
        </div>
      </form>

      {error && <ErrorBox message={error} />}
      {job && (
        <div className="export-job" data-testid="export-job" data-state={job.state}>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
            <div className={`progress-bar ${job.state}`} style={{ width: `${pct}%` }} />
          </div>
          <div className="export-status">
            {job.state === 'running' && (
              <span>
                Exporting… {formatCount(job.done)}
                {job.total > 0 && ` of ${formatCount(job.total)}`}
              </span>
            )}
            {job.state === 'done' && (
              <span data-testid="export-done">
                Done: {formatCount(job.done)} record{job.done === 1 ? '' : 's'}
                {exportAt !== null && ` (state at ${formatTime(exportAt, tz)})`}
                {job.path && transport === 'electron' && (
                  <>
                    {' '}
                    saved to <span className="mono">{job.path}</span>
                  </>
                )}
                {job.downloadUrl && (
                  <>
                    {' '}
                    <a ref={linkRef} href={downloadHref(job.downloadUrl)} download data-testid="export-download">
                      Download
                    </a>
                  </>
                )}
              </span>
            )}
            {job.state === 'failed' && <span className="error-text">Failed: {job.error}</span>}
            {job.state === 'cancelled' && <span className="muted">Cancelled.</span>}
          </div>
        </div>
      )}
    </section>
  );
}
