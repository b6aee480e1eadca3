/** How long this thread's event loop stalls: a timer every `tickMs`, and the longest it came late. */
export function watchEventLoop(tickMs: number) {
  let maxLagMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - tickMs);
    last = now;
  }, tickMs);
  let stopped: Promise<number> | undefined;
  return {
    /** forget the stalls seen so far */
    reset(): void {
      last = performance.now();
      maxLagMs = 0;
    },
    /** the longest stall (ms), after letting the timer run once more (a stall shows when it next runs); stops watching (again: the same answer) */
    stop(): Promise<number> {
      stopped ??= new Promise<number>((resolve) =>
        setTimeout(() => {
          clearInterval(timer);
          resolve(maxLagMs);
        }, 2 * tickMs),
      );
      return stopped;
    },
  };
}
