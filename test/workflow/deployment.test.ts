// The deployment workflow on the real time-skipping test server, with real activities against the sandbox GitHub
// (Actions runs, deployment records) and the sandbox apps. Approval timeouts of a day take milliseconds here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashToken } from '../../domain/approval-token.js';
import type { deployment } from '../../workflows/deployment.js';
import { approveSignal, rejectSignal } from '../../workflows/deployment-messages.js';
import {
  auditLines,
  auditText,
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

async function runningVersion(environment: 'staging' | 'production'): Promise<string> {
  const url = environment === 'staging' ? harness.sandbox.stagingUrl : harness.sandbox.productionUrl;
  const body = (await (await fetch(`${url}/api/version`)).json()) as { version: string };
  return body.version;
}

async function dispatches(): Promise<{ inputs: Record<string, unknown>; head_branch?: string }[]> {
  return (await steer(harness.sandbox, 'GET', '/actions/runs')) as { inputs: Record<string, unknown> }[];
}

function deploymentRecords(environment: string) {
  return harness.sandbox.state.world.deployments.list().filter((record) => record.environment === environment);
}

const auditPath = () => harness.worker.config.auditLogPath;

describe('deployment workflow: production promotion', () => {
  it('approved by a signal with an admin token, ships the version, proves it and records it on GitHub', async () => {
    const handle = await startDeploymentWorkflow(harness, deploymentRequest({ version: 'v1.1.0' }));
    const waiting = await waitForState(handle, (state) => state.status === 'awaiting_approval');
    assert.equal(waiting.versions?.from_version, 'v1.0.0');
    assert.equal((await dispatches()).length, 0, 'nothing is dispatched before approval');
    await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN, approver: 'alice' });
    const result = await deploymentResult(handle);

    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.equal(result.approval.state, 'approved');
    assert.equal(result.approval.decided_by, 'alice');
    assert.equal(result.approval.token_hash, hashToken(TEST_ADMIN_TOKEN));
    assert.equal(await runningVersion('production'), 'v1.1.0');
    const runs = await dispatches();
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0]?.inputs, { environment: 'production', skip_tests: false });
    assert.match(result.logs_url ?? '', /\/actions\/runs\/\d+$/);
    assert.deepEqual(
      result.checks.map((check) => [check.check_name, check.status]),
      [
        ['plan', 'passed'],
        ['staging_smoke_tests', 'passed'],
        ['approval', 'passed'],
        ['github_deployment', 'passed'],
        ['actions_dispatch', 'passed'],
        ['actions_run', 'passed'],
        ['deployed_version', 'passed'],
        ['production_smoke_tests', 'passed'],
      ],
    );
    const [record] = deploymentRecords('production');
    assert.equal(record?.ref, 'v1.1.0');
    assert.equal(record?.statuses.at(-1)?.state, 'success');
    assert.ok(
      result.logs.some((line) => line.includes('job deploy: success')),
      result.logs.join('\n'),
    );

    const text = await auditText(auditPath());
    assert.ok(!text.includes(TEST_ADMIN_TOKEN), 'the audit log never holds a token');
    const operations = (await auditLines(auditPath()))
      .filter((line) => line.details.deployment_id === handle.workflowId)
      .map((line) => [line.operation, line.success]);
    assert.deepEqual(
      operations.filter(([operation]) => !['run_smoke_tests'].includes(String(operation))),
      [
        ['promote_to_production', true],
        ['approve_deployment', true],
        ['deployment_finished', true],
      ],
    );
  });

  it('finds its run in the runs list where GitHub rejects return_run_details (older Enterprise Server)', async () => {
    await steer(harness.sandbox, 'PUT', '/actions/features', { return_run_details: false });
    const handle = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true }));
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN });
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'success', result.failure_reason ?? '');
    const dispatch = result.checks.find((check) => check.check_name === 'actions_dispatch');
    assert.match(dispatch?.message ?? '', /identified by runs_list/);
    const runs = await dispatches();
    assert.equal(runs.length, 1, 'the retry without return_run_details dispatched once');
    assert.match(result.logs_url ?? '', new RegExp(`/actions/runs/${String((runs[0] as { id?: number }).id)}$`));
  });

  it('refuses an approval signal with an invalid token, audits its hash, and keeps waiting', async () => {
    const handle = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true }));
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    await handle.signal(approveSignal, { token: 'guessed-token' });
    const refused = await waitForState(handle, (state) => state.approval.refused_attempts === 1);
    assert.equal(refused.status, 'awaiting_approval');
    const line = (await auditLines(auditPath())).find(
      (entry) => entry.operation === 'approve_deployment' && entry.details.deployment_id === handle.workflowId,
    );
    assert.equal(line?.success, false);
    assert.equal(line?.user, hashToken('guessed-token'));
    assert.equal(line?.details.error, 'Invalid approval token for production deployment');
    assert.ok(!(await auditText(auditPath())).includes('guessed-token'));

    await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN });
    assert.equal((await deploymentResult(handle)).status, 'success');
  });

  it('ends as failure when rejected, without dispatching anything', async () => {
    const handle = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true }));
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    await handle.signal(rejectSignal, { reason: 'release freeze', rejected_by: 'bob' });
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'failure');
    assert.equal(result.approval.state, 'rejected');
    assert.equal(result.failure_reason, 'Rejected by bob: release freeze');
    assert.equal((await dispatches()).length, 0);
    assert.equal(deploymentRecords('production').length, 1, 'only the seeded record');
  });

  it('is cancelled when nobody approves within the timeout (a day, skipped in time)', async () => {
    const handle = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true }));
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    await harness.env.sleep('25 hours');
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'failure');
    assert.equal(result.approval.state, 'timed_out');
    assert.match(result.failure_reason ?? '', /No approval within 86400 seconds; the promotion was cancelled/);
    assert.equal((await dispatches()).length, 0);
  });
});

