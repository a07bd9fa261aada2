import { patched } from '@temporalio/workflow';
import { holdEnvironment } from '../environment-lock.js';
import { DeploymentRefused, type DeploymentRun } from './deployment-run.js';
import { type PlannedDeployment, planDeploymentSteps } from './planner.js';

/**
 * Deployments started since the automatic rollback holds the environment hand their lock over to it; earlier ones
 * ran their rollback beside a lock that ended with them, and replay that way.
 */
const LOCK_HANDED_TO_ROLLBACK = 'lock-handed-to-rollback';

export type Target = NonNullable<PlannedDeployment['target']>;

/** Holds the environment, or refuses, naming the deployment that holds it. */
async function holdOrRefuse(run: DeploymentRun): Promise<void> {
  const { environment } = run.request;
  run.lockHandedToRollback = patched(LOCK_HANDED_TO_ROLLBACK);
  const held = await holdEnvironment(environment, run.searchable, run.lockHandedToRollback);
  if ('lock' in held) {
    run.lock = held.lock;
    return;
  }
  throw new DeploymentRefused(
    `Deployment ${held.heldBy ?? '(unknown)'} is already running in ${environment}; one deployment per environment at a time. Wait for it to finish (get_deployment_status) or cancel it`,
  );
}

/**
 * Step 1, plan: holds the environment (an automatic rollback runs under its failed deployment's hold) and decides
 * what ships and what to go back to; refuses with every blocker.
 */
export async function planStep(run: DeploymentRun): Promise<PlannedDeployment & { target: Target }> {
  const { request, state } = run;
  const since = Date.now();
  run.enter(`planning the ${request.kind}`);
  if (!request.automaticRollbackOf) await holdOrRefuse(run);
  const planned = await planDeploymentSteps(request);
  const { plan: steps, target } = planned;
  run.restoreTo = planned.current;
  state.versions = steps.versions;
  state.version = steps.versions.to_version || state.version;
  if (steps.blockers.length > 0 || !target) {
    run.check('plan', 'failed', steps.blockers.join('; '), since, { versions: steps.versions });
    throw new DeploymentRefused(steps.blockers.join('; '));
  }
  state.git_ref = target.sha;
  run.check(
    'plan',
    'passed',
    `${steps.versions.from_version ?? '(nothing recorded)'} -> ${target.ref} (${target.sha.slice(0, 7)})`,
    since,
    { versions: steps.versions, steps: steps.steps },
  );
  return { ...planned, target };
}
