import { throttledProgress } from '../engine/progress';
import type { CliIo } from './context';

/**
 * A one-line progress indicator on stderr, shown only when stderr is a terminal (never in
 * pipes, logs or tests), redrawn at most every 100 ms and erased when done.
 */
export class Progress {
  private shown = false;
  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly unit = '',
  ) {}

  get enabled(): boolean {
    return this.io.stderrIsTTY === true;
  }

  private readonly draw = throttledProgress((done, total) => {
    const pct = total > 0 ? ` ${Math.floor((done / total) * 100)}%` : '';
    this.io.stderr(`\r\x1b[K${this.label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${this.unit}${pct}`);
    this.shown = true;
  });

  /** A callback for onProgress options. */
  readonly update = (done: number, total: number): void => {
    if (this.enabled) this.draw(done, total);
  };

  done(): void {
    if (this.shown) this.io.stderr('\r\x1b[K');
    this.shown = false;
  }
}
