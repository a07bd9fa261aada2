import type { SearchAttributePair } from '@temporalio/common';
import { condition, executeChild, ParentClosePolicy, setHandler, uuid4 } from '@temporalio/workflow';
import { SYSTEM_USER } from '../../domain/audit.js';
import { type DeploymentState, newDeploymentRequest } from '../../domain/deployment.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import type { deployment } from '../deployment.js';
import { type AutomaticRollbackHandOver, handOverLockSignal, rollbackEndedSignal } from '../deployment-messages.js';
import type { EnvironmentLock } from '../environment-lock.js';
import { WORKFLOW_TYPES } from '../workflow-types.js';
import type { DeploymentRun } from './deployment-run.js';

/** The lock runs the rollback and holds the environment until it ends; the lock says how it ended. */
async function handOver(lock: EnvironmentLock, rollback: AutomaticRollbackHandOver): Promise<DeploymentState> {
  let ended: DeploymentState | null = null;
  setHandler(rollbackEndedSignal, (result) => {
    ended = result;
  });
  await lock.signal(handOverLockSignal, rollback);
  await condition(() => ended !== null);
  return ended as unknown as DeploymentState;
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
  const result =
    run.lockHandedToRollback && run.lock
      ? await handOver(run.lock, { rollbackId, request: rollbackRequest, searchAttributes: inherited })
      : await executeChild<typeof deployment>(WORKFLOW_TYPES.deployment, {
          workflowId: rollbackId,
          // If this deployment is terminated, the rollback still restores the environment.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: inherited,
          args: [rollbackRequest],
        });
  state.automatic_rollback = { rollback_id: rollbackId, status: result.status };
  run.check(
    'automatic_rollback',
    result.status === 'success' ? 'passed' : 'failed',
    `${rollbackId} to ${previous.ref}: ${result.status}${result.failure_reason ? ` (${result.failure_reason})` : ''}`,
    since,
  );
}
