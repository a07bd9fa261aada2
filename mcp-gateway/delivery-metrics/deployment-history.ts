import type { Client } from '@temporalio/client';
import type { DeploymentInfo } from '../../domain/deployment.js';
import type { Environment } from '../../domain/environment.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { infoFromVisibility } from '../deployment-client.js';

/** Temporal visibility's filter for one environment's deployments (rollbacks included). */
export function environmentDeployments(environment: Environment): string {
  return `WorkflowType = '${WORKFLOW_TYPES.deployment}' AND ${SEARCH_ATTRIBUTES.environment.name} = '${environment}'`;
}

/** The environment's newest deployment that went live (a rollback included): what runs now. */
export async function lastLiveDeployment(temporal: Client, environment: Environment): Promise<DeploymentInfo | null> {
  // Visibility lists closed executions newest close first, so the first answer is the one.
  const query = `${environmentDeployments(environment)} AND ExecutionStatus = 'Completed' AND ${SEARCH_ATTRIBUTES.status.name} = 'success'`;
  for await (const execution of temporal.workflow.list({ query, pageSize: 1 })) return infoFromVisibility(execution);
  return null;
}
