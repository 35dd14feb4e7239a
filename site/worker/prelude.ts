/**
 * Runs before the package is loaded into the worker: lets the package's blocking `sleep` (the pacing of
 * liveTraining and animateBackward, src/display/notebook.ts) work where SharedArrayBuffer is missing.
 *
 * Browsers offer SharedArrayBuffer only to cross-origin-isolated pages, which a page opened from disk
 * (file://) never is. The package makes one at load time and sleeps with Atomics.wait on it, in slices.
 * Here a stand-in SharedArrayBuffer (a plain ArrayBuffer) is provided, and Atomics.wait on such a
 * buffer sleeps for its timeout: no other thread can see a private buffer, so nothing could notify it,
 * and sleeping until the timeout is exactly what Atomics.wait would do. A worker may block; the page
 * stays responsive. Where the browser gives a shared WebAssembly memory anyway (Chromium does) the sleep
 * really blocks; elsewhere it spins on the clock.
 */

if (typeof SharedArrayBuffer === "undefined") {
  class PrivateBuffer extends ArrayBuffer {}
  const realWait = Atomics.wait.bind(Atomics);
  const sleeper = sharedCell();
  const sleep = (ms: number) => {
    if (!(ms > 0)) return;
    if (sleeper !== null) {
      realWait(sleeper, 0, 0, ms);
      return;
    }
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // spin: nothing else can block a thread here
    }
  };
  Object.defineProperty(globalThis, "SharedArrayBuffer", { value: PrivateBuffer, writable: true, configurable: true });
  Atomics.wait = ((array: Int32Array, index: number, value: number, timeout?: number) => {
    if (!(array.buffer instanceof PrivateBuffer)) return realWait(array, index, value, timeout);
    if (Atomics.load(array, index) !== value) return "not-equal";
    sleep(timeout ?? Number.POSITIVE_INFINITY);
    return "timed-out";
  }) as typeof Atomics.wait;
}

/** One Int32 in a shared WebAssembly memory, to block on; null where the browser refuses one. */
function sharedCell(): Int32Array | null {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const cell = new Int32Array(memory.buffer, 0, 1);
    Atomics.wait(cell, 0, 0, 0); // throws where blocking on it is not allowed
    return cell;
  } catch {
    return null;
  }
}
