import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Env } from '../../domain/config.js';
import { PROJECT_ROOT } from '../../scripts/temporal-binaries.js';
import { EVENT_CEILING_MS } from './ceilings.js';

export interface TemporalTarget {
  address: string;
  namespace: string;
}

export interface ProductProcess {
  child: ChildProcess;
  /** What the process wrote to stderr so far (its start line, errors). */
  stderr(): string;
  /** SIGKILL: no drain, no goodbye to the server; resolves when the process is gone. */
  kill(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * One of the product's entry points as a user runs it (`node dist/...`), configured by environment only, so a test
 * can SIGKILL it the way a crash, an OOM kill or a lost machine would end it. Resolves once its stderr says `ready`.
 */
export async function startProductProcess(entry: string, env: Env, ready: RegExp): Promise<ProductProcess> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', entry)], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const running: ProductProcess = {
    child,
    stderr: () => stderr,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
  const deadline = Date.now() + EVENT_CEILING_MS;
  while (!ready.test(stderr)) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with code ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      await running.kill();
      throw new Error(`${entry} did not start within ${EVENT_CEILING_MS} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return running;
}

const temporalEnv = (temporal: TemporalTarget): Env => ({
  TEMPORAL_ADDRESS: temporal.address,
  TEMPORAL_NAMESPACE: temporal.namespace,
});

/** The worker (`node dist/worker/main.js`), once it says it polls its task queue. */
export function startWorkerProcess(env: Env, temporal: TemporalTarget): Promise<ProductProcess> {
  return startProductProcess('worker/main.js', { ...env, ...temporalEnv(temporal) }, /^worker: task queue /m);
}

/** The gateway over Streamable HTTP (`node dist/mcp-gateway/main-http.js`), once it listens. */
export function startGatewayProcess(env: Env, temporal: TemporalTarget): Promise<ProductProcess> {
  return startProductProcess(
    'mcp-gateway/main-http.js',
    // Promotions end when production is proven, as before the bake window; a test that wants one sets it.
    { PRODUCTION_BAKE_SECONDS: '0', ...env, ...temporalEnv(temporal) },
    /^gateway: MCP endpoint /m,
  );
}

/** A loopback port free right now, for a process that must come back on the same port after a restart. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
