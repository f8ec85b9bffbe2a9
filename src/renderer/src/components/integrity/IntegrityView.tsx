import { useEffect } from 'react';
import type { Generation, IncompleteRange, Problem } from '../../api/types';
import { rangeText, reasonText } from '../../format/completeness';
import { useApp } from '../../state/appStore';
import { generationSpan } from '../../state/generationsSlice';
import { Empty, ErrorBox, Loading } from '../common/StatusViews';

const base = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** The generation a problem's file belongs to. */
export function generationOfFile(generations: Generation[], file: string): Generation | undefined {
  return generations.find((g) => g.file === file || g.relativePath === file || base(g.file) === base(file));
}

/** Every problem verify finds, where it is, and which part of the timeline it affects. */
export function IntegrityView() {
  const verify = useApp((s) => s.verify);
  const progress = useApp((s) => s.verifyProgress);
  const run = useApp((s) => s.runVerify);
  const generations = useApp((s) => s.generations);
  const summaryIncomplete = useApp((s) => s.summary?.incomplete ?? []);
  const tz = useApp((s) => s.tz);
  const setView = useApp((s) => s.setView);
  const setAt = useApp((s) => s.setAt);

  useEffect(() => {
    if (verify.status === 'idle') void run();
  }, [verify.status, run]);

  const show = (r: { from: number | null; to: number | null }) => {
    const full = storeSpan(generations);
    const from = r.from ?? full.from;
    const to = r.to ?? full.to;
    if (from === null || to === null) return;
    const pad = Math.max(1, Math.round((to - from) * 0.1));
    setView(from - pad, to + pad);
    setAt(from);
  };

  const affects = (p: Problem): { text: string; range: { from: number | null; to: number | null } | null } => {
    const g = generationOfFile(generations, p.file);
    const span = g ? generationSpan(g) : null;
    const inc = summaryIncomplete.find((r) => r.detail.includes(base(p.file)));
    if (inc) return { text: rangeText(inc, tz), range: inc };
    if (g && span) return { text: `generation ${g.generation}: ${rangeText(span, tz)}`, range: span };
    if (g) return { text: `generation ${g.generation} (no readable entries)`, range: null };
    return { text: 'the whole store', range: null };
  };

  return (
    <section className="integrity-view" data-testid="integrity-view">
      <div className="toolbar">
        <button type="button" onClick={() => void run()} disabled={verify.status === 'loading'} data-testid="verify-run">
          {verify.status === 'loading' ? 'Verifying…' : 'Verify again'}
        </button>
        {verify.status === 'ready' && (
          <span className={`badge badge-${verify.data.ok ? 'good' : 'bad'}`} data-testid="verify-status">
            {verify.data.ok ? 'no problems found' : `${verify.data.problems.length} problem${verify.data.problems.length === 1 ? '' : 's'}`}
          </span>
        )}
      </div>
      {verify.status === 'loading' && (
        <Loading testId="verify-loading">
          Checking every frame of every file…
          {progress && progress.total > 0 && (
            <span className="inline-progress" data-testid="verify-progress">
              {' '}
              <progress max={progress.total} value={progress.done} aria-label="files checked" /> {progress.done} of {progress.total} files
            </span>
          )}
        </Loading>
      )}
      {verify.status === 'error' && <ErrorBox message={verify.error} onRetry={() => void run()} />}
      {verify.status === 'ready' && (
        <>
          {verify.data.problems.length === 0 ? (
            <Empty testId="no-problems">Every frame of every file checked out.</Empty>
          ) : (
            <div className="scroll-table">
              <table className="grid" data-testid="problem-table">
                <thead>
                  <tr>
                    <th>Severity</th>
                    <th>File</th>
                    <th className="num">Offset</th>
                    <th>Reason</th>
                    <th>What it means</th>
                    <th>Affects</th>
                  </tr>
                </thead>
                <tbody>
                  {verify.data.problems.map((p, i) => {
                    const a = affects(p);
                    return (
                      <tr key={i} data-testid="problem-row" data-reason={p.reason} data-file={p.file}>
                        <td>
                          <span className={`badge badge-${p.severity === 'error' ? 'bad' : 'warn'}`}>{p.severity}</span>
                        </td>
                        <td className="mono" title={p.file}>
                          {base(p.file)}
                        </td>
                        <td className="num mono">{p.offset}</td>
                        <td className="mono">{p.reason}</td>
                        <td>{p.message}</td>
                        <td className="small-text">
                          {a.range ? (
                            <button type="button" className="link" onClick={() => show(a.range!)}>
                              {a.text}
                            </button>
                          ) : (
                            a.text
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <IncompleteList ranges={[...summaryIncomplete, ...verify.data.incomplete]} onShow={show} />
        </>
      )}
    </section>
  );
}

function IncompleteList({ ranges, onShow }: { ranges: IncompleteRange[]; onShow(r: IncompleteRange): void }) {
  const tz = useApp((s) => s.tz);
  const unique = ranges.filter((r, i) => ranges.findIndex((o) => o.from === r.from && o.to === r.to && o.reason === r.reason && o.detail === r.detail) === i);
  if (unique.length === 0) return <p className="muted">History is fully known over the whole store.</p>;
  return (
    <section className="incomplete-list" data-testid="incomplete-list">
      <h3>Where history is incomplete</h3>
      <ul>
        {unique.map((r, i) => (
          <li key={i}>
            <button type="button" className="link" onClick={() => onShow(r)}>
              {rangeText(r, tz)}
            </button>
            : {reasonText(r)}
          </li>
        ))}
      </ul>
    </section>
  );
}

function storeSpan(generations: Generation[]): { from: number | null; to: number | null } {
  const spans = generations.map(generationSpan).filter((s): s is { from: number; to: number } => s !== null);
  if (spans.length === 0) return { from: null, to: null };
  return { from: Math.min(...spans.map((s) => s.from)), to: Math.max(...spans.map((s) => s.to)) };
}
