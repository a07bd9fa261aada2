import { listDeploymentsInputSchema, listDeploymentsResultSchema } from '../../domain/deployment-tools.js';
import { listDeployments } from '../deployment-client.js';
import { defineTool, type ToolContext } from '../tool-definition.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

/** "My deployments" needs to know who "me" is: a caller signed in through the identity provider. */
function signedInSubject(context: ToolContext): string {
  if (context.caller?.via === 'oauth') return context.caller.subject;
  throw new Error(
    'initiated_by_me needs a caller signed in through the identity provider (the HTTP gateway with MCP_OAUTH_ISSUER); this caller is not',
  );
}

export const listDeploymentsTool = defineTool({
  name: 'list_deployments',
  title: 'List recent deployments',
  description:
    'Recent deployments, promotions and rollbacks, newest first, from Temporal visibility: environment filters by ' +
    'environment, limit (1-100, default 10) caps the list, include_failed=false leaves out failed ones. total_count ' +
    'counts every match, not only those returned. initiated_by_me=true lists only what the signed-in caller started ' +
    '(gateways with an identity provider).',
  inputSchema: listDeploymentsInputSchema,
  outputSchema: listDeploymentsResultSchema,
  annotations: READ_ONLY_TOOL,
  async handler(input, context) {
    const { deployments, totalCount } = await listDeployments(
      context.temporal,
      {
        ...(input.environment ? { environment: input.environment } : {}),
        includeFailed: input.include_failed,
        ...(input.initiated_by_me ? { initiator: signedInSubject(context) } : {}),
      },
      input.limit,
    );
    // A deployment's commit times (up to 1,000) are for the metrics and its own status, not for a listing of 100.
    const listed = deployments.map(({ commit_times: _forTheMetrics, ...deployment }) => deployment);
    return { deployments: listed, total_count: totalCount, retrieved_at: new Date().toISOString() };
  },
});
