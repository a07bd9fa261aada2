// `npm start` as a user runs it (node dist/scripts/start.js), with nothing set but free ports and a data folder of
// its own: the embedded dev server, the sandbox, codec server, worker and gateway. A real MCP client drives it over
// Streamable HTTP and, as a desktop client would, over stdio with the README's snippet; then the worker process is
// SIGKILLed mid-deployment and `npm start` must bring it back while the rest keeps serving.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { stopChild } from '../../scripts/dev-server.js';
import { PROJECT_ROOT } from '../../scripts/temporal-binaries.js';
import { waitUntil } from '../../scripts/wait-until.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import { errorText } from '../helpers/mcp-stack.js';
import { freePort } from '../helpers/product-process.js';

// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field
type Result = any;

let dataDir: string;
let start: ChildProcess;
let stderr = '';
let ports: Record<string, number>;
let http: McpClient;

const toolResult = async (client: McpClient, name: string, args: Record<string, unknown>): Promise<Result> => {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(!result.isError, `${name}: ${errorText(result as Parameters<typeof errorText>[0])}`);
  return result.structuredContent;
};

async function childrenOf(pid: number): Promise<{ pid: number; args: string }[]> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]).catch(() => ({
    stdout: '',
  }));
  return stdout
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), args: match[2] as string }));
}

const workerPid = async () =>
  (await childrenOf(start.pid as number)).find((child) => child.args.includes('dist/worker/main.js'))?.pid;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-npm-start-'));
  const names = ['TEMPORAL_DEV_PORT', 'TEMPORAL_UI_PORT', 'SANDBOX_GITHUB_PORT', 'SANDBOX_STAGING_PORT'];
  ports = {};
  for (const name of [...names, 'SANDBOX_PRODUCTION_PORT', 'MCP_PORT', 'CODEC_SERVER_PORT']) {
    ports[name] = await freePort();
  }
  // Nothing of the product's configuration: only where to listen and where to keep state.
  start = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'scripts', 'start.js')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DEPLOYMENT_DATA_DIR: dataDir,
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  start.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await waitUntil(async () => stderr.includes('Press Ctrl-C to stop.'), {
    what: '`npm start` to say it is ready',
    timeoutMs: EVENT_CEILING_MS,
    intervalMs: 100,
    abandon: () => (start.exitCode === null ? null : `it exited with code ${start.exitCode}: ${stderr}`),
  });
  http = new McpClient({ name: 'npm-start-e2e', version: '1.0.0' });
  await http.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${ports.MCP_PORT}/mcp`)));
});

after(async () => {
  await http?.close();
  if (start) await stopChild(start, 30_000);
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start with nothing set (sandbox, embedded Temporal)', () => {
  it('serves a valid validate_deployment(staging, main) and keeps the audit log in its data folder', async () => {
    const content = await toolResult(http, 'validate_deployment', { environment: 'staging', git_ref: 'main' });
    assert.equal(content.valid, true, JSON.stringify(content.blockers));
    const auditLog = join(dataDir, 'deployments.log');
    assert.ok(stderr.includes(`Audit log: ${auditLog}`), stderr);
    const lines = (await readFile(auditLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(lines.some((line) => line.operation === 'validate_deployment' && line.success === true));
  });

  it("the README's stdio snippet joins the same stack: its Temporal, payload key, audit log and approval token", async () => {
    const token = (await readFile(join(dataDir, 'sandbox-admin-token'), 'utf8')).trim();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(PROJECT_ROOT, 'dist', 'mcp-gateway', 'main-stdio.js')],
      // The snippet's env, with the test's own port; the data folder is where this checkout's `npm start` keeps it.
      env: {
        PATH: process.env.PATH ?? '',
        TEMPORAL_ADDRESS: `127.0.0.1:${ports.TEMPORAL_DEV_PORT}`,
        DEPLOYMENT_DATA_DIR: dataDir,
      },
      stderr: 'pipe',
    });
    let gatewayStderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      gatewayStderr += chunk.toString();
    });
    const stdio = new McpClient({ name: 'npm-start-stdio', version: '1.0.0' });
    await stdio.connect(transport);
    try {
      const validation = await toolResult(stdio, 'validate_deployment', { environment: 'staging', git_ref: 'main' });
      assert.equal(validation.valid, true);
      // The token `npm start` made is accepted up front (a dry run checks it and deploys nothing).
      const plan = await toolResult(stdio, 'promote_to_production', {
        staging_version: 'v1.1.0',
        approval_token: token,
        dry_run: true,
      });
      assert.equal(plan.dry_run, true);
      assert.match(gatewayStderr, /DEPLOYMENT_AUDIT_LOG, DEPLOYMENT_ADMIN_TOKENS, PAYLOAD_CODEC_KEY_FILE from /);
      assert.ok(!gatewayStderr.includes(token), 'the token never reaches a log');
    } finally {
      await stdio.close();
    }
  });

  it('restarts a worker that dies, with a line saying so; the gateway keeps serving and the deployment finishes', async () => {
    const control = `http://127.0.0.1:${ports.SANDBOX_GITHUB_PORT}/_sandbox`;
    // A run long enough to kill the worker while the deployment waits for it.
    const timing = await fetch(`${control}/actions/timing`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ run_ms: 8000 }),
    });
    assert.ok(timing.ok);
    const started = await toolResult(http, 'deploy_to_staging', { git_ref: 'v1.2.0' });
    const status = () => toolResult(http, 'get_deployment_status', { deployment_id: started.deployment_id });
    await waitUntil(async () => (await status()).deployment.current_step.startsWith('waiting for Actions run'), {
      what: 'the deployment to wait for its cd.yml run',
      timeoutMs: EVENT_CEILING_MS,
      intervalMs: 200,
    });
    const gatewayBefore = (await childrenOf(start.pid as number)).find((child) => child.args.includes('main-http'));
    const killed = await workerPid();
    assert.ok(killed, 'npm start runs a worker process');
    process.kill(killed, 'SIGKILL');
    await waitUntil(async () => /worker exited \(SIGKILL\); restarting it in 1 s/.test(stderr), {
      what: "npm start's restart line",
      timeoutMs: EVENT_CEILING_MS,
      intervalMs: 100,
    });
    await waitUntil(async () => ((await workerPid()) ?? killed) !== killed, {
      what: 'a new worker process',
      timeoutMs: EVENT_CEILING_MS,
      intervalMs: 100,
    });
    let final: Result;
    await waitUntil(
      async () => {
        final = await status();
        return ['success', 'failure'].includes(final.deployment.status);
      },
      { what: 'the deployment to end', timeoutMs: EVENT_CEILING_MS, intervalMs: 250 },
    );
    assert.equal(final.deployment.status, 'success', final.deployment.failure_reason);
    const gatewayAfter = (await childrenOf(start.pid as number)).find((child) => child.args.includes('main-http'));
    assert.equal(gatewayAfter?.pid, gatewayBefore?.pid, 'the gateway kept running');
    assert.equal(start.exitCode, null, 'npm start kept running');
  });
});
