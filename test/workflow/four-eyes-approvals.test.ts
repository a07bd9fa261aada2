// Four-eyes for production on the real time-skipping test server: the deployment itself (its approve Update's
// validator) refuses the requester's own approval and approvers outside the allowed groups, whoever sends the
// Update; a signed-in approver needs no admin token only where the promotion's policy says so.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { type ApprovalPolicy, type CallerIdentity, identityLabel } from '../../domain/caller-identity.js';
import type { deployment } from '../../workflows/deployment.js';
import { APPROVAL_REFUSALS, approveUpdate, startDeploymentUpdate } from '../../workflows/deployment-messages.js';
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

const person = (subject: string, groups: string[]): CallerIdentity => ({
  via: 'oauth',
  subject,
  name: `${subject}@example.com`,
  groups,
});
const alice = person('alice', ['release-managers']);
const bob = person('bob', ['release-managers']);
const dave = person('dave', ['developers']);
const policy: ApprovalPolicy = {
  identityApprovals: true,
  fourEyes: true,
  approverGroups: ['release-managers'],
  approverClaim: 'groups',
};
const asSignedIn = (who: CallerIdentity, token = '') => ({ token, approver: identityLabel(who), identity: who });
const dispatches = async () => ((await steer(harness.sandbox, 'GET', '/actions/runs')) as unknown[]).length;

describe('four-eyes approvals in the deployment workflow', () => {
  it("refuses the requester's own approval (even with an admin token) and outsiders; another person's deploys", async () => {
    const request = deploymentRequest({
      skipSmokeTests: true,
      initiatedBy: identityLabel(alice),
      initiator: alice,
      approvalPolicy: policy,
    });
    const handle = await startDeploymentWorkflow(harness, request);
    await waitForState(handle, (state) => state.status === 'awaiting_approval');

    for (const attempt of [asSignedIn(alice), asSignedIn(alice, TEST_ADMIN_TOKEN)]) {
      const refused = await updateRefusal(handle.executeUpdate(approveUpdate, { args: [attempt] }));
      assert.equal(refused.type, APPROVAL_REFUSALS.approverNotAllowed);
      assert.match(refused.message, /^Four-eyes rule: alice@example\.com \(alice\) requested this promotion/);
    }
    const outsider = await updateRefusal(handle.executeUpdate(approveUpdate, { args: [asSignedIn(dave)] }));
    assert.match(outsider.message, /groups claim must include one of release-managers/);

    const approved = await handle.executeUpdate(approveUpdate, { args: [asSignedIn(bob)] });
    assert.deepEqual(
      [approved.outcome, approved.approval.decided_by, approved.approval.token_hash],
      ['approved', 'bob@example.com (bob)', null],
    );
    const result = await deploymentResult(handle);
    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.equal(result.initiated_by, 'alice@example.com (alice)');
    assert.equal(await dispatches(), 1);
    const approvals = (await auditLines(harness.worker.config.auditLogPath)).filter(
      (line) => line.details.deployment_id === handle.workflowId && line.operation === 'approve_deployment',
    );
    assert.deepEqual(
      approvals.map((line) => [line.user, line.success, line.details.approved_as]),
      [['bob@example.com (bob)', true, 'signed-in identity']],
    );
  });

  it('needs an admin token from a signed-in approver when the promotion was started without an identity provider', async () => {
    const handle = await startDeploymentWorkflow(harness, deploymentRequest({ skipSmokeTests: true }));
    await waitForState(handle, (state) => state.status === 'awaiting_approval');
    const refused = await updateRefusal(handle.executeUpdate(approveUpdate, { args: [asSignedIn(bob)] }));
    assert.equal(refused.type, APPROVAL_REFUSALS.badInput);
    const approved = await handle.executeUpdate(approveUpdate, {
      args: [{ token: TEST_ADMIN_TOKEN, approver: 'bob' }],
    });
    assert.equal(approved.outcome, 'approved');
  });

  it("does not approve a promotion with the requester's own token given at the start: it waits for another person", async () => {
    const workflowId = `promotion-${randomUUID()}`;
    const request = deploymentRequest({
      skipSmokeTests: true,
      initiatedBy: identityLabel(alice),
      initiator: alice,
      approvalPolicy: policy,
    });
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof deployment>(WORKFLOW_TYPES.deployment, {
      taskQueue: harness.worker.config.taskQueue,
      workflowId,
      args: [request],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const state = await harness.env.client.workflow.executeUpdateWithStart(startDeploymentUpdate, {
      args: [{ approval: asSignedIn(alice, TEST_ADMIN_TOKEN) }],
      startWorkflowOperation,
    });
    const handle = harness.env.client.workflow.getHandle<typeof deployment>(workflowId);
    try {
      assert.deepEqual([state.approval.state, state.approval.refused_attempts], ['waiting', 1]);
      assert.ok(
        state.logs.some((line) => /approval refused: Four-eyes rule/.test(line)),
        state.logs.join('\n'),
      );
      assert.equal(await dispatches(), 0);
    } finally {
      await handle.terminate('test cleanup').catch(() => undefined);
    }
  });
});
