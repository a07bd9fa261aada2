import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { DEPLOYMENT_INITIATOR } from '../domain/initiator-search-attribute.js';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';
import { waitUntil } from './wait-until.js';

export interface DevServerOptions {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  /** The codec server the Web UI asks to show (and encode) encrypted payloads. */
  uiCodecEndpoint?: string;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

async function answers(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

/**
 * The embedded default: the Temporal CLI's dev server with a SQLite file under the project's data folder, so
 * workflows survive a restart, its Web UI on, and the product's search attributes registered.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  await mkdir(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    join(options.dataDir, 'temporal.sqlite'),
    '--log-level',
    'warn',
    '--ui-disable-news-fetch',
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    ...[...Object.values(SEARCH_ATTRIBUTES), DEPLOYMENT_INITIATOR].flatMap((key) => [
      '--search-attribute',
      `${key.name}=Keyword`,
    ]),
  ];
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const address = `127.0.0.1:${options.port}`;
  await waitUntil(() => answers(address), {
    what: `the Temporal dev server on ${address}`,
    timeoutMs: READY_TIMEOUT_MS,
    intervalMs: 300,
    abandon: () => (child.exitCode === null ? null : `temporal server start-dev exited with code ${child.exitCode}`),
  });
  return {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    process: child,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL if the process has not gone within a few seconds. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
