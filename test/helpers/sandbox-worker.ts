import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NativeConnection } from '@temporalio/worker';
import { createAuditLog } from '../../activities/audit/audit-log.js';
import { createGitHubClient, type GitHubRepo } from '../../activities/github/client.js';
import { createActivities } from '../../activities/index.js';
import { type Env, parseWorkerConfig, type WorkerConfig } from '../../domain/config.js';
import type { Sandbox } from '../../sandbox/start-sandbox.js';
import { createWorker } from '../../worker/create-worker.js';
import { TEST_PAYLOAD_CODEC_KEYS } from './temporal-env.js';

/** The admin token every test stack accepts; tests check it never shows up in clear. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-6f1c2d9e8b7a';

/**
 * This test process's own folder (mkdtemp: never a shared fixed path another user's run may own), removed when the
 * process ends.
 */
const TEST_FOLDER = mkdtempSync(join(tmpdir(), 'deploy-orchestrator-tests-'));
process.once('exit', () => rmSync(TEST_FOLDER, { recursive: true, force: true }));

/** A fresh audit log file per call, so each test reads only its own lines. */
export function testAuditLogPath(): string {
  return join(TEST_FOLDER, `audit-${randomUUID()}.log`);
}

/** The environment a user would set to point the product at this sandbox, plus a test's own overrides. */
export function sandboxEnv(sandbox: Sandbox, overrides: Env = {}): Env {
  return {
    GITHUB_TOKEN: sandbox.token,
    GITHUB_API_URL: sandbox.githubApiUrl,
    GITHUB_REPOSITORY: sandbox.repository,
    STAGING_URL: sandbox.stagingUrl,
    PRODUCTION_URL: sandbox.productionUrl,
    SMOKE_PROBE_TIMEOUT_SECONDS: '2',
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    DEPLOYMENT_ADMIN_TOKENS: `other-admin-token,${TEST_ADMIN_TOKEN}`,
    DEPLOYMENT_AUDIT_LOG: testAuditLogPath(),
    DEPLOYMENT_RUN_POLL_SECONDS: '1',
    PAYLOAD_CODEC_KEYS: TEST_PAYLOAD_CODEC_KEYS,
    GITHUB_REQUEST_TIMEOUT_SECONDS: '5',
    ...overrides,
  };
}

export function sandboxConfig(sandbox: Sandbox, overrides: Env = {}): WorkerConfig {
  return parseWorkerConfig(sandboxEnv(sandbox, overrides));
}

/** The activities a worker on this sandbox would run, for tests that call them directly. */
export function sandboxActivities(sandbox: Sandbox, overrides: Env = {}, token = sandbox.token) {
  const config = sandboxConfig(sandbox, overrides);
  return createActivities({
    github: sandboxGitHub(sandbox, token),
    config,
    audit: createAuditLog(config.auditLogPath),
  });
}

export function sandboxGitHub(sandbox: Sandbox, token = sandbox.token): GitHubRepo {
  const [owner = '', repo = ''] = sandbox.repository.split('/');
  return createGitHubClient({ token, apiUrl: sandbox.githubApiUrl, owner, repo, requestTimeoutMs: 5000 });
}

export interface RunningWorker {
  config: WorkerConfig;
  stop(): Promise<void>;
}

/** A real worker, on the prebuilt bundle, whose activities talk to the sandbox over HTTP. */
export async function startSandboxWorker(
  connection: NativeConnection,
  namespace: string,
  sandbox: Sandbox,
  overrides: Env = {},
): Promise<RunningWorker> {
  const config = sandboxConfig(sandbox, overrides);
  const worker = await createWorker({ connection, namespace, config });
  const running = worker.run();
  return {
    config,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}
