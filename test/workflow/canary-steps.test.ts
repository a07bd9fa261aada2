// Canary steps on the real time-skipping test server: cd.yml dispatched once per weight in the sandbox GitHub, the
// sandbox production app serving the canary to that share, the bake's health analysis between steps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanaryPolicy } from '../../domain/canary-policy.js';
import { approveSignal } from '../../workflows/deployment-messages.js';
import {
  auditLines,
  deploymentRequest,
  deploymentResult,
  startDeploymentWorkflow,
  useDeploymentHarness,
  waitForState,
} from '../helpers/deployments.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import type { Harness } from '../helpers/workflow-harness.js';

let harness: Harness;
useDeploymentHarness((started) => {
  harness = started;
});

const CANARY: CanaryPolicy = {
  weightInput: 'traffic_weight',
  steps: [10, 50, 100],
  analysis: { seconds: 120, probeIntervalSeconds: 10, failedRoundsToRollBack: 2, errorRate: null },
};

async function productionVersion(): Promise<string> {
  const body = (await (await fetch(`${harness.sandbox.productionUrl}/api/version`)).json()) as { version: string };
  return body.version;
}

function productionRuns() {
  return harness.sandbox.state.actionsRuns().filter((run) => run.inputs.environment === 'production');
}

async function approvedCanary(bakeSeconds: number) {
  const handle = await startDeploymentWorkflow(
    harness,
    deploymentRequest({
      skipSmokeTests: true,
      canary: CANARY,
      bake: { ...CANARY.analysis, seconds: bakeSeconds },
    }),
  );
  await waitForState(handle, (state) => state.status === 'awaiting_approval');
  await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN, approver: 'alice' });
  return handle;
}

describe('canary steps of a promotion (time-skipping server)', () => {
  it('rolls back when the analysis at 50% breaches, saying at which weight and why', async () => {
    const handle = await approvedCanary(0);
    const at10 = await waitForState(handle, (state) => state.current_step.startsWith('canary 10%: 2m 00s left'));
    assert.equal(at10.canary?.weight, 10);
    assert.equal(at10.status, 'in_progress');
    const at50 = await waitForState(handle, (state) => /^canary 50%: \d+m \d+s left/.test(state.current_step));
    assert.deepEqual(at50.canary?.completed, [
      { weight: 10, run_id: at50.canary?.completed[0]?.run_id, analysis: 'passed' },
    ]);
    assert.equal(
      harness.sandbox.state.world.apps.production.canary?.weight,
      50,
      'the sandbox serves the canary to 50%',
    );
    await steer(harness.sandbox, 'POST', '/apps/production/components/api', { mode: 'unhealthy' });
    const result = await deploymentResult(handle);

    assert.equal(result.status, 'failure');
    assert.match(
      result.failure_reason ?? '',
      /^canary 50% breached after \d+s of 2m 00s: 2 probe rounds failed in a row: round \d+: api answered HTTP 503/,
    );
    assert.equal(result.canary?.outcome, 'breached');
    assert.deepEqual(
      result.canary?.completed.map((step) => [step.weight, step.analysis]),
      [
        [10, 'passed'],
        [50, 'breached'],
      ],
    );
    assert.equal(result.automatic_rollback?.status, 'success');
    assert.deepEqual(
      result.checks.filter((check) => check.check_name.startsWith('canary_')).map((c) => [c.check_name, c.status]),
      [
        ['canary_10', 'passed'],
        ['canary_50', 'failed'],
      ],
    );
    const runs = productionRuns();
    assert.deepEqual(
      runs.map((run) => [run.ref, run.inputs.traffic_weight]),
      [
        ['v1.1.0', 10],
        ['v1.1.0', 50],
        ['v1.0.0', undefined],
      ],
      'two canary steps, never 100, then the rollback deploys the previous version to all traffic',
    );
    assert.equal(await productionVersion(), 'v1.0.0');
    assert.equal(harness.sandbox.state.world.apps.production.canary, undefined, 'the rollback removed the canary');
    const records = harness.sandbox.state.world.deployments
      .list()
      .filter((record) => record.environment === 'production');
    assert.equal(
      records.filter((record) => record.ref === 'v1.1.0').length,
      1,
      'one GitHub deployment record for the canary',
    );
    const finished = (await auditLines(harness.worker.config.auditLogPath)).find(
      (line) => line.operation === 'deployment_finished' && line.details.deployment_id === handle.workflowId,
    );
    assert.match(String(finished?.details.error), /^canary 50% breached/);
  });

  it('reaches 100% and success when every step stays healthy, then verifies and bakes as usual', async () => {
    const handle = await approvedCanary(60);
    const result = await deploymentResult(handle);

    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.equal(result.canary?.outcome, 'completed');
    assert.equal(result.canary?.weight, 100);
    assert.deepEqual(
      result.canary?.completed.map((step) => [step.weight, step.analysis]),
      [
        [10, 'passed'],
        [50, 'passed'],
        [100, 'none'],
      ],
    );
    assert.deepEqual(
      productionRuns().map((run) => run.inputs.traffic_weight),
      [10, 50, 100],
    );
    const names = result.checks.map((check) => check.check_name);
    assert.deepEqual(
      names.filter((name) => ['canary_10', 'canary_50', 'deployed_version', 'bake'].includes(name)),
      ['canary_10', 'canary_50', 'deployed_version', 'bake'],
    );
    assert.equal(names.filter((name) => name === 'actions_run').length, 3);
    assert.ok(result.logs.some((line) => line.endsWith('canary 50%: dispatching cd.yml (traffic_weight=50)')));
    assert.equal(result.bake?.outcome, 'passed');
    assert.equal(await productionVersion(), 'v1.1.0');
    assert.equal(harness.sandbox.state.world.apps.production.canary, undefined);
    assert.equal(result.automatic_rollback, null);
  });
});
