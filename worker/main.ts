// The worker process: runs the workflows and activities on the configured task queue until SIGINT/SIGTERM.
import { ensureAuditLogWritable } from '../activities/audit/audit-log.js';
import { ConfigError, parseWorkerConfig } from '../domain/config.js';
import { createRedactor, redactWrites, secretValues } from '../domain/redaction.js';
import { createWorker } from './create-worker.js';
import { connectWorkerToTemporal } from './temporal-connection.js';

// Every log line goes to stderr; no secret this process holds may reach it.
redactWrites(process.stderr, createRedactor(secretValues(process.env)));

try {
  const config = parseWorkerConfig(process.env);
  await ensureAuditLogWritable(config.auditLogPath);
  const { connection, namespace } = await connectWorkerToTemporal();
  const worker = await createWorker({ connection, namespace, config });
  console.error(
    `worker: task queue '${config.taskQueue}', namespace '${namespace}', GitHub ${config.github.apiUrl} (${config.github.owner}/${config.github.repo})`,
  );
  // Worker.run installs its own SIGINT/SIGTERM handling and drains in-flight tasks before resolving.
  await worker.run();
  await connection.close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
