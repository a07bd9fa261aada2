import type { SearchAttributePair } from '@temporalio/common';
import {
  condition,
  executeChild,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  setHandler,
  uuid4,
} from '@temporalio/workflow';
import { SYSTEM_USER } from '../../domain/audit.js';
import { type DeploymentState, newDeploymentRequest } from '../../domain/deployment-model.js';
import { failureReason } from '../../domain/failure-reason.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import type { deployment } from '../deployment.js';
import { deploymentOutcome } from '../deployment-failure.js';
import {
  type AutomaticRollbackHandOver,
  handOverLockSignal,
  lockHolderSignal,
  rollbackEndedSignal,
} from '../deployment-messages.js';
import type { EnvironmentLock } from '../environment-lock.js';
import { WORKFLOW_TYPES } from '../workflow-types.js';
import type { DeploymentRun } from './deployment-run.js';

/** How long the lock has to say it took the rollback over; only a lock that is gone stays silent. */
const LOCK_TAKE_OVER_WAIT = '30 seconds';

/**
 * The lock runs the rollback and holds the environment until it ends, and says how it ended; null when the lock did
 * not take it over (then the deployment runs the rollback itself, as before the hand-over existed). The lock's
 * acknowledgement decides, not the signal call's own answer, so a rollback never runs twice.
 */
async function handOver(lock: EnvironmentLock, rollback: AutomaticRollbackHandOver): Promise<DeploymentState | null> {
  let ended: DeploymentState | null = null;
  let takenOver = false;
  setHandler(rollbackEndedSignal, (result) => {
    ended = result;
  });
  setHandler(lockHolderSignal, (holder) => {
    takenOver ||= holder === rollback.rollbackId;
  });
  await getExternalWorkflowHandle(lock.workflowId)
    .signal(handOverLockSignal, rollback)
    .catch((error: unknown) => log.warn('handing the lock over answered an error', { error: failureReason(error) }));
  if (!(await condition(() => takenOver || ended !== null, LOCK_TAKE_OVER_WAIT))) return null;
  await condition(() => ended !== null);
  return ended;
}

/**
 * Step 5, compensate: the saga's last compensation puts back what ran before, as a rollback deployment of its own.
 * Runs to its end even if this deployment is cancelled (the caller runs it non-cancellable).
 */
export async function rollBackAutomatically(run: DeploymentRun, why: string): Promise<void> {
  const { request, state, deploymentId } = run;
  const previous = run.restoreTo;
  if (request.kind === 'rollback' || !previous) {
    run.writeLog(
      request.kind === 'rollback' ? 'a failed rollback is not rolled back' : 'no earlier version to restore',
    );
    return;
  }
  const rollbackId = `rollback-${uuid4()}`;
  state.automatic_rollback = { rollback_id: rollbackId, status: 'queued' };
  run.enter(`rolling back automatically to ${previous.ref} (${rollbackId})`, 'in_progress');
  const inherited = run.searchable
    ? ([
        { key: SEARCH_ATTRIBUTES.kind, value: 'rollback' },
        { key: SEARCH_ATTRIBUTES.environment, value: request.environment },
        { key: SEARCH_ATTRIBUTES.version, value: previous.ref },
        { key: SEARCH_ATTRIBUTES.status, value: 'queued' },
      ] as SearchAttributePair[])
    : [];
  const since = Date.now();
  const rollbackRequest = newDeploymentRequest({
    kind: 'rollback',
    environment: request.environment,
    version: previous.ref,
    skipTests: true,
    initiatedBy: SYSTEM_USER,
    approvalTimeoutSeconds: request.approvalTimeoutSeconds,
    reason: `automatic rollback of ${deploymentId}: ${why}`,
    automaticRollbackOf: { deploymentId, fromVersion: state.version ?? '', toSha: previous.sha },
  });
  const handedOver =
    run.lockHandedToRollback && run.lock
      ? await handOver(run.lock, { rollbackId, request: rollbackRequest, searchAttributes: inherited })
      : null;
  const result =
    handedOver ??
    (await deploymentOutcome(
      executeChild<typeof deployment>(WORKFLOW_TYPES.deployment, {
        workflowId: rollbackId,
        // If this deployment is terminated, the rollback still restores the environment.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: inherited,
        args: [rollbackRequest],
      }),
    ));
  state.automatic_rollback = { rollback_id: rollbackId, status: result.status };
  run.check(
    'automatic_rollback',
    result.status === 'success' ? 'passed' : 'failed',
    `${rollbackId} to ${previous.ref}: ${result.status}${result.failure_reason ? ` (${result.failure_reason})` : ''}`,
    since,
  );
}
