import { type SearchAttributePair, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  type ChildWorkflowHandle,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { environmentLockId } from '../domain/deployment.js';
import type { Environment } from '../domain/environment.js';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';
import { lockHolderSignal, releaseLockSignal, whoHoldsLockSignal } from './deployment-messages.js';

const LOCK_HOLDER_WAIT = '30 seconds';

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

export type EnvironmentLock = ChildWorkflowHandle<typeof environmentLock>;

/**
 * Called by a deployment: holds its environment (the lock child, which the server refuses to start twice), or returns
 * the id of the deployment that holds it, asked of the lock itself.
 */
export async function holdEnvironment(
  environment: Environment,
  searchable: boolean,
): Promise<{ lock: EnvironmentLock } | { heldBy: string | null }> {
  const lockId = environmentLockId(environment);
  try {
    const lock = await startChild(environmentLock, {
      workflowId: lockId,
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      ...(searchable
        ? {
            typedSearchAttributes: [
              { key: SEARCH_ATTRIBUTES.kind, value: 'environment_lock' },
              { key: SEARCH_ATTRIBUTES.environment, value: environment },
            ] as SearchAttributePair[],
          }
        : {}),
    });
    return { lock };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    let heldBy: string | null = null;
    setHandler(lockHolderSignal, (id) => {
      heldBy = id;
    });
    await getExternalWorkflowHandle(lockId).signal(whoHoldsLockSignal, workflowInfo().workflowId);
    await condition(() => heldBy !== null, LOCK_HOLDER_WAIT);
    return { heldBy };
  }
}

/** Releases the environment and sees the lock end, so the next deployment never finds it still held. */
export async function releaseEnvironment(lock: EnvironmentLock): Promise<void> {
  await lock.signal(releaseLockSignal).catch(() => undefined);
  await lock.result().catch(() => undefined);
}
