import { setTimeout as wait } from 'node:timers/promises';

/** Waits `ms`; false when `signal` aborted first (the sandbox is closing and the answer is moot). */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await wait(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
