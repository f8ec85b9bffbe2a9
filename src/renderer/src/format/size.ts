const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes as 512 B, 1.5 KiB, 12.3 MiB. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[u]}`;
}

/** 1234567 → 1,234,567 (locale-independent, so tests and screenshots are stable). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
