export interface WaitOptions {
  /** What is awaited, for the timeout's message. */
  what: string;
  timeoutMs: number;
  intervalMs: number;
  /** Why waiting is pointless now (the process died, we are shutting down), or null to keep waiting. */
  abandon?: () => string | null;
}

/** Polls `ready` until it says yes; a probe that throws counts as not ready yet. */
export async function waitUntil(ready: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const reason = options.abandon?.();
    if (reason) throw new Error(`gave up waiting for ${options.what}: ${reason}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  throw new Error(`${options.what} did not become ready within ${options.timeoutMs / 1000}s`);
}
