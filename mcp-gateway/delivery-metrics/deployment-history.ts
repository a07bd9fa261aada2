import type { Client } from '@temporalio/client';
import type { DeploymentInfo } from '../../domain/deployment.js';
import type { Environment } from '../../domain/environment.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { infoFromVisibility } from '../deployment-client.js';

/** Visibility's largest page: a year of deployments is read in a few round trips. */
const PAGE_SIZE = 1000;

function environmentDeployments(environment: Environment): string {
  return `WorkflowType = '${WORKFLOW_TYPES.deployment}' AND ${SEARCH_ATTRIBUTES.environment.name} = '${environment}'`;
}

async function read(temporal: Client, query: string, limit = Number.POSITIVE_INFINITY): Promise<DeploymentInfo[]> {
  const found: DeploymentInfo[] = [];
  for await (const execution of temporal.workflow.list({ query, pageSize: Math.min(PAGE_SIZE, limit) })) {
    const info = infoFromVisibility(execution);
    if (info) found.push(info);
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * The environment's deployments that ended since `since`, from their memos in Temporal visibility (no history is
 * read), plus the last one that went live before it: the base commit of the first change and what a rollback early in
 * the range rolls back. Visibility lists closed executions newest close first, so that one is the first answer.
 */
export async function deploymentsEndedSince(
  temporal: Client,
  environment: Environment,
  since: Date,
): Promise<DeploymentInfo[]> {
  const scope = environmentDeployments(environment);
  const closed = `${scope} AND ExecutionStatus != 'Running'`;
  const [inRange, liveBefore] = await Promise.all([
    read(temporal, `${closed} AND CloseTime >= '${since.toISOString()}'`),
    read(
      temporal,
      `${closed} AND ${SEARCH_ATTRIBUTES.status.name} = 'success' AND CloseTime < '${since.toISOString()}'`,
      1,
    ),
  ]);
  return [...liveBefore, ...inRange];
}
