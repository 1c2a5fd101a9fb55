/**
 * Progress of long start-up work (opening 1,000 files): a line redrawn on a
 * terminal with count, rate and time left, and one summary line at the end
 * (the only line when stderr is not a terminal).
 */

/** Reports `done` of `total`; `finish` prints the summary. */
export interface Progress {
  /** `done` items of the total are finished. */
  update(done: number): void;
  /** Prints the summary line. */
  finish(): void;
}

/** A progress reporter on stderr for `total` items of `what` (e.g. "clim: files"). */
export function progress(
  what: string,
  total: number,
  write = (s: string) => Deno.stderr.writeSync(new TextEncoder().encode(s)),
): Progress {
  const t0 = performance.now();
  const tty = Deno.stderr.isTerminal();
  let last = 0;
  let done = 0;
  const rate = () => done / Math.max((performance.now() - t0) / 1000, 1e-3);
  return {
    update(n) {
      done = n;
      const now = performance.now();
      if (!tty || now - last < 100) return;
      last = now;
      const left = (total - done) / Math.max(rate(), 1e-9);
      write(`\r${what}: ${done}/${total}, ${rate().toFixed(0)}/s, ${left.toFixed(1)} s left   `);
    },
    finish() {
      const s = (performance.now() - t0) / 1000;
      write(
        `${tty ? "\r" : ""}${what}: ${done}/${total} in ${s.toFixed(1)} s (${
          rate().toFixed(0)
        }/s)        \n`,
      );
    },
  };
}
