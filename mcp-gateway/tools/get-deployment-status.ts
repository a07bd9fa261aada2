import type { z } from 'zod';
import { bakeSecondsLeft } from '../../domain/bake-policy.js';
import type { DeploymentState } from '../../domain/deployment.js';
import { deploymentInfo } from '../../domain/deployment.js';
import { deploymentStatusInputSchema, deploymentStatusResultSchema } from '../../domain/deployment-tools.js';
import { readDeployment } from '../deployment-client.js';
import { overallHealth } from '../environment-health.js';
import { defineTool, type ToolContext } from '../tool-definition.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

export const getDeploymentStatusTool = defineTool({
  name: 'get_deployment_status',
  title: 'Get the status of a deployment',
  description:
    'The current state of one deployment, promotion or rollback by its deployment_id (or rollback_id): status, ' +
    'version, commit, who initiated it (token hash or system), timings, the Actions run page (logs_url), the steps ' +
    'so far as checks, its log lines (its own steps plus the Actions jobs, steps and a failed job log tail), and the ' +
    "environment's health (api, database, redis, celery_worker, celery_beat) from a probe at most " +
    'STATUS_HEALTH_MAX_AGE_SECONDS old (health_checked_at, health_age_ms). While a deploy bakes (status baking), ' +
    'deployment.bake says how long is left, its probe rounds, failing probes and error-rate gate. Cheap to poll: it starts no workflow, ' +
    'writes no audit line and makes no GitHub request.',
  inputSchema: deploymentStatusInputSchema,
  outputSchema: deploymentStatusResultSchema,
  annotations: READ_ONLY_TOOL,
  showsDeploymentCard: true,
  handler: (input, context) => deploymentStatus(input.deployment_id, context),
});

/** A deployment's state with its environment's health: the status tool's answer and the deployment resource's. */
export async function deploymentStatus(
  deploymentId: string,
  context: Pick<ToolContext, 'temporal' | 'health'>,
): Promise<z.infer<typeof deploymentStatusResultSchema>> {
  const state: DeploymentState = await readDeployment(context.temporal, deploymentId);
  const health = await context.health.read(state.environment);
  return {
    deployment: {
      ...deploymentInfo(state),
      health_status: overallHealth(health.health_checks),
      current_step: state.current_step,
      failure_reason: state.failure_reason,
      automatic_rollback: state.automatic_rollback,
      rollback_of: state.rollback_of,
      ...(state.bake ? { bake: { ...state.bake, seconds_left: bakeSecondsLeft(state.bake, Date.now()) } } : {}),
      ...(state.canary ? { canary: state.canary } : {}),
    },
    checks: state.checks,
    logs: state.logs,
    health_checks: health.health_checks,
    health_checked_at: health.checked_at,
    health_age_ms: health.age_ms,
    approval: state.approval,
  };
}
