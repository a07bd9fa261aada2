import type { ProgressSteps, ToolContext } from './tool-definition.js';

/**
 * Waits for `work` (a workflow result or an Update's answer, never a timer standing in for one), telling the caller
 * where things stand every progress interval meanwhile: progress notifications also keep the client's request
 * timeout from firing while a deployment plans or no worker has answered yet.
 */
export async function reportWhileWaiting<T>(
  work: Promise<T>,
  context: ToolContext,
  describe: () => Promise<string | { message: string; steps: ProgressSteps }>,
): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  while (!done) {
    const tick = new Promise((resolve) => setTimeout(resolve, context.config.progressIntervalMs));
    await Promise.race([settled.catch(() => undefined), tick]);
    if (done || context.signal.aborted) break;
    const now = await describe();
    if (typeof now === 'string') await context.reportProgress(now);
    else await context.reportProgress(now.message, now.steps);
  }
  return settled;
}
