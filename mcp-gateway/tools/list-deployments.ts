import { listDeploymentsInputSchema, listDeploymentsResultSchema } from '../../domain/deployment-tools.js';
import { listDeployments } from '../deployment-client.js';
import { defineTool } from '../tool-definition.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

export const listDeploymentsTool = defineTool({
  name: 'list_deployments',
  title: 'List recent deployments',
  description:
    'Recent deployments, promotions and rollbacks, newest first, from Temporal visibility: environment filters by ' +
    'environment, limit (1-100, default 10) caps the list, include_failed=false leaves out failed ones. total_count ' +
    'counts every match, not only those returned.',
  inputSchema: listDeploymentsInputSchema,
  outputSchema: listDeploymentsResultSchema,
  annotations: READ_ONLY_TOOL,
  async handler(input, context) {
    const { deployments, totalCount } = await listDeployments(
      context.temporal,
      { ...(input.environment ? { environment: input.environment } : {}), includeFailed: input.include_failed },
      input.limit,
    );
    return { deployments, total_count: totalCount, retrieved_at: new Date().toISOString() };
  },
});
