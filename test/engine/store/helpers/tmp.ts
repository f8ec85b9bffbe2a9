export { tempDir } from '../../../support/tempDir';

/** A fake clock in µs: starts at 2024-01-01 and moves only when told to. */
export class FakeClock {
  constructor(public now = 1704067200000000) {}
  readonly fn = (): number => this.now;
  advance(us: number): number {
    this.now += us;
    return this.now;
  }
}
