import { CancellationScope, isCancellation, patched, setHandler, TemporalFailure } from '@temporalio/workflow';
import type { DeploymentRequest, DeploymentState } from '../domain/deployment-model.js';
import { failureReason } from '../domain/failure-reason.js';
import { type ApprovalGate, setUpApprovalGate } from './deployment/approval-gate.js';
import { bakeStep, setUpBakeControl } from './deployment/bake-step.js';
import { canaryPolicy, canaryStep } from './deployment/canary-step.js';
import { recordCommitTimesStep } from './deployment/commit-times-step.js';
import { DeploymentRefused, DeploymentRun } from './deployment/deployment-run.js';
import { planStep, type Target } from './deployment/plan-step.js';
import { shipStep } from './deployment/ship-step.js';
import { smokeTestsStep, verifyStep } from './deployment/verify-step.js';
import { deploymentFailure } from './deployment-failure.js';
import { deploymentStateQuery } from './deployment-messages.js';

/** Deployments started since then fail their workflow when they fail; earlier ones completed either way. */
const FAILED_DEPLOYMENTS_FAIL = 'failed-deployments-fail';

/** How the workflow ends: a failed deployment fails (Web UI, CLI, visibility), carrying its state. */
function ended(state: DeploymentState): DeploymentState {
  if (state.status === 'failure' && patched(FAILED_DEPLOYMENTS_FAIL)) throw deploymentFailure(state);
  return state;
}

/**
 * One deployment of one environment: a staging deploy, a production promotion (which waits for a person's approval)
 * or a rollback. The workflow id is the deployment id. Its steps (plan, approval gate, ship, verify, compensate) live
 * in deployment/ around one state holder. After dispatching cd.yml it always ends with the environment in a known
 * state: the new version proven by its smoke tests, or the previous one restored by the saga's compensations, which
 * run even when the deployment is cancelled.
 */
export async function deployment(request: DeploymentRequest): Promise<DeploymentState> {
  const run = new DeploymentRun(request);
  const gate = setUpApprovalGate(run);
  setUpBakeControl(run);
  setHandler(deploymentStateQuery, () => run.state);
  // Outside the saga: a failure thrown to end the workflow must not be taken for a step that failed.
  return ended(await runSaga(run, gate));
}

/** Ship once, then verify and bake: a deployment without canary steps. Null when it is live, else why not. */
async function shipVerifyBake(run: DeploymentRun, target: Target): Promise<string | null> {
  const shipped = await shipStep(run, target);
  return shipped.conclusion === 'success'
    ? ((await verifyStep(run, target)) ?? (await bakeStep(run)))
    : `Actions run ${shipped.runId} concluded ${shipped.conclusion}`;
}

/** The saga: plan, approval gate, ship, verify; on failure its compensations, then the one cleanup path. */
async function runSaga(run: DeploymentRun, gate: ApprovalGate): Promise<DeploymentState> {
  const { state, request } = run;
  try {
    const { target } = await planStep(run);
    state.phase = 'started';
    run.enter(`${request.kind} of ${target.ref} started`, 'in_progress');
    await run.audit(run.operation, true, {
      ...(request.kind === 'promotion' ? { staging_version: request.version } : {}),
      version: target.ref,
      from_version: state.versions?.from_version ?? null,
      to_version: target.ref,
      ...(request.reason ? { reason: request.reason } : {}),
      ...(request.automaticRollbackOf ? { rollback_of: request.automaticRollbackOf.deploymentId } : {}),
    });
    if (request.kind === 'promotion') {
      if (!request.skipSmokeTests && !(await smokeTestsStep(run, 'staging', 'staging_smoke_tests'))) {
        throw new DeploymentRefused('staging smoke tests failed; nothing was deployed');
      }
      await gate.pass();
    }
    const canary = canaryPolicy(run);
    const problem = canary ? await canaryStep(run, target, canary) : await shipVerifyBake(run, target);
    if (problem === null) {
      await run.setRecord('success', `${target.ref} is live and healthy`);
      await recordCommitTimesStep(run, target);
      await run.finish('success', null);
      return state;
    }
    await CancellationScope.nonCancellable(async () => {
      await run.compensations.run({ why: problem, recordState: 'failure' });
      await run.finish('failure', problem);
    });
    return state;
  } catch (error) {
    if (error instanceof DeploymentRefused) {
      if (state.phase === 'planning') {
        await run.refuse(error.message);
        await run.audit(run.operation, false, { version: state.version, error: error.message });
      }
      await run.finish('failure', error.message);
      return state;
    }
    // Cancelled, or a step failed for good: whatever was changed is undone before the workflow ends.
    const why = isCancellation(error) ? 'the deployment was cancelled' : failureReason(error);
    await CancellationScope.nonCancellable(async () => {
      if (state.phase === 'planning') await run.refuse(why);
      await run.compensations.run({ why, recordState: 'error' });
      await run.finish('failure', why);
    });
    if (isCancellation(error)) throw error;
    // A step that failed for good is a failed deployment; anything else is a bug the workflow task retries.
    if (error instanceof TemporalFailure) return state;
    throw error;
  }
}
