// A bake window across crashes, with real processes: the dev server on its SQLite file, a worker process, the
// sandbox. The worker is SIGKILLed and the dev server SIGKILLed and restarted in the middle of a bake; the bake
// resumes on its durable timers and ends as it should: success after the window, or a rollback when the environment
// turns unhealthy after the crash.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { BakePolicy } from '../../domain/bake-policy.js';
import type { DeploymentState } from '../../domain/deployment.js';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { startDevServer } from '../../scripts/dev-server.js';
import { findTemporalBinaries } from '../../scripts/temporal-binaries.js';
import { waitUntil } from '../../scripts/wait-until.js';
import type { deployment } from '../../workflows/deployment.js';
import { deploymentStateQuery } from '../../workflows/deployment-messages.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import { actionsRuns, finishedState, runningVersion } from '../helpers/crash-checks.js';
import { deploymentRequest } from '../helpers/deployments.js';
import { freePort, type ProductProcess, startWorkerProcess } from '../helpers/product-process.js';
import { steer } from '../helpers/sandbox-control.js';
import { sandboxEnv } from '../helpers/sandbox-worker.js';
import { TEST_DATA_CONVERTER } from '../helpers/temporal-env.js';

const BAKE: BakePolicy = { seconds: 25, probeIntervalSeconds: 1, failedRoundsToRollBack: 3, errorRate: null };

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox?.close());

async function bakeOf(handle: WorkflowHandle<typeof deployment>): Promise<DeploymentState | null> {
  return handle.query(deploymentStateQuery).catch(() => null);
}

async function untilRounds(handle: WorkflowHandle<typeof deployment>, rounds: number, what: string): Promise<void> {
  await waitUntil(async () => ((await bakeOf(handle))?.bake?.probe_rounds ?? 0) >= rounds, {
    what,
    timeoutMs: EVENT_CEILING_MS,
    intervalMs: 100,
  });
}

describe('a bake window survives a worker SIGKILL and a dev server restart', () => {
  it('resumes on its durable timers: ends success after the window, or rolls back when health fails after the crash', async () => {
    const { cli } = await findTemporalBinaries();
    assert.ok(cli, 'the Temporal CLI (npm test installs it)');
    const dataDir = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-bake-crash-'));
    const serverOptions = { cliPath: cli, dataDir, port: await freePort(), uiPort: await freePort() };
    let server = await startDevServer(serverOptions);
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, dataConverter: TEST_DATA_CONVERTER });
    const env = sandboxEnv(sandbox);
    const temporal = { address: server.address, namespace: 'default' };
    let worker: ProductProcess = await startWorkerProcess(env, temporal);
    const killWorker = async () => {
      await worker.kill(); // SIGKILL
      worker = await startWorkerProcess(env, temporal);
    };
    const start = (version: string) =>
      client.workflow.start<typeof deployment>('deployment', {
        taskQueue: env.TEMPORAL_TASK_QUEUE as string,
        workflowId: `deploy-bake-crash-${version}`,
        args: [deploymentRequest({ kind: 'deploy', environment: 'staging', version, bake: BAKE })],
      });
    try {
      await steer(sandbox, 'POST', '/reset');
      await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 100, run_ms: 500 });

      // 1. Killed worker, then a killed and restarted server, both mid-bake: the window passes, success.
      const healthy = await start('v1.1.0');
      await untilRounds(healthy, 3, 'the bake to run a few rounds');
      await killWorker();
      await untilRounds(healthy, 6, 'the bake to go on after the worker SIGKILL');
      server.process.kill('SIGKILL');
      await new Promise((resolve) => server.process.once('exit', resolve));
      server = await startDevServer(serverOptions);
      await untilRounds(healthy, 9, 'the bake to go on after the server restart');
      const passed = await finishedState(client, healthy.workflowId);
      assert.equal(passed.status, 'success', passed.failure_reason ?? '');
      assert.equal(passed.bake?.outcome, 'passed');
      const bakedMs = Date.parse(passed.completed_at ?? '') - Date.parse(passed.bake?.started_at ?? '');
      assert.ok(bakedMs >= BAKE.seconds * 1000, `ended ${bakedMs} ms after the bake started, not before the window`);
      assert.equal((await actionsRuns(sandbox)).filter((run) => run.ref === 'v1.1.0').length, 1, 'one dispatch');

      // 2. Killed worker mid-bake, then staging turns unhealthy: the resumed bake rolls back to v1.1.0.
      const failing = await start('v1.2.0');
      await untilRounds(failing, 3, 'the second bake to run a few rounds');
      await killWorker();
      await steer(sandbox, 'POST', '/apps/staging/components/database', { mode: 'unhealthy' });
      const rolledBack = await finishedState(client, failing.workflowId);
      assert.equal(rolledBack.status, 'failure');
      assert.equal(rolledBack.bake?.outcome, 'breached');
      assert.match(
        rolledBack.failure_reason ?? '',
        /3 probe rounds failed in a row: round \d+: database answered HTTP 503/,
      );
      assert.equal(rolledBack.automatic_rollback?.status, 'success');
      assert.equal(await runningVersion(sandbox, 'staging'), 'v1.1.0');
      assert.equal(worker.child.exitCode, null, 'the restarted worker rode out the server restart');
    } finally {
      await worker.kill();
      await connection.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
