import { condition, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import { lockHolderSignal, releaseLockSignal, whoHoldsLockSignal } from './deployment-messages.js';

/**
 * Held by one deployment of an environment at a time. It runs as that deployment's child under a fixed id, so the
 * Temporal server itself refuses a second holder; it ends when released or, failing that, with its parent.
 */
export async function environmentLock(): Promise<void> {
  const holder = workflowInfo().parent?.workflowId ?? 'an unknown deployment';
  let released = false;
  const askers: string[] = [];
  setHandler(releaseLockSignal, () => {
    released = true;
  });
  setHandler(whoHoldsLockSignal, (asker) => {
    askers.push(asker);
  });
  while (!released) {
    await condition(() => released || askers.length > 0);
    for (const asker of askers.splice(0)) {
      // An asker that already gave up is no reason to stop holding.
      await getExternalWorkflowHandle(asker)
        .signal(lockHolderSignal, holder)
        .catch(() => undefined);
    }
  }
}
