import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { DEPLOYMENT_OPERATIONS, type DeploymentRequest } from '../domain/deployment-model.js';
import type { DeploymentPlan } from '../domain/deployment-tools.js';
import { WORKER_LOCAL_OPTIONS } from './activity-options.js';
import { planDeploymentSteps } from './deployment/planner.js';

const local = proxyActivities<Activities>(WORKER_LOCAL_OPTIONS);

/**
 * A dry run of a deploy, promotion or rollback: the same plan the deployment would make, from the same GitHub
 * reads, with no lock, no GitHub deployment record and no dispatch. Audited as a dry run.
 */
export async function planDeployment(request: DeploymentRequest): Promise<DeploymentPlan> {
  const { plan } = await planDeploymentSteps(request);
  await local.recordAudit({
    operation: DEPLOYMENT_OPERATIONS[request.kind],
    user: request.initiatedBy,
    environment: request.environment,
    success: plan.blockers.length === 0,
    dry_run: true,
    details: {
      from_version: plan.versions.from_version,
      to_version: plan.versions.to_version,
      ...(request.reason ? { reason: request.reason } : {}),
      ...(plan.blockers.length > 0 ? { error: plan.blockers.join('; ') } : {}),
    },
  });
  return plan;
}
