import { type NativeConnection, type WorkerOptions as TemporalWorkerOptions, Worker } from '@temporalio/worker';
import { createAuditLog } from '../activities/audit/audit-log.js';
import { createGitHubClient } from '../activities/github/client.js';
import { heartbeating } from '../activities/heartbeat.js';
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
  /** Worker settings to tune beyond the defaults below (benchmarks compare them). */
  tuning?: Pick<TemporalWorkerOptions, 'stickyQueueScheduleToStartTimeout' | 'workflowBundle'>;
}

/**
 * How long a workflow task waits on the queue of the worker that ran the workflow last (its cached copy) before any
 * worker takes it from history. When that worker is killed, every workflow it cached, and every query to them, stalls
 * this long (the SDK's default is 10 s); a live worker picks its tasks up in milliseconds, so a few seconds only
 * cost a replay now and then on a very busy machine.
 */
const STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT = '2 seconds';

export async function createWorker({ connection, namespace, config, tuning }: WorkerOptions): Promise<Worker> {
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
    // Each activity heartbeats while it runs, so one lost with this worker is retried elsewhere within seconds.
    activities: heartbeating(createActivities({ github, config, audit: createAuditLog(config.auditLogPath) })),
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT,
    ...tuning,
  });
}
