import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { SYSTEM_USER } from '../domain/audit.js';
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
  await local.recordAudit({
    operation,
    user: SYSTEM_USER,
    ...run,
    details: { workflow_id: workflowInfo().workflowId, ...run.details },
  });
}
