// Upgrading the worker never breaks a deployment in flight: a promotion started on the previous release's workflow
// code (commit 97af75f, built here from git) waits at its approval gate, that worker stops, today's worker takes over,
// the gateway's approve Update is answered, and the promotion ships. Real workers on the real dev server, which moves
// a workflow off a stopped worker's sticky queue as a cluster does (the time-skipping server never does).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../scripts/temporal-binaries.js';
import type { deployment } from '../../workflows/deployment.js';
import { approveUpdate } from '../../workflows/deployment-messages.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { deploymentRequest, deploymentResult, waitForState } from '../helpers/deployments.js';
import { steer } from '../helpers/sandbox-control.js';
import { sandboxActivities, startSandboxWorker, TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { startDevServerEnv, TEST_DATA_CONVERTER } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

/** The release this branch started from: the workflow code workers ran before approvals became Updates. */
const PREVIOUS_RELEASE = '97af75f';

/** That release's workflow bundle, built from its sources as `git archive` gives them. */
async function previousBundle(folder: string): Promise<string> {
  await promisify(execFile)('sh', [
    '-c',
    `git -C "${PROJECT_ROOT}" archive ${PREVIOUS_RELEASE} workflows domain activities | tar -x -C "${folder}"`,
  ]);
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(folder, 'workflows', 'index.ts'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  return code;
}

let harness: Harness;
let folder: string;
let oldCode: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'previous-release-'));
  [harness, oldCode] = await Promise.all([startHarness(startDevServerEnv), previousBundle(folder)]);
});
after(async () => {
  await harness.close();
  await rm(folder, { recursive: true, force: true });
});

describe('a worker upgrade while a promotion waits for approval', () => {
  it('the new worker takes over the promotion the previous release started, answers the approve Update, ships once', async () => {
    await steer(harness.sandbox, 'POST', '/reset');
    await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 20, run_ms: 80 });
    const taskQueue = harness.worker.config.taskQueue;
    await harness.worker.stop();
    const previous = await Worker.create({
      connection: harness.env.nativeConnection,
      namespace: harness.env.namespace ?? 'default',
      taskQueue,
      dataConverter: TEST_DATA_CONVERTER,
      workflowBundle: { code: oldCode },
      activities: sandboxActivities(harness.sandbox, { TEMPORAL_TASK_QUEUE: taskQueue }),
    });
    const running = previous.run();
    // Started as the previous gateway started it: a plain start, no Update.
    const handle = await harness.env.client.workflow.start<typeof deployment>(WORKFLOW_TYPES.deployment, {
      taskQueue,
      workflowId: `promotion-${Date.now()}`,
      args: [deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true })],
    });
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    previous.shutdown();
    await running;

    harness.worker = await startSandboxWorker(
      harness.env.nativeConnection,
      harness.env.namespace ?? 'default',
      harness.sandbox,
      {
        TEMPORAL_TASK_QUEUE: taskQueue,
      },
    );
    const answer = await handle.executeUpdate(approveUpdate, {
      args: [{ token: TEST_ADMIN_TOKEN, approver: 'upgrader' }],
    });
    assert.deepEqual([answer.outcome, answer.at_gate, answer.approval.decided_by], ['approved', true, 'upgrader']);
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.equal(result.approval.state, 'approved');
    assert.equal(((await steer(harness.sandbox, 'GET', '/actions/runs')) as unknown[]).length, 1, 'shipped once');
  });
});
