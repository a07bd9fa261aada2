import type { FinishedRun } from '../../activities/github/actions-runs.js';
import { github, githubWrite, runWatch } from './activities.js';
import { rollBackAutomatically } from './compensate-step.js';
import type { DeploymentRun } from './deployment-run.js';
import type { Target } from './plan-step.js';

/**
 * Step 3, ship: records the GitHub deployment, dispatches cd.yml and waits for its run. Each change it makes adds its
 * compensation: the record is marked failed, a run in flight is cancelled, and once cd.yml is dispatched the
 * environment may be changing, so the previous version is restored.
 */
export async function shipStep(run: DeploymentRun, target: Target): Promise<FinishedRun> {
  const recordedAt = await recordDeploymentStep(run, target);
  return dispatchStep(run, target, recordedAt);
}

/** One canary step's dispatch: its label for the status, the traffic weight, and the runs of the earlier steps. */
export interface CanaryDispatch {
  label: string;
  trafficWeight: { input: string; weight: number };
  knownRunIds: number[];
}

/** The GitHub deployment record (one per deployment, canary steps included); when GitHub made it. */
export async function recordDeploymentStep(run: DeploymentRun, target: Target): Promise<string> {
  const { request, state, deploymentId, compensations } = run;
  const since = Date.now();
  run.enter(`recording the GitHub deployment of ${target.ref}`, 'in_progress');
  const record = await githubWrite.createDeploymentRecord({
    deploymentId,
    kind: request.kind,
    environment: request.environment,
    ref: target.ref,
    sha: target.sha,
    description: `${request.kind} of ${target.ref} (${deploymentId})`,
  });
  run.recordId = record.recordId;
  state.github_deployment_id = record.recordId;
  compensations.add('mark the GitHub deployment', ({ why, recordState }) => run.setRecord(recordState, why));
  await run.setRecord('queued', `Dispatching ${target.ref}`);
  run.check('github_deployment', 'passed', `GitHub deployment ${record.recordId} recorded`, since);
  return record.createdAt;
}

/** Dispatches cd.yml once (a canary step sets its traffic weight) and waits for the run. */
export async function dispatchStep(
  run: DeploymentRun,
  target: Target,
  notBefore: string,
  canary?: CanaryDispatch,
): Promise<FinishedRun> {
  const { request, state, compensations } = run;
  const step = (text: string) => (canary ? `${canary.label}: ${text}` : text);
  const known = canary ? { knownRunIds: canary.knownRunIds } : {};
  let since = Date.now();
  run.enter(
    step(
      canary
        ? `dispatching cd.yml (${canary.trafficWeight.input}=${canary.trafficWeight.weight})`
        : 'dispatching cd.yml',
    ),
  );
  const identified = await githubWrite.dispatchDeploymentRun({
    environment: request.environment,
    ref: target.ref,
    sha: target.sha,
    skipTests: request.skipTests,
    notBefore,
    ...(canary ? { trafficWeight: canary.trafficWeight } : {}),
    ...known,
  });
  compensations.restoreWith('restore the previous version', ({ why }) => rollBackAutomatically(run, why));
  const dispatched = identified ?? (await runWatch.findDispatchedRun({ sha: target.sha, notBefore, ...known }));
  state.workflow_run_id = dispatched.runId;
  state.logs_url = dispatched.htmlUrl;
  compensations.add('cancel the Actions run', () => github.cancelWorkflowRun(dispatched.runId));
  run.check(
    'actions_dispatch',
    'passed',
    step(`cd.yml run ${dispatched.runId} (identified by ${dispatched.identifiedBy})`),
    since,
    { run_id: dispatched.runId, html_url: dispatched.htmlUrl },
  );
  await run.setRecord('in_progress', step(`cd.yml run ${dispatched.runId}`));

  since = Date.now();
  run.enter(step(`waiting for Actions run ${dispatched.runId}`));
  const finished = await runWatch.awaitWorkflowRun(dispatched.runId);
  compensations.drop('cancel the Actions run');
  state.logs.push(...finished.logLines.map((line) => `run ${dispatched.runId}: ${line}`));
  run.check(
    'actions_run',
    finished.conclusion === 'success' ? 'passed' : 'failed',
    step(`run ${dispatched.runId} concluded ${finished.conclusion}`),
    since,
    { run_id: dispatched.runId, conclusion: finished.conclusion, head_sha: finished.headSha },
  );
  return finished;
}
