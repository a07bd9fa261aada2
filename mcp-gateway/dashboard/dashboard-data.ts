import { DEPLOYMENT_STATUSES, type DeploymentInfo } from '../../domain/deployment.js';
import { ENVIRONMENTS } from '../../domain/environment.js';
import { readDeliveryMetricsWithSeries } from '../delivery-metrics/read-delivery-metrics.js';
import { listDeployments } from '../deployment-client.js';
import { readEnvironmentState } from '../environment-state.js';
import type { ToolContext } from '../tool-definition.js';
import { deploymentStatus } from '../tools/get-deployment-status.js';

const WINDOW_DAYS = 30;
const TIMELINE_LENGTH = 20;
const STILL_RUNNING: readonly string[] = DEPLOYMENT_STATUSES.filter(
  (status) => status !== 'success' && status !== 'failure',
);

/** Where a deployment's page is in the Temporal Web UI. */
export interface WebUi {
  url: string;
  namespace: string;
}

function webUiLink(webUi: WebUi, deploymentId: string): string {
  return `${webUi.url}/namespaces/${encodeURIComponent(webUi.namespace)}/workflows/${encodeURIComponent(deploymentId)}`;
}

function withLink(webUi: WebUi, deployment: DeploymentInfo) {
  return { ...deployment, web_ui_url: webUiLink(webUi, deployment.deployment_id) };
}

/**
 * Everything the dashboard shows, from the functions the tools and resources use: each environment's state (and a
 * running deployment's step, with the approve command while it waits), its four keys over 30 days with a per-day
 * series, and the newest deployments and rollbacks of both.
 */
export async function dashboardOverview(context: ToolContext, webUi: WebUi) {
  const environments = await Promise.all(
    ENVIRONMENTS.map(async (environment) => {
      const input = { environment, window_days: WINDOW_DAYS };
      const [state, { metrics, series }] = await Promise.all([
        readEnvironmentState(context, environment),
        readDeliveryMetricsWithSeries(input, context, WINDOW_DAYS),
      ]);
      const last = state.last_deployment;
      const running =
        last && STILL_RUNNING.includes(last.status) ? await deploymentStatus(last.deployment_id, context) : null;
      return {
        ...state,
        last_deployment: last ? withLink(webUi, last) : null,
        running: running
          ? {
              deployment_id: running.deployment.deployment_id,
              kind: running.deployment.kind,
              version: running.deployment.version,
              status: running.deployment.status,
              current_step: running.deployment.current_step,
              web_ui_url: webUiLink(webUi, running.deployment.deployment_id),
              approve_command:
                running.deployment.status === 'awaiting_approval'
                  ? `temporal workflow signal --workflow-id ${running.deployment.deployment_id} --name approve --input '{"token":"<admin token>","approver":"<your name>"}' --codec-endpoint <codec server URL>`
                  : null,
            }
          : null,
        metrics,
        series: series.map((bucket) => ({
          start: bucket.start,
          deployments: bucket.deployment_frequency.successful_deployments,
          lead_time_median_hours:
            bucket.lead_time_for_changes.median_seconds === null
              ? null
              : bucket.lead_time_for_changes.median_seconds / 3600,
          change_failure_rate: bucket.change_failure_rate.rate,
          recovery_median_minutes:
            bucket.failed_deployment_recovery_time.median_seconds === null
              ? null
              : bucket.failed_deployment_recovery_time.median_seconds / 60,
        })),
      };
    }),
  );
  const { deployments } = await listDeployments(context.temporal, { includeFailed: true }, TIMELINE_LENGTH);
  return {
    environments,
    timeline: deployments.map((deployment) => withLink(webUi, deployment)),
    window_days: WINDOW_DAYS,
    retrieved_at: new Date().toISOString(),
  };
}
