// The embedded dev server (temporal server start-dev with its SQLite file) stopped and started again while a
// deployment waits for its cd.yml run: the worker process reconnects by itself and the deployment finishes once.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { startDevServer } from '../../scripts/dev-server.js';
import { findTemporalBinaries } from '../../scripts/temporal-binaries.js';
import { waitUntil } from '../../scripts/wait-until.js';
import type { deployment } from '../../workflows/deployment.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import {
  actionsRuns,
  deploymentRecordsOf,
  finishedState,
  runningVersion,
  waitsForRunningRun,
} from '../helpers/crash-checks.js';
import { deploymentRequest } from '../helpers/deployments.js';
import { freePort, startWorkerProcess } from '../helpers/product-process.js';
import { steer } from '../helpers/sandbox-control.js';
import { sandboxEnv } from '../helpers/sandbox-worker.js';
import { TEST_DATA_CONVERTER } from '../helpers/temporal-env.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox?.close());

describe('the embedded dev server restarts (same port, same SQLite file) while deployments wait for their run', () => {
  it('SIGTERM, then SIGKILL: the worker process reconnects by itself and each deployment finishes with one dispatch', async (t) => {
    const startedAt = Date.now();
    const { cli } = await findTemporalBinaries();
    assert.ok(cli, 'the Temporal CLI (npm test installs it)');
    const dataDir = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-dev-server-'));
    const serverOptions = { cliPath: cli, dataDir, port: await freePort(), uiPort: await freePort() };
    let server = await startDevServer(serverOptions);
    const connection = await Connection.connect({ address: server.address });
    const ownClient = new Client({ connection, dataConverter: TEST_DATA_CONVERTER });
    const ownEnv = sandboxEnv(sandbox);
    const ownWorker = await startWorkerProcess(ownEnv, { address: server.address, namespace: 'default' });
    try {
      await steer(sandbox, 'POST', '/reset');
      await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 200, run_ms: 6000 });
      for (const [index, signal] of (['SIGTERM', 'SIGKILL'] as const).entries()) {
        const version = ['v1.1.0', 'v1.2.0'][index] as string;
        const handle = await ownClient.workflow.start<typeof deployment>('deployment', {
          taskQueue: ownEnv.TEMPORAL_TASK_QUEUE as string,
          workflowId: `deploy-dev-server-${signal}`,
          args: [deploymentRequest({ kind: 'deploy', environment: 'staging', version })],
        });
        await waitUntil(() => waitsForRunningRun(sandbox, handle), {
          what: `${handle.workflowId} waiting for its run`,
          timeoutMs: EVENT_CEILING_MS,
          intervalMs: 100,
        });
        if (signal === 'SIGTERM') await server.stop();
        else {
          server.process.kill('SIGKILL');
          await new Promise((resolve) => server.process.once('exit', resolve));
        }
        server = await startDevServer(serverOptions);
        const state = await finishedState(ownClient, handle.workflowId);
        assert.equal(state.status, 'success', `${signal}: ${state.failure_reason}`);
        assert.equal(await runningVersion(sandbox, 'staging'), version);
        const runs = (await actionsRuns(sandbox)).filter((run) => run.ref === version);
        assert.deepEqual(
          runs.map((run) => run.id),
          [state.workflow_run_id],
          `${signal}: one cd.yml dispatch`,
        );
        assert.equal((await deploymentRecordsOf(sandbox, handle.workflowId)).length, 1, `${signal}: one record`);
      }
      assert.equal(ownWorker.child.exitCode, null, 'the worker process rode out both restarts');
      t.diagnostic(
        `dev server restarts: 2 deployments, 2 dispatches, ${Math.round((Date.now() - startedAt) / 1000)} s`,
      );
    } finally {
      await ownWorker.kill();
      await connection.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
