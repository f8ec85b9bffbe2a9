import { useEffect } from 'react';
import type { Generation } from '../../api/types';
import { formatBytes, formatCount } from '../../format/size';
import { useApp } from '../../state/appStore';
import { ErrorBox } from '../common/StatusViews';
import { TimeText } from '../common/TimeText';
import { GenerationDetail } from './GenerationDetail';

function integrityOf(g: Generation): { cls: string; text: string } {
  if (g.problems.some((p) => p.severity === 'error')) return { cls: 'bad', text: `${g.problems.length} problem${g.problems.length === 1 ? '' : 's'}` };
  if (g.gapBefore && g.generation > 0) return { cls: 'warn', text: 'gap before' };
  if (g.problems.length) return { cls: 'warn', text: `${g.problems.length} warning${g.problems.length === 1 ? '' : 's'}` };
  return { cls: 'good', text: g.restated > 0 && g.prefixVerified ? 'ok ✓ prefix' : 'ok' };
}

/** Every generation, active and archived; select one to zoom to it. */
export function GenerationsView() {
  const generations = useApp((s) => s.generations);
  const error = useApp((s) => s.generationsError);
  const selected = useApp((s) => s.selectedGeneration);
  const select = useApp((s) => s.selectGeneration);
  const load = useApp((s) => s.loadGenerations);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="generations-view" data-testid="generations-view">
      {error && <ErrorBox message={error} onRetry={() => void load()} />}
      <div className="scroll-table gen-table">
        <table className="grid">
          <thead>
            <tr>
              <th>Gen</th>
              <th>File</th>
              <th>Kind</th>
              <th>Span</th>
              <th className="num">Frames</th>
              <th className="num">Writes</th>
              <th className="num">Restated</th>
              <th className="num">Compressed</th>
              <th className="num">Raw</th>
              <th>Integrity</th>
            </tr>
          </thead>
          <tbody>
            {generations.map((g, i) => {
              const integ = integrityOf(g);
              return (
                <tr
                  key={`${g.relativePath}`}
                  className={`clickable ${selected === i ? 'selected' : ''}`}
                  onClick={() => void select(selected === i ? null : i)}
                  data-testid="generation-row"
                  data-generation={g.generation}
                  aria-selected={selected === i}
                >
                  <td>
                    {g.generation}
                    {g.inferred && <span className="muted" title="counted, not read from the file name">*</span>}
                  </td>
                  <td className="mono" title={g.file}>
                    {g.relativePath}
                  </td>
                  <td>{g.active ? <span className="tag tag-live">active</span> : g.kind}</td>
                  <td className="small-text">
                    {g.firstWrite === null && g.rotatedAt === null ? (
                      <span className="muted">no entries</span>
                    ) : (
                      <>
                        <TimeText us={g.rotatedAt ?? g.firstWrite} /> → <TimeText us={g.lastWrite} />
                      </>
                    )}
                  </td>
                  <td className="num">{formatCount(g.frames)}</td>
                  <td className="num">{formatCount(g.writes)}</td>
                  <td className="num">{formatCount(g.restated)}</td>
                  <td className="num">{formatBytes(g.compressedSize)}</td>
                  <td className="num">{formatBytes(g.rawSize)}</td>
                  <td>
                    <span className={`badge badge-${integ.cls}`} title={g.prefixVerified ? 'its compacted prefix matches the previous generation' : undefined}>
                      {integ.text}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {selected !== null && generations[selected] && <GenerationDetail generation={generations[selected]} />}
    </section>
  );
}
