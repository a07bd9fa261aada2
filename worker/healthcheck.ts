// Container health check of a worker (docker-compose.yml runs it in the worker's own container): exit 0 when Temporal
// lists a worker of this host among the recent pollers of the task queue, for workflow and for activity tasks.
// It proves the process started, connected and polls; not that GitHub or the environments answer.
import { hostname } from 'node:os';
import proto from '@temporalio/proto';
import { ConfigError, parseWorkerConfig } from '../domain/config.js';
import { connectWorkerToTemporal } from './temporal-connection.js';

// @temporalio/proto is CommonJS: its namespaces come through the default export under ESM.
const { TaskQueueType } = proto.temporal.api.enums.v1;

/** The worker's default identity is `<pid>@<hostname>`, and a container's hostname is its own. */
async function missingPollers(taskQueue: string, host: string): Promise<string[]> {
  const { connection, namespace } = await connectWorkerToTemporal();
  try {
    const missing: string[] = [];
    for (const [label, taskQueueType] of [
      ['workflow', TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
      ['activity', TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
    ] as const) {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType,
      });
      if (!pollers.some((poller) => poller.identity?.endsWith(`@${host}`))) missing.push(label);
    }
    return missing;
  } finally {
    await connection.close();
  }
}

try {
  const { taskQueue } = parseWorkerConfig(process.env);
  const missing = await missingPollers(taskQueue, hostname());
  if (missing.length > 0) {
    console.error(`worker healthcheck: no ${missing.join(' or ')} poller from ${hostname()} on '${taskQueue}'`);
    process.exit(1);
  }
} catch (error) {
  console.error(`worker healthcheck: ${error instanceof ConfigError ? error.message : String(error)}`);
  process.exit(1);
}
