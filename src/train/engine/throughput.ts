// Training throughput for the trainer's readout: tokens per second over the
// last few chunks, so one slow chunk (a kernel compiling) does not dominate.

/** Tokens per second over the last `window` chunks. */
export class Throughput {
  private times: number[] = [];
  constructor(private readonly window = 20) {}

  /** One chunk's wall time per step, in milliseconds. */
  note(msPerStep: number): void {
    this.times.push(msPerStep);
    if (this.times.length > this.window) this.times.shift();
  }

  tokensPerSecond(tokensPerStep: number): number {
    const mean = this.times.reduce((a, b) => a + b, 0) / Math.max(1, this.times.length);
    return mean > 0 ? (tokensPerStep * 1000) / mean : 0;
  }
}
