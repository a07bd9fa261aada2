import { SYSTEM_USER } from '../../domain/audit.js';
import { identityLabel } from '../../domain/caller-identity.js';
import { deploymentMetricsInputSchema, deploymentMetricsResultSchema } from '../../domain/delivery-metrics-tool.js';
import { failureReason } from '../../domain/failure-reason.js';
import { readDeliveryMetrics } from '../delivery-metrics/read-delivery-metrics.js';
import { defineTool } from '../tool-definition.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

export const getDeploymentMetricsTool = defineTool({
  name: 'get_deployment_metrics',
  title: 'Get delivery metrics (DORA four keys)',
  description:
    'The four DORA keys of an environment (staging or production, default production) over the last window_days ' +
    '(1-365, default 30) and the window before it (trend): deployment frequency (successful deployments per day and ' +
    'week), lead time for changes (each commit from its time to its deployment going live; median and p90), change ' +
    'failure rate (deployments that failed after dispatch or were rolled back, over those dispatched) and failed ' +
    'deployment recovery time (failure to the next successful deployment or rollback; median), each with its DORA ' +
    '2023 band and the counts it rests on. Refused, rejected and dry-run deployments are not deployments; rollbacks ' +
    "are recoveries, not changes. Reads the environment's delivery ledger (kept from Temporal visibility); asks GitHub " +
    'only for the commits of deployments that did not record them going live, once each.',
  inputSchema: deploymentMetricsInputSchema,
  outputSchema: deploymentMetricsResultSchema,
  annotations: READ_ONLY_TOOL,
  showsDeploymentCard: true,
  async handler(input, context) {
    const audit = (success: boolean, details: Record<string, unknown>) =>
      context.audit.append({
        timestamp: new Date().toISOString(),
        operation: 'get_deployment_metrics',
        user: context.caller ? identityLabel(context.caller) : SYSTEM_USER,
        environment: input.environment,
        success,
        dry_run: false,
        details: { window_days: input.window_days, ...details },
      });
    try {
      const metrics = await readDeliveryMetrics(input, context);
      await audit(true, { deployments_read: metrics.deployments_read, github_requests: metrics.github_requests });
      return metrics;
    } catch (error) {
      await audit(false, { error: failureReason(error) });
      throw error;
    }
  },
});
