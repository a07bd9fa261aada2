import { type NativeConnection, Worker } from '@temporalio/worker';
import { createAuditLog } from '../activities/audit/audit-log.js';
import { createGitHubClient } from '../activities/github/client.js';
import { createActivities } from '../activities/index.js';
import { payloadDataConverter } from '../codec/payload-encryption.js';
import type { WorkerConfig } from '../domain/config.js';
import { createRedactor } from '../domain/redaction.js';
import { redactActivityErrors } from './redact-activity-errors.js';
import { WORKFLOW_BUNDLE_PATH } from './workflow-bundle-path.js';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  config: WorkerConfig;
}

export async function createWorker({ connection, namespace, config }: WorkerOptions): Promise<Worker> {
  const github = createGitHubClient({ ...config.github });
  const dataConverter = await payloadDataConverter(config.payloadKeys);
  return Worker.create({
    connection,
    namespace,
    taskQueue: config.taskQueue,
    ...(dataConverter ? { dataConverter } : {}),
    workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
    interceptors: {
      activity: [redactActivityErrors(createRedactor([config.github.token, ...config.adminTokens]))],
    },
    activities: createActivities({ github, config, audit: createAuditLog(config.auditLogPath) }),
  });
}
