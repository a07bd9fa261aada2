import { type NativeConnection, Worker } from '@temporalio/worker';
import { createAuditLog } from '../activities/audit/audit-log.js';
import { createGitHubClient } from '../activities/github/client.js';
import { createActivities } from '../activities/index.js';
import type { WorkerConfig } from '../domain/config.js';
import { WORKFLOW_BUNDLE_PATH } from './workflow-bundle-path.js';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  config: WorkerConfig;
}

export function createWorker({ connection, namespace, config }: WorkerOptions): Promise<Worker> {
  const github = createGitHubClient({ ...config.github });
  return Worker.create({
    connection,
    namespace,
    taskQueue: config.taskQueue,
    workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
    activities: createActivities({ github, config, audit: createAuditLog(config.auditLogPath) }),
  });
}
