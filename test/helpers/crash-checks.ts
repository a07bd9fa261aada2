import type { Client, WorkflowHandle } from '@temporalio/client';
import type { DeploymentState } from '../../domain/deployment.js';
import type { ActionsRunSummary } from '../../sandbox/sandbox-state.js';
import type { Sandbox } from '../../sandbox/start-sandbox.js';
import type { deployment } from '../../workflows/deployment.js';
import { deploymentOutcome } from '../../workflows/deployment-failure.js';
import { deploymentStateQuery } from '../../workflows/deployment-messages.js';
import { EVENT_CEILING_MS } from './ceilings.js';
import { SANDBOX_REPO, sandboxOctokit, steer } from './sandbox-control.js';

export async function actionsRuns(sandbox: Sandbox): Promise<ActionsRunSummary[]> {
  return (await steer(sandbox, 'GET', '/actions/runs')) as ActionsRunSummary[];
}

/**
 * Whether the deployment waits for its cd.yml run and the sandbox says that run is in progress: the moment a crash
 * leaves a dispatched run behind.
 */
export async function waitsForRunningRun(
  sandbox: Sandbox,
  handle: WorkflowHandle<typeof deployment>,
): Promise<boolean> {
  const state = await handle.query(deploymentStateQuery).catch(() => null);
  if (!state?.current_step.startsWith('waiting for Actions run')) return false;
  const run = (await actionsRuns(sandbox)).find((each) => each.id === state.workflow_run_id);
  return run?.status === 'in_progress';
}

/** Every GitHub deployment record of the sandbox repository whose payload names this deployment. */
export async function deploymentRecordsOf(sandbox: Sandbox, deploymentId: string): Promise<number[]> {
  const octokit = sandboxOctokit(sandbox);
  const records = await octokit.paginate(octokit.rest.repos.listDeployments, { ...SANDBOX_REPO, per_page: 100 });
  return records
    .filter((record) => {
      const payload = typeof record.payload === 'string' ? JSON.parse(record.payload || '{}') : record.payload;
      return (payload as { deployment_id?: string }).deployment_id === deploymentId;
    })
    .map((record) => record.id);
}

/** What the environment's app says it runs. */
export async function runningVersion(sandbox: Sandbox, environment: 'staging' | 'production'): Promise<string> {
  const url = environment === 'staging' ? sandbox.stagingUrl : sandbox.productionUrl;
  const answer = (await (await fetch(`${url}/api/version`)).json()) as { version: string };
  return answer.version;
}

/** A deployment's end, bounded: a deployment stuck after a crash fails the test instead of hanging it. */
export async function finishedState(
  client: Client,
  deploymentId: string,
  timeoutMs = EVENT_CEILING_MS,
): Promise<DeploymentState> {
  const handle = client.workflow.getHandle<typeof deployment>(deploymentId);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(async () => {
      const state = await handle.query(deploymentStateQuery).catch(() => null);
      reject(new Error(`${deploymentId} did not finish within ${timeoutMs} ms; logs: ${state?.logs.join('\n')}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([deploymentOutcome(handle.result()), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
