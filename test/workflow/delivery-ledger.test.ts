// The delivery ledger on the real dev server, told to suggest continue-as-new after a few dozen events: what it was
// fed (deployments and commit times learnt from GitHub) outlives its runs, its figures are those of the same
// deployments computed directly, and a malformed batch is refused by its validator, naming the field, leaving no trace.
// A real promotion against the sandbox tells the ledger how it ended by itself, with no reading by a gateway.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { deliveryLedgerId, ledgerEntry, ledgerFigures, ledgerId, mergeEntries } from '../../domain/delivery-ledger.js';
import type { DeliveryRecord } from '../../domain/delivery-metrics.js';
import type { deliveryLedger } from '../../workflows/delivery-ledger.js';
import {
  deliveryFiguresQuery,
  ledgerCoverageQuery,
  recordCommitTimesUpdate,
  recordDeploymentsUpdate,
} from '../../workflows/delivery-ledger-messages.js';
import { approveSignal } from '../../workflows/deployment-messages.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import {
  deploymentRequest,
  deploymentResult,
  startDeploymentWorkflow,
  terminateStartedDeployments,
  updateRefusal,
} from '../helpers/deployments.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { startDevServerEnv } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

let harness: Harness;
before(async () => {
  harness = await startHarness(() =>
    startDevServerEnv(['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=30']),
  );
});
after(() => harness.close());
afterEach(terminateStartedDeployments);

const HOUR = 60 * 60_000;
const T0 = Date.now() - 20 * 24 * HOUR;
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

/** Promotion n, live after n hours, with its one commit made half an hour before (every third one unrecorded). */
function promotion(n: number): DeliveryRecord {
  return {
    deployment_id: `promotion-${n}`,
    kind: 'promotion',
    status: n % 7 === 6 ? 'failure' : 'success',
    git_ref: `sha-${n}`,
    initiated_at: at(n - 0.2),
    completed_at: at(n),
    dispatched: true,
    ...(n % 3 === 0 ? {} : { commit_times: [at(n - 0.5)] }),
  };
}

describe('delivery ledger', () => {
  it('keeps every deployment and learnt commit time across continue-as-new, with the figures computed directly', async () => {
    const { client } = harness.env;
    const taskQueue = harness.worker.config.taskQueue;
    const workflowId = deliveryLedgerId(taskQueue, 'production');
    const record = (records: DeliveryRecord[]) =>
      client.workflow.executeUpdateWithStart(recordDeploymentsUpdate, {
        args: [{ records, readUntil: Date.now() }],
        startWorkflowOperation: new WithStartWorkflowOperation<typeof deliveryLedger>(WORKFLOW_TYPES.deliveryLedger, {
          workflowId,
          taskQueue,
          args: [{ environment: 'production' }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
    const all = Array.from({ length: 60 }, (_, index) => promotion(index + 1));
    for (let index = 0; index < all.length; index += 4) await record(all.slice(index, index + 4));
    // The same deployments read twice (a visibility reading overlaps the last) are kept once.
    await record(all.slice(-4));
    const ledger = client.workflow.getHandle(workflowId);
    const request = { window_days: 30, now: Date.now(), buckets: 0 };
    const before = await ledger.query(deliveryFiguresQuery, request);
    // The live ones whose commits were not recorded are asked for; GitHub's answer comes back by their ids.
    const unrecorded = all.filter((each) => !each.commit_times && each.status === 'success');
    assert.equal(before.comparisons_needed.length, unrecorded.length);
    const times = Object.fromEntries(
      before.comparisons_needed.map(({ id }) => {
        const change = unrecorded.find((each) => ledgerId(each.deployment_id) === id) as DeliveryRecord;
        return [id, [at(Number(change.deployment_id.split('-')[1]) - 0.5)]];
      }),
    );
    await ledger.executeUpdate(recordCommitTimesUpdate, { args: [{ times }] });
    for (let round = 0; round < 10; round++) await ledger.query(ledgerCoverageQuery);

    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run);
    assert.ok(runs.length > 2, `the ledger continued as new (${runs.length} runs)`);
    const after = await ledger.query(deliveryFiguresQuery, request);
    const expected = ledgerFigures(
      mergeEntries(
        [],
        all.flatMap((each) => {
          const entry = ledgerEntry(
            each.commit_times ? each : { ...each, commit_times: times[ledgerId(each.deployment_id)] },
          );
          return entry ?? [];
        }),
        request.now,
      ),
      request,
    );
    assert.deepEqual(after, expected);
    assert.equal(after.current.deployment_frequency.successful_deployments, 52);
    assert.equal(after.current.lead_time_for_changes.median_seconds, 30 * 60);
    assert.equal(after.current.lead_time_for_changes.deployments_measured, 52);
    assert.equal((await ledger.query(ledgerCoverageQuery)).entries, 60);
  });

  it('hears from a promotion as it ends, with the commit times it recorded going live', async () => {
    await steer(harness.sandbox, 'POST', '/reset');
    await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 20, run_ms: 80 });
    const ledger = harness.env.client.workflow.getHandle(
      deliveryLedgerId(harness.worker.config.taskQueue, 'production'),
    );
    const held = (await ledger.query(ledgerCoverageQuery)).entries;
    const promotion = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ version: 'v1.1.0', skipSmokeTests: true }),
      `promotion-${randomUUID()}`,
      true,
    );
    await promotion.signal(approveSignal, { token: TEST_ADMIN_TOKEN, approver: 'alice' });
    const result = await deploymentResult(promotion);
    assert.equal(result.status, 'success', result.failure_reason ?? '');
    assert.ok(result.commit_times && result.commit_times.length > 0);
    // The signal arrives as the promotion closes: ask until the ledger has handled it.
    let figures = await ledger.query(deliveryFiguresQuery, { window_days: 1, now: Date.now(), buckets: 0 });
    for (
      let attempt = 0;
      attempt < 100 && figures.current.deployment_frequency.successful_deployments === 0;
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      figures = await ledger.query(deliveryFiguresQuery, { window_days: 1, now: Date.now(), buckets: 0 });
    }
    assert.equal((await ledger.query(ledgerCoverageQuery)).entries, held + 1);
    const lead = figures.current.lead_time_for_changes;
    assert.deepEqual(
      [figures.current.deployment_frequency.successful_deployments, lead.deployments_measured, lead.commits],
      [1, 1, result.commit_times.length],
    );
  });

  it('refuses a malformed batch, naming the field, and records nothing of it', async () => {
    const { client } = harness.env;
    const ledger = client.workflow.getHandle(deliveryLedgerId(harness.worker.config.taskQueue, 'production'));
    const { historyLength } = await ledger.describe();
    const refusal = await updateRefusal(
      ledger.executeUpdate(recordDeploymentsUpdate, {
        args: [{ records: [{ ...promotion(1), kind: 'hotfix' as 'promotion' }], readUntil: Date.now() }],
      }),
    );
    assert.match(refusal.message, /promotion-1: kind must be one of deploy, promotion, rollback/);
    assert.equal((await ledger.describe()).historyLength, historyLength);
    assert.equal((await ledger.query(ledgerCoverageQuery)).entries, 61);
  });
});
