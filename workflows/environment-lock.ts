import { type SearchAttributePair, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  CancellationScope,
  type ChildWorkflowHandle,
  condition,
  executeChild,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { environmentLockId } from '../domain/deployment-model.js';
import type { Environment } from '../domain/environment.js';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';
import type { deployment } from './deployment.js';
import { deploymentOutcome } from './deployment-failure.js';
import {
  type AutomaticRollbackHandOver,
  handOverLockSignal,
  lockHolderSignal,
  releaseLockSignal,
  rollbackEndedSignal,
  whoHoldsLockSignal,
} from './deployment-messages.js';
import { WORKFLOW_TYPES } from './workflow-types.js';

const LOCK_HOLDER_WAIT = '30 seconds';

/**
 * Held by one deployment of an environment at a time. It runs as that deployment's child under a fixed id, so the
 * Temporal server itself refuses a second holder; it ends when released or, failing that, with its parent, except
 * that a failing deployment hands it over to its automatic rollback, which the lock then runs and holds to its end.
 */
export async function environmentLock(): Promise<void> {
  const deploymentId = workflowInfo().parent?.workflowId ?? 'an unknown deployment';
  let holder = deploymentId;
  let released = false;
  let handOver: AutomaticRollbackHandOver | null = null;
  const askers: string[] = [];
  setHandler(releaseLockSignal, () => {
    released = true;
  });
  setHandler(whoHoldsLockSignal, (asker) => {
    askers.push(asker);
  });
  setHandler(handOverLockSignal, (rollback) => {
    handOver ??= rollback;
  });
  const answerAskers = async () => {
    for (const asker of askers.splice(0)) {
      // An asker that already gave up is no reason to stop holding.
      await getExternalWorkflowHandle(asker)
        .signal(lockHolderSignal, holder)
        .catch(() => undefined);
    }
  };
  while (!released && !handOver) {
    await condition(() => released || askers.length > 0 || handOver !== null);
    await answerAskers();
  }
  const rollback: AutomaticRollbackHandOver | null = handOver;
  if (rollback)
    await holdThroughRollback(
      deploymentId,
      rollback,
      (id) => {
        holder = id;
      },
      answerAskers,
      () => askers.length > 0,
    );
}

/**
 * The environment stays held while the automatic rollback runs, as the lock's own child: neither the failed
 * deployment ending (terminated, even) nor a cancellation of the lock frees it before the previous version is back.
 */
async function holdThroughRollback(
  deploymentId: string,
  { rollbackId, request, searchAttributes }: AutomaticRollbackHandOver,
  setHolder: (id: string) => void,
  answerAskers: () => Promise<void>,
  asked: () => boolean,
): Promise<void> {
  setHolder(rollbackId);
  await CancellationScope.nonCancellable(async () => {
    // Tells the deployment that handed over that its rollback is in the lock's hands.
    await getExternalWorkflowHandle(deploymentId)
      .signal(lockHolderSignal, rollbackId)
      .catch(() => undefined);
    let ended = false;
    const rollingBack = deploymentOutcome(
      executeChild<typeof deployment>(WORKFLOW_TYPES.deployment, {
        workflowId: rollbackId,
        // A lock ended by hand must not stop the environment's repair half-way.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: searchAttributes,
        args: [request],
      }),
    ).finally(() => {
      ended = true;
    });
    while (!ended) {
      await condition(() => ended || asked());
      await answerAskers();
    }
    const result = await rollingBack;
    // The deployment that handed over may be gone (terminated): then nobody waits for the answer.
    await getExternalWorkflowHandle(deploymentId)
      .signal(rollbackEndedSignal, result)
      .catch(() => undefined);
  });
}

export type EnvironmentLock = ChildWorkflowHandle<typeof environmentLock>;

/** Deployments started since then take the lock again when it ends between their refusal and its answer. */
const RETAKE_ENDED_LOCK = 'lock-retaken-when-it-ended';
/** A lock that keeps ending just as it is asked about is an environment that changes hands: one more try each. */
const LOCK_ATTEMPTS = 3;

/**
 * Called by a deployment: holds its environment (the lock child, which the server refuses to start twice), or returns
 * the id of the deployment that holds it, asked of the lock itself.
 */
export async function holdEnvironment(
  environment: Environment,
  searchable: boolean,
  /** The lock of a deployment that can hand it over to its rollback is asked to end with it, not terminated. */
  outlivesDeployment: boolean,
): Promise<{ lock: EnvironmentLock } | { heldBy: string | null }> {
  const lockId = environmentLockId(environment);
  for (let attempt = 1; ; attempt++) {
    try {
      const lock = await startChild(environmentLock, {
        workflowId: lockId,
        parentClosePolicy: outlivesDeployment ? ParentClosePolicy.REQUEST_CANCEL : ParentClosePolicy.TERMINATE,
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
    }
    let heldBy: string | null = null;
    setHandler(lockHolderSignal, (id) => {
      heldBy = id;
    });
    try {
      await getExternalWorkflowHandle(lockId).signal(whoHoldsLockSignal, workflowInfo().workflowId);
    } catch (error) {
      // The lock ended after refusing us (its holder just finished): the environment is free, so take it.
      if (attempt < LOCK_ATTEMPTS && patched(RETAKE_ENDED_LOCK)) continue;
      throw error;
    }
    const answered = await condition(() => heldBy !== null, LOCK_HOLDER_WAIT);
    // No answer: the lock ended just after our question arrived (its holder finished), so try to take it again.
    if (!answered && attempt < LOCK_ATTEMPTS && patched(RETAKE_ENDED_LOCK)) continue;
    return { heldBy };
  }
}

/** Releases the environment and sees the lock end, so the next deployment never finds it still held. */
export async function releaseEnvironment(lock: EnvironmentLock): Promise<void> {
  await lock.signal(releaseLockSignal).catch(() => undefined);
  await lock.result().catch(() => undefined);
}
