import { randomUUID } from 'node:crypto';
import type { NativeConnection } from '@temporalio/worker';
import { createGitHubClient, type GitHubRepo } from '../../activities/github/client.js';
import { type Env, parseWorkerConfig, type WorkerConfig } from '../../domain/config.js';
import type { Sandbox } from '../../sandbox/start-sandbox.js';
import { createWorker } from '../../worker/create-worker.js';

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
    ...overrides,
  };
}

export function sandboxConfig(sandbox: Sandbox, overrides: Env = {}): WorkerConfig {
  return parseWorkerConfig(sandboxEnv(sandbox, overrides));
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
