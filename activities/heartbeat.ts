import { Context } from '@temporalio/activity';

/**
 * Runs `work` while telling the server the worker is alive, when the activity has a heartbeat timeout: a worker that
 * dies with a GitHub write in flight is then noticed within that timeout, and the retry (which first looks for what
 * the lost attempt made) runs at once instead of after the attempt's whole start-to-close timeout.
 */
export async function whileHeartbeating<T>(work: () => Promise<T>): Promise<T> {
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
