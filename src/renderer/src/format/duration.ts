/** A µs duration for people: 850 µs, 12.5 ms, 3.2 s, 4 m 05 s, 2 h 10 m, 3 d 4 h. */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '—';
  const neg = us < 0;
  const a = Math.abs(us);
  let text: string;
  if (a < 1000) text = `${a} µs`;
  else if (a < 1_000_000) text = `${trim(a / 1000)} ms`;
  else if (a < 60_000_000) text = `${trim(a / 1_000_000)} s`;
  else {
    const s = Math.floor(a / 1_000_000);
    const d = Math.floor(s / 86_400);
    const h = Math.floor((s % 86_400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    if (d > 0) text = `${d} d ${h} h`;
    else if (h > 0) text = `${h} h ${String(m).padStart(2, '0')} m`;
    else text = `${m} m ${String(sec).padStart(2, '0')} s`;
  }
  return neg ? `-${text}` : text;
}

function trim(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1).replace(/\.0$/, '') : n.toFixed(2).replace(/\.?0+$/, '');
}
