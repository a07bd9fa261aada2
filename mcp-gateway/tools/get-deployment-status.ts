import { randomUUID } from 'node:crypto';
import type { DeploymentState } from '../../domain/deployment.js';
import { deploymentInfo } from '../../domain/deployment.js';
import { deploymentStatusInputSchema, deploymentStatusResultSchema } from '../../domain/deployment-tools.js';
import type { Environment } from '../../domain/environment.js';
import { failureReason } from '../../domain/failure-reason.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { HEALTH_COMPONENTS, type HealthComponent } from '../../domain/smoke-tests.js';
import type { runSmokeTests } from '../../workflows/run-smoke-tests.js';
import { readDeployment } from '../deployment-client.js';
import { defineTool, type ToolContext } from '../tool-definition.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

const HEALTH_TIMEOUT_SECONDS = 30;

/** The environment's health now: one run of the full smoke suite, as its own short workflow. */
async function probeHealthNow(
  environment: Environment,
  context: ToolContext,
): Promise<Record<HealthComponent, string>> {
  try {
    const result = await context.temporal.workflow.execute<typeof runSmokeTests>('runSmokeTests', {
      taskQueue: context.config.taskQueue,
      workflowId: `health-check-${randomUUID()}`,
      args: [{ environment, test_suite: 'full', timeout_seconds: HEALTH_TIMEOUT_SECONDS, dry_run: false }],
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.kind, value: 'health_check' },
        { key: SEARCH_ATTRIBUTES.environment, value: environment },
      ],
    });
    const byComponent = new Map(result.results.map((probe) => [probe.check_name, probe]));
    return Object.fromEntries(
      HEALTH_COMPONENTS.map((component) => {
        const probe = byComponent.get(component);
        return [component, probe ? (probe.status === 'passed' ? 'healthy' : `unhealthy: ${probe.message}`) : 'unknown'];
      }),
    ) as Record<HealthComponent, string>;
  } catch (error) {
    const unknown = `unknown: the health check did not run (${failureReason(error)})`;
    return Object.fromEntries(HEALTH_COMPONENTS.map((component) => [component, unknown])) as Record<
      HealthComponent,
      string
    >;
  }
}

function overallHealth(health: Record<HealthComponent, string>): string {
  const values = Object.values(health);
  if (values.every((value) => value === 'healthy')) return 'healthy';
  return values.some((value) => value.startsWith('unhealthy')) ? 'unhealthy' : 'unknown';
}

export const getDeploymentStatusTool = defineTool({
  name: 'get_deployment_status',
  title: 'Get the status of a deployment',
  description:
    'The current state of one deployment, promotion or rollback by its deployment_id (or rollback_id): status, ' +
    'version, commit, who initiated it (token hash or system), timings, the Actions run page (logs_url), the steps ' +
    'so far as checks, its log lines (its own steps plus the Actions jobs, steps and a failed job log tail), and the ' +
    "environment's health probed now (api, database, redis, celery_worker, celery_beat).",
  inputSchema: deploymentStatusInputSchema,
  outputSchema: deploymentStatusResultSchema,
  annotations: READ_ONLY_TOOL,
  async handler(input, context) {
    const state: DeploymentState = await readDeployment(context.temporal, input.deployment_id);
    const health = await probeHealthNow(state.environment, context);
    return {
      deployment: {
        ...deploymentInfo(state),
        health_status: overallHealth(health),
        current_step: state.current_step,
        failure_reason: state.failure_reason,
        automatic_rollback: state.automatic_rollback,
        rollback_of: state.rollback_of,
      },
      checks: state.checks,
      logs: state.logs,
      health_checks: health,
      approval: state.approval,
    };
  },
});
