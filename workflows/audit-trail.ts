import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { REQUESTED_BY_MEMO, SYSTEM_USER } from '../domain/audit.js';
import type { Environment } from '../domain/environment.js';
import { WORKER_LOCAL_OPTIONS } from './activity-options.js';

const local = proxyActivities<Activities>(WORKER_LOCAL_OPTIONS);

/**
 * The audit line of a read-only tool's run: written by an activity, so a retried write leaves one line. Runs started
 * before these tools were audited replay without it (the `patched` marker), so a worker upgrade never breaks them.
 */
export async function auditToolRun(
  operation: string,
  run: { environment: Environment | null; success: boolean; dry_run: boolean; details: Record<string, unknown> },
): Promise<void> {
  if (!patched('audit-read-only-tool-runs')) return;
  // A signed-in caller's label, put in the memo by the gateway (never by the model); else the product itself.
  const requestedBy = workflowInfo().memo?.[REQUESTED_BY_MEMO];
  await local.recordAudit({
    operation,
    user: typeof requestedBy === 'string' ? requestedBy : SYSTEM_USER,
    ...run,
    details: { workflow_id: workflowInfo().workflowId, ...run.details },
  });
}
