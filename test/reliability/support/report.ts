// Figures of a reliability run, printed when RELIABILITY_REPORT=1 (for docs/RELIABILITY.md).

export const reporting = process.env.RELIABILITY_REPORT === '1';

export function report(title: string, figures: Record<string, unknown>): void {
  if (!reporting) return;
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  const lines = Object.entries(figures).map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  process.stdout.write(`\n[reliability] ${title}\n${lines.join('\n')}\n`);
}