describe('deployment workflow: automatic rollback', () => {
  it('rolls back to the previous version, as its own deployment, when the Actions run fails', async () => {
    await steer(harness.sandbox, 'POST', '/actions/outcomes', { environment: 'production', conclusion: 'failure' });
    const handle = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true }),
    );
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN });
    const result = await deploymentResult(handle);

    assert.equal(result.status, 'failure');
    assert.match(result.failure_reason ?? '', /concluded failure/);
    assert.ok(result.automatic_rollback, 'an automatic rollback is recorded');
    assert.equal(result.automatic_rollback.status, 'success');
    assert.ok(
      result.logs.some((line) => line.includes('##[error]')),
      'the failed job log tail is kept',
    );
    assert.equal(await runningVersion('production'), 'v1.0.0');

    const rollback = await deploymentResult(
      harness.env.client.workflow.getHandle<typeof deployment>(result.automatic_rollback.rollback_id),
    );
    assert.equal(rollback.kind, 'rollback');
    assert.equal(rollback.rollback_of, result.deployment_id);
    assert.equal(rollback.initiated_by, 'system');
    assert.deepEqual([rollback.versions?.from_version, rollback.versions?.to_version], ['v1.2.0', 'v1.0.0']);
    const states = deploymentRecords('production').map((record) => [record.ref, record.statuses.at(-1)?.state]);
    assert.deepEqual(states, [
      ['v1.0.0', 'success'],
      ['v1.2.0', 'failure'],
      ['v1.0.0', 'success'],
    ]);
    assert.equal((await dispatches()).length, 2);
  });

  it('rolls back when the production smoke tests fail after a successful run', async () => {
    await steer(harness.sandbox, 'POST', '/actions/outcomes', {
      environment: 'production',
      conclusion: 'success',
      components: { database: 'unhealthy' },
    });
    const handle = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ version: 'v1.2.0', skipSmokeTests: false }),
    );
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN });
    const result = await deploymentResult(handle);

    assert.equal(result.status, 'failure');
    assert.match(result.failure_reason ?? '', /production smoke tests failed/);
    assert.equal(result.automatic_rollback?.status, 'success');
    const smoke = result.checks.find((check) => check.check_name === 'production_smoke_tests');
    assert.match(smoke?.message ?? '', /database/);
    assert.equal(await runningVersion('production'), 'v1.0.0');
    const health = await fetch(`${harness.sandbox.productionUrl}/api/health/db`);
    assert.equal(health.status, 200, 'the rollback restored a healthy database');
  });

  it('finishes the rollback even when the promotion is cancelled during it', async () => {
    await steer(harness.sandbox, 'POST', '/actions/outcomes', { environment: 'production', conclusion: 'failure' });
    // Slow runs, so the cancellation lands while the rollback's run is under way.
    await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 20, run_ms: 1500 });
    const handle = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true }),
    );
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN });
    const rolling = await waitForState(handle, (state) => state.automatic_rollback !== null);
    await handle.cancel();
    // The cancellation lands during the compensation, which runs to its end: the promotion still fails cleanly.
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'failure');
    assert.equal(result.automatic_rollback?.status, 'success');
    const rollbackId = rolling.automatic_rollback?.rollback_id ?? '';
    const rollback = await deploymentResult(harness.env.client.workflow.getHandle<typeof deployment>(rollbackId));
    assert.equal(rollback.status, 'success');
    assert.equal(await runningVersion('production'), 'v1.0.0');
  });
});

