import { Context } from '@temporalio/activity';

/**
 * Runs `work` while telling the server the worker is alive, when the activity has a heartbeat timeout: a worker that
 * dies with an activity in flight is then noticed within that timeout, and the retry (a GitHub write's first looks
 * for what the lost attempt made) runs at once instead of after the attempt's whole start-to-close timeout.
 */
async function whileHeartbeating<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timeoutMs = context.info.heartbeatTimeoutMs;
  if (!timeoutMs) return work();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), Math.max(100, Math.floor(timeoutMs / 3)));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: any activity's own signature passes through unchanged.
type ActivityFunction = (...args: any[]) => Promise<unknown>;

/** Every activity of `activities`, heartbeating while it runs whenever the workflow gave it a heartbeat timeout. */
export function heartbeating<T extends Record<string, ActivityFunction>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, run]) => [
      name,
      (...args: Parameters<typeof run>) => whileHeartbeating(() => run(...args)),
    ]),
  ) as T;
}
