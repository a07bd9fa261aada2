// Approvals as Workflow Updates on the real time-skipping test server (1.40.0 supports Updates and update-with-start):
// the deployment's own answer to an approve or reject, validators that refuse what is not a decision to make, a
// retried Update applied once, an approval sent before the approval gate held until it, and the start's answer.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { hashToken } from '../../domain/approval-token.js';
import type { deployment } from '../../workflows/deployment.js';
import {
  APPROVAL_REFUSALS,
  approveSignal,
  approveUpdate,
  rejectUpdate,
  startDeploymentUpdate,
} from '../../workflows/deployment-messages.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import {
  auditLines,
  deploymentRequest,
  deploymentResult,
  startDeploymentWorkflow,
  updateRefusal,
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

const auditPath = () => harness.worker.config.auditLogPath;
const dispatches = async () => ((await steer(harness.sandbox, 'GET', '/actions/runs')) as unknown[]).length;

/** The validator's refusal type, or a failure when the Update was not refused. */
const refusalType = async (update: Promise<unknown>): Promise<string> => (await updateRefusal(update)).type ?? '';

describe('approve and reject as Updates', () => {
  it('approves at the gate with the deployment answer; an invalid token is refused at once, audited, still waiting', async () => {
    const handle = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true }));
    await waitForState(handle, (state) => state.status === 'awaiting_approval');

    const refused = await handle.executeUpdate(approveUpdate, { args: [{ token: 'guessed-token' }] });
    assert.deepEqual(
      [refused.outcome, refused.status, refused.approval.refused_attempts],
      ['refused', 'awaiting_approval', 1],
    );
    assert.equal(refused.token_hash, hashToken('guessed-token'));
    const lines = (await auditLines(auditPath())).filter((line) => line.details.deployment_id === handle.workflowId);
    assert.deepEqual(
      lines.filter((line) => line.operation === 'approve_deployment').map((line) => [line.success, line.user]),
      [[false, hashToken('guessed-token')]],
    );

    const approved = await handle.executeUpdate(approveUpdate, {
      args: [{ token: TEST_ADMIN_TOKEN, approver: 'alice' }],
    });
    assert.deepEqual(
      [approved.outcome, approved.at_gate, approved.approval.state, approved.approval.decided_by],
      ['approved', true, 'approved', 'alice'],
    );
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.equal(await dispatches(), 1);
  });

  it('refuses, before the deployment sees it, an approval of a decided promotion, of a deploy, or without a token', async () => {
    const promotion = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true }));
    await waitForState(promotion, (state) => state.status === 'awaiting_approval');
    assert.equal(
      await refusalType(promotion.executeUpdate(approveUpdate, { args: [{ token: '' }] })),
      APPROVAL_REFUSALS.badInput,
    );
    assert.equal(
      await refusalType(promotion.executeUpdate(rejectUpdate, { args: [{ reason: ' ' }] })),
      APPROVAL_REFUSALS.badInput,
    );
    await promotion.executeUpdate(rejectUpdate, { args: [{ reason: 'release freeze', rejected_by: 'bob' }] });
    assert.equal(
      await refusalType(promotion.executeUpdate(approveUpdate, { args: [{ token: TEST_ADMIN_TOKEN }] })),
      APPROVAL_REFUSALS.alreadyDecided,
    );
    const rejected = await deploymentResult(promotion);
    assert.deepEqual([rejected.status, rejected.failure_reason], ['failure', 'Rejected by bob: release freeze']);

    const deploy = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'deploy', environment: 'staging', skipSmokeTests: true }),
    );
    assert.equal(
      await refusalType(deploy.executeUpdate(approveUpdate, { args: [{ token: TEST_ADMIN_TOKEN }] })),
      APPROVAL_REFUSALS.notAPromotion,
    );
    assert.equal((await deploymentResult(deploy)).status, 'success');
  });

  it('applies a retried Update (same id) once: one audit line, one decision', async () => {
    const handle = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true }));
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    const updateId = `approve-${randomUUID()}`;
    const first = await handle.executeUpdate(approveUpdate, { args: [{ token: 'guessed-token' }], updateId });
    const retried = await handle.executeUpdate(approveUpdate, { args: [{ token: 'guessed-token' }], updateId });
    assert.deepEqual(retried, first);
    const attempts = (await auditLines(auditPath())).filter(
      (line) => line.operation === 'approve_deployment' && line.details.deployment_id === handle.workflowId,
    );
    assert.equal(attempts.length, 1);
    await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN });
    assert.equal((await deploymentResult(handle)).approval.refused_attempts, 1);
  });

  it('holds a valid approval sent during the staging smoke tests until the gate, then deploys once', async () => {
    await steer(harness.sandbox, 'POST', '/apps/staging/components/celery_beat', { mode: 'hold' });
    const handle = await startDeploymentWorkflow(harness, deploymentRequest());
    await waitForState(handle, (state) => state.current_step === 'running the full smoke tests on staging');
    const held = await handle.executeUpdate(approveUpdate, { args: [{ token: TEST_ADMIN_TOKEN, approver: 'carol' }] });
    assert.deepEqual(
      [held.outcome, held.at_gate, held.current_step, held.approval.state],
      ['approved', false, 'running the full smoke tests on staging', 'approved'],
    );
    assert.equal(await dispatches(), 0, 'nothing ships before the staging smoke tests pass');
    await steer(harness.sandbox, 'POST', '/apps/staging/components/celery_beat', { mode: 'healthy' });
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.equal(result.approval.decided_by, 'carol');
    assert.deepEqual(
      result.checks.slice(0, 3).map((check) => [check.check_name, check.status]),
      [
        ['plan', 'passed'],
        ['staging_smoke_tests', 'passed'],
        ['approval', 'passed'],
      ],
    );
    assert.equal(await dispatches(), 1);
  });
});

