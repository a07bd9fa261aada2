import type { Client } from '@temporalio/client';
import type { DeploymentInfo } from '../../domain/deployment.js';
import type { Environment } from '../../domain/environment.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { infoFromVisibility } from '../deployment-client.js';
import { closedDeploymentsSince } from './closed-deployments-cache.js';

function environmentDeployments(environment: Environment): string {
  return `WorkflowType = '${WORKFLOW_TYPES.deployment}' AND ${SEARCH_ATTRIBUTES.environment.name} = '${environment}'`;
}

async function first(temporal: Client, query: string): Promise<DeploymentInfo | null> {
  for await (const execution of temporal.workflow.list({ query, pageSize: 1 })) return infoFromVisibility(execution);
  return null;
}

/** The environment's newest deployment that went live (before `before`; a rollback included): what ran then. */
export async function lastLiveDeployment(
  temporal: Client,
  environment: Environment,
  before?: Date,
): Promise<DeploymentInfo | null> {
  const until = before ? ` AND CloseTime < '${before.toISOString()}'` : '';
  // Visibility lists closed executions newest close first, so the first answer is the one.
  return first(
    temporal,
    `${environmentDeployments(environment)} AND ExecutionStatus = 'Completed' AND ${SEARCH_ATTRIBUTES.status.name} = 'success'${until}`,
  );
}

/**
 * The environment's deployments that ended since `since`, from their memos in Temporal visibility (no history is
 * read; closed ones are cached, see closed-deployments-cache.ts), plus the last one that went live before it: the base commit of the first change and what a rollback early in
 * the range rolls back.
 */
export async function deploymentsEndedSince(
  temporal: Client,
  environment: Environment,
  since: Date,
): Promise<DeploymentInfo[]> {
  const [inRange, liveBefore] = await Promise.all([
    closedDeploymentsSince(temporal, environment, environmentDeployments(environment), since),
    lastLiveDeployment(temporal, environment, since),
  ]);
  return liveBefore ? [liveBefore, ...inRange] : inRange;
}
