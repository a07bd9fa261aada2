// The bake window after a deploy, on the real time-skipping test server (five minutes of bake in seconds), with real
// health probes against the sandbox apps and real Actions runs in the sandbox GitHub.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { BakePolicy } from '../../domain/bake-policy.js';
import { adjustBakeUpdate } from '../../workflows/bake-messages.js';
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

const FIVE_MINUTES: BakePolicy = { seconds: 300, probeIntervalSeconds: 10, failedRoundsToRollBack: 3, errorRate: null };

async function productionVersion(): Promise<string> {
  const body = (await (await fetch(`${harness.sandbox.productionUrl}/api/version`)).json()) as { version: string };
  return body.version;
}

/** A promotion of v1.1.0 with the given bake, approved, and baking. */
async function bakingPromotion(bake: BakePolicy) {
  const handle = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true, bake }));
  await waitForState(handle, (state) => state.status === 'awaiting_approval');
  await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN, approver: 'alice' });
  const baking = await waitForState(handle, (state) => state.status === 'baking');
  return { handle, baking };
}

describe('bake window after a promotion (time-skipping server)', () => {
  it('rolls back automatically when production turns unhealthy 2 minutes into a 5-minute bake, saying which probes failed', async () => {
    const { handle, baking } = await bakingPromotion(FIVE_MINUTES);
    assert.equal(baking.bake?.outcome, 'baking');
    assert.match(baking.current_step, /^baking: 5m 00s left of 5m 00s; 0 probe rounds, 0 failed in a row/);
    assert.ok(
      baking.logs.some((line) =>
        line.endsWith('baking for 5m 00s; error-rate gate off: no Prometheus configured for this environment'),
      ),
    );
    assert.equal(await productionVersion(), 'v1.1.0');

    await harness.env.sleep('125 seconds');
    const before = await waitForState(handle, (state) => (state.bake?.probe_rounds ?? 0) >= 12);
    assert.equal(before.status, 'baking');
    assert.equal(before.bake?.consecutive_failed_rounds, 0);
    assert.match(before.current_step, /^baking: \d+m \d+s left of 5m 00s; \d+ probe rounds, 0 failed in a row/);
    await steer(harness.sandbox, 'POST', '/apps/production/components/celery_worker', { mode: 'unhealthy' });
    const result = await deploymentResult(handle);

    assert.equal(result.status, 'failure');
    assert.equal(result.bake?.outcome, 'breached');
    assert.equal(result.bake?.consecutive_failed_rounds, 3);
    const rounds = result.bake?.probe_rounds ?? 0;
    assert.ok(rounds >= 15 && rounds < 30, `breached ${rounds} rounds in, before the window's end`);
    assert.equal(result.bake?.failing_probes.length, 3);
    for (const probe of result.bake?.failing_probes ?? []) {
      assert.match(probe, /^round \d+: celery_worker answered HTTP 503$/);
    }
    assert.match(
      result.failure_reason ?? '',
      /^bake breached after 2m \d\ds of 5m 00s: 3 probe rounds failed in a row: /,
    );
    assert.match(result.failure_reason ?? '', /celery_worker/);
    assert.equal(result.automatic_rollback?.status, 'success');
    const bakeCheck = result.checks.find((check) => check.check_name === 'bake');
    assert.equal(bakeCheck?.status, 'failed');
    assert.equal(await productionVersion(), 'v1.0.0', 'production runs the previous version again');
    const rollback = harness.sandbox.state.world.deployments
      .list()
      .filter((record) => record.environment === 'production')
      .at(-1);
    assert.equal(rollback?.ref, 'v1.0.0');
    const finished = (await auditLines(harness.worker.config.auditLogPath)).find(
      (line) => line.operation === 'deployment_finished' && line.details.deployment_id === handle.workflowId,
    );
    assert.equal(finished?.success, false);
    assert.match(String(finished?.details.error), /bake breached/);
    assert.ok(finished?.details.automatic_rollback, 'the audit line names the automatic rollback');
  });

  it('ends success only after the whole window when production stays healthy, one failed round notwithstanding', async () => {
    const { handle, baking } = await bakingPromotion(FIVE_MINUTES);
    await harness.env.sleep('60 seconds');
    await waitForState(handle, (state) => (state.bake?.probe_rounds ?? 0) >= 6);
    // One bad round is not a streak: the next healthy round ends it.
    await steer(harness.sandbox, 'POST', '/apps/production/components/redis', { mode: 'error' });
    const failedOnce = await waitForState(handle, (state) => (state.bake?.consecutive_failed_rounds ?? 0) === 1);
    await steer(harness.sandbox, 'POST', '/apps/production/components/redis', { mode: 'healthy' });
    assert.equal(failedOnce.status, 'baking');
    const result = await deploymentResult(handle);

    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.equal(result.bake?.outcome, 'passed');
    assert.equal(result.bake?.consecutive_failed_rounds, 0);
    assert.ok((result.bake?.probe_rounds ?? 0) >= 29, `rounds: ${result.bake?.probe_rounds}`);
    const bakedMs = Date.parse(result.completed_at ?? '') - Date.parse(baking.bake?.started_at ?? '');
    assert.ok(bakedMs >= 300_000, `ended ${bakedMs} ms after the bake started`);
    assert.ok(result.logs.some((line) => /bake round \d+ failed: redis answered HTTP 500/.test(line)));
    assert.equal(result.automatic_rollback, null);
    assert.equal(await productionVersion(), 'v1.1.0');
  });

  it('lets an operator extend the bake and end it early through the adjustBake Update, audited; bad input changes nothing', async () => {
    const { handle, baking } = await bakingPromotion(FIVE_MINUTES);
    const refused = await handle
      .executeUpdate(adjustBakeUpdate, { args: [{ action: 'extend', seconds: 0, reason: 'more time' }] })
      .then(
        () => assert.fail('an extension of 0 s must be refused'),
        (error: unknown) => error,
      );
    assert.ok(refused instanceof WorkflowUpdateFailedError);
    assert.match(String(refused.cause?.message), /Invalid seconds: 0\. Must be a whole number from 1 to 86400/);

    const extended = await handle.executeUpdate(adjustBakeUpdate, {
      args: [{ action: 'extend', seconds: 600, reason: 'traffic peak at noon', by: 'alice' }],
    });
    assert.equal(Date.parse(extended.ends_at) - Date.parse(baking.bake?.ends_at ?? ''), 600_000);
    await harness.env.sleep('6 minutes');
    const stillBaking = await waitForState(handle, (state) => (state.bake?.probe_rounds ?? 0) >= 36);
    assert.equal(stillBaking.status, 'baking', 'past the first window, the extension keeps it baking');

    const ended = await handle.executeUpdate(adjustBakeUpdate, {
      args: [{ action: 'end_now', reason: 'looks good, freeing the environment', by: 'bob' }],
    });
    assert.equal(ended.outcome, 'cut_short');
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.equal(result.bake?.outcome, 'cut_short');
    assert.deepEqual(
      result.bake?.adjustments.map((each) => [each.action, each.seconds, each.by]),
      [
        ['extend', 600, 'alice'],
        ['end_now', null, 'bob'],
      ],
    );
    const audited = (await auditLines(harness.worker.config.auditLogPath)).filter(
      (line) => line.operation === 'bake_adjusted' && line.details.deployment_id === handle.workflowId,
    );
    assert.deepEqual(
      audited.map((line) => [line.details.action, line.details.by, line.details.reason]),
      [
        ['extend', 'alice', 'traffic peak at noon'],
        ['end_now', 'bob', 'looks good, freeing the environment'],
      ],
    );

    const late = await handle.executeUpdate(adjustBakeUpdate, { args: [{ action: 'end_now', reason: 'again' }] }).then(
      () => assert.fail('a finished deployment has no bake to adjust'),
      (error: unknown) => error,
    );
    assert.ok(late instanceof Error);
  });

  it('does not bake without a policy, or with 0 seconds (deployments as before)', async () => {
    const handle = await startDeploymentWorkflow(
      harness,
      deploymentRequest({
        kind: 'deploy',
        environment: 'staging',
        version: 'v1.1.0',
        bake: { ...FIVE_MINUTES, seconds: 0 },
      }),
    );
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.equal(result.bake, undefined);
    assert.ok(!result.checks.some((check) => check.check_name === 'bake'));
    const refused = await handle
      .executeUpdate(adjustBakeUpdate, { args: [{ action: 'end_now', reason: 'nothing to end' }] })
      .then(
        () => assert.fail('refused'),
        (error: unknown) => error,
      );
    assert.ok(refused instanceof Error);
  });
});