describe('the start as update-with-start', () => {
  async function startWithUpdate(request = deploymentRequest({ skipSmokeTests: true }), approval?: string) {
    const workflowId = `promotion-${randomUUID()}`;
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof deployment>(WORKFLOW_TYPES.deployment, {
      taskQueue: harness.worker.config.taskQueue,
      workflowId,
      args: [request],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const state = await harness.env.client.workflow.executeUpdateWithStart(startDeploymentUpdate, {
      args: [approval ? { approval: { token: approval } } : {}],
      startWorkflowOperation,
    });
    return { state, handle: harness.env.client.workflow.getHandle<typeof deployment>(workflowId) };
  }

  it('answers with the plan once made, and a token given with the start is decided before the answer', async () => {
    const { state, handle } = await startWithUpdate(undefined, TEST_ADMIN_TOKEN);
    assert.equal(state.phase, 'started');
    assert.deepEqual([state.versions?.from_version, state.versions?.to_version], ['v1.0.0', 'v1.1.0']);
    assert.deepEqual([state.approval.state, state.approval.token_hash], ['approved', hashToken(TEST_ADMIN_TOKEN)]);
    assert.equal((await deploymentResult(handle)).status, 'success');
  });

  it('answers with the refusal and its reason', async () => {
    const { state } = await startWithUpdate(deploymentRequest({ version: 'no-such-tag' }));
    assert.equal(state.phase, 'refused');
    assert.match(state.failure_reason ?? '', /no-such-tag/);
  });

  it('frees the environment before it answers with a refusal, so a retry at once is not refused as already running', async () => {
    const { state } = await startWithUpdate(deploymentRequest({ version: 'no-such-tag' }));
    assert.equal(state.phase, 'refused');
    const retry = await startWithUpdate(deploymentRequest({ skipSmokeTests: true }), TEST_ADMIN_TOKEN);
    assert.equal(retry.state.phase, 'started', retry.state.failure_reason ?? '');
    assert.equal((await deploymentResult(retry.handle)).status, 'success');
  });
});
