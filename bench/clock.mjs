// The bench's clock: wall-clock time, the fastest of several runs (other load only ever adds time).
// BENCH_CLOCK=cpu reads the process's CPU time instead (user + system, all its threads), which time spent
// waiting for a core does not add to, on a machine too busy for any run to be quiet; but it also counts
// V8's background compiler and GC helpers, which run beside the main thread (cold runs grow ~2x).

const cpu = process.env.BENCH_CLOCK === "cpu";

/** What `now()` measures, for the bench's headings. */
export const CLOCK = cpu ? "process CPU time (user + system, all threads)" : "wall-clock time";

/** Milliseconds on the bench's clock, from an arbitrary origin. */
export function now() {
  if (!cpu) return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
