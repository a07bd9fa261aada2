import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Env } from '../../domain/config.js';
import { PROJECT_ROOT } from '../../scripts/temporal-binaries.js';

const READY_TIMEOUT_MS = 30_000;
const READY_LINE = /^worker: task queue /m;

export interface TemporalTarget {
  address: string;
  namespace: string;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** What the worker wrote to stderr so far (its start line, errors). */
  stderr(): string;
  /** SIGKILL: no drain, no goodbye to the server; resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the worker drains and exits; SIGKILL after a grace period. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * The product's worker as a user runs it (`node dist/worker/main.js`), configured by environment only, so a test
 * can SIGKILL it the way a crash, an OOM kill or a lost machine would end it. Resolves once the worker says it
 * polls its task queue.
 */
export async function startWorkerProcess(env: Env, temporal: TemporalTarget): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'worker', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const worker: WorkerProcess = {
    child,
    stderr: () => stderr,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited(child);
      clearTimeout(killer);
    },
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!READY_LINE.test(stderr)) {
    if (child.exitCode !== null) throw new Error(`the worker exited with code ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      await worker.kill();
      throw new Error(`the worker did not start within ${READY_TIMEOUT_MS} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return worker;
}
