// Long engine work (indexing, verifying, exporting) reports progress as onProgress(done, total),
// once per generation, file or batch of rows: often enough to flood a terminal or a window.

/** Progress reports passed on at most every `intervalMs`, the final one (done >= total) always. */
export function throttledProgress(report: (done: number, total: number) => void, intervalMs = 100): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < intervalMs) return;
    last = now;
    report(done, total);
  };
}