describe('deployment workflow: the automatic rollback holds the environment', () => {
  it('keeps production held through the rollback, even with its promotion terminated: no second deployment starts', async () => {
    await steer(harness.sandbox, 'POST', '/actions/outcomes', { environment: 'production', conclusion: 'failure' });
    // The rollback's own production smoke tests wait until the test lets them go.
    await steer(harness.sandbox, 'POST', '/apps/production/components/celery_beat', { mode: 'hold' });
    const promotion = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true }),
    );
    await waitForState(promotion, (state) => state.status === 'awaiting_approval');
    await promotion.signal(approveSignal, { token: TEST_ADMIN_TOKEN });
    const rolling = await waitForState(promotion, (state) => state.automatic_rollback !== null);
    const rollbackId = rolling.automatic_rollback?.rollback_id ?? '';
    const rollback = harness.env.client.workflow.getHandle<typeof deployment>(rollbackId);
    await waitForState(rollback, (state) => state.current_step === 'running the full smoke tests on production');
    await promotion.terminate('operator gave up on it');

    const finished = (state: { status: string }) => state.status === 'success' || state.status === 'failure';
    const second = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'deploy', environment: 'production', version: 'v1.1.0', skipSmokeTests: true }),
    );
    const refused = await waitForState(second, finished);
    assert.equal(refused.phase, 'refused');
    assert.match(refused.failure_reason ?? '', new RegExp(`Deployment ${rollbackId} is already running in production`));

    await steer(harness.sandbox, 'POST', '/apps/production/components/celery_beat', { mode: 'healthy' });
    assert.equal((await deploymentResult(rollback)).status, 'success');
    assert.equal(await runningVersion('production'), 'v1.0.0');
    // The lock ended with the rollback: production can be deployed again. Its result, not its state: the state says
    // success before the deployment releases the lock, and the cleanup's terminate must not catch it holding.
    const next = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'deploy', environment: 'production', version: 'v1.1.0', skipSmokeTests: true }),
    );
    assert.equal((await deploymentResult(next)).status, 'success');
  });
});

describe('deployment workflow: rollbacks and the environment lock', () => {
  it('frees the environment before its status says the deployment ended: the next deployment starts at once', async () => {
    const finished = (state: { status: string }) => state.status === 'success' || state.status === 'failure';
    const first = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'deploy', environment: 'production', version: 'v1.1.0', skipSmokeTests: true }),
    );
    assert.equal((await waitForState(first, finished)).status, 'success');
    const next = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'deploy', environment: 'production', version: 'v1.2.0', skipSmokeTests: true }),
    );
    const result = await deploymentResult(next);
    assert.equal(result.phase === 'refused' ? result.failure_reason : result.status, 'success');
    // The order that makes it so, whatever the timing: the lock's release comes before the last audit line, which
    // is written after the status turns.
    const events = (await first.fetchHistory()).events ?? [];
    const release = events.findIndex(
      (event) => event.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === 'release',
    );
    const lastAudit = events.findLastIndex(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'recordAudit',
    );
    assert.ok(release >= 0 && release < lastAudit, `release at event ${release}, last audit at ${lastAudit}`);
  });

  it('rolls back from the current version to the previous successful one', async () => {
    const promotion = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ version: 'v1.1.0', skipSmokeTests: true }),
    );
    await promotion.signal(approveSignal, { token: TEST_ADMIN_TOKEN });
    assert.equal((await deploymentResult(promotion)).status, 'success');
    assert.equal(await runningVersion('production'), 'v1.1.0');

    const rollback = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'rollback', version: null, reason: 'login broken', skipTests: true }),
    );
    const result = await deploymentResult(rollback);
    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.deepEqual([result.versions?.from_version, result.versions?.to_version], ['v1.1.0', 'v1.0.0']);
    assert.equal(result.reason, 'login broken');
    assert.equal(await runningVersion('production'), 'v1.0.0');
    const line = (await auditLines(auditPath())).find(
      (entry) => entry.operation === 'rollback_deployment' && entry.details.deployment_id === rollback.workflowId,
    );
    assert.equal(line?.details.reason, 'login broken');
  });

  it('refuses a rollback when there is nothing earlier to roll back to', async () => {
    const handle = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'rollback', version: null, reason: 'test' }),
    );
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'failure');
    assert.equal(result.phase, 'refused');
    assert.match(
      result.failure_reason ?? '',
      /Nothing to roll back to: production has no earlier successful deployment than v1\.0\.0/,
    );
    assert.equal((await dispatches()).length, 0);
  });

  it('refuses a second deployment of the same environment, naming the one that runs', async () => {
    const first = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true }));
    await waitForState(first, (state) => state.status === 'awaiting_approval');
    const second = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'rollback', version: 'v1.0.0', reason: 'test' }),
    );
    // Followed by query, not result(): awaiting a result lets the test server skip time, which would expire the
    // first promotion's approval while it is meant to hold production.
    const finished = (state: { status: string }) => state.status === 'success' || state.status === 'failure';
    const refused = await waitForState(second, finished);
    assert.equal(refused.phase, 'refused');
    assert.match(
      refused.failure_reason ?? '',
      new RegExp(`Deployment ${first.workflowId} is already running in production`),
    );

    // Staging is another environment: not held.
    const staging = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'deploy', environment: 'staging', version: 'v1.2.0', skipSmokeTests: true }),
    );
    assert.equal((await waitForState(staging, finished)).status, 'success');

    await first.signal(approveSignal, { token: TEST_ADMIN_TOKEN });
    assert.equal((await deploymentResult(first)).status, 'success');
    // Ended, so staging's lock is free before the cleanup terminates what the test started.
    await deploymentResult(staging);
    assert.equal((await dispatches()).length, 2, 'the refused rollback dispatched nothing');
  });
});
