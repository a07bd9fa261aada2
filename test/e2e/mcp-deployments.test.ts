// End to end: the contract's "Standard Deployment Flow" and "Emergency Rollback", approvals, refusals and dry runs,
// through a real MCP client over Streamable HTTP → gateway → Temporal dev server → worker → sandbox GitHub/apps.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Worker } from '@temporalio/worker';
import { hashToken } from '../../domain/approval-token.js';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle-path.js';
import { auditLines, auditText, terminateRunningDeployments } from '../helpers/deployments.js';
import { decryptedHistoryText, storedHistoryText } from '../helpers/history-text.js';
import { errorText, type McpStack, startMcpStack } from '../helpers/mcp-stack.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { TEST_DATA_CONVERTER } from '../helpers/temporal-env.js';

type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field in assertions
type Result = any;

let stack: McpStack;
before(async () => {
  stack = await startMcpStack();
});
after(() => stack.close());
// A failed test must not leave a deployment holding an environment for the next one.
afterEach(() => terminateRunningDeployments(stack.harness.env.client));
beforeEach(async () => {
  await steer(stack.harness.sandbox, 'POST', '/reset');
  await steer(stack.harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
});

/** Every tool result the tests saw, to check afterwards that no token ever appeared in one. */
const seen: string[] = [];

async function call(name: string, args: Json): Promise<Result> {
  const result = await stack.call(name, args);
  seen.push(JSON.stringify(result));
  assert.equal(result.isError, undefined, `${name}: ${errorText(result)}`);
  return result.structuredContent;
}

async function refusal(name: string, args: Json): Promise<string> {
  const result: CallToolResult = await stack.call(name, args);
  seen.push(JSON.stringify(result));
  assert.equal(result.isError, true, `${name} should be refused`);
  return errorText(result);
}

/** Follows a deployment with get_deployment_status until it reaches one of `statuses`, as an assistant would. */
async function untilStatus(deploymentId: string, ...statuses: string[]): Promise<Result> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const status = await call('get_deployment_status', { deployment_id: deploymentId });
    if (statuses.includes(status.deployment.status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${deploymentId} never reached ${statuses.join(' or ')}`);
}

const untilFinished = (deploymentId: string) => untilStatus(deploymentId, 'success', 'failure');

async function productionVersion(): Promise<string> {
  return ((await (await fetch(`${stack.harness.sandbox.productionUrl}/api/version`)).json()) as { version: string })
    .version;
}

async function deploymentWorkflows(): Promise<number> {
  const { count } = await stack.harness.env.client.workflow.count("WorkflowType = 'deployment'");
  return count;
}

const auditPath = () => stack.harness.worker.config.auditLogPath;

describe('Standard Deployment Flow', () => {
  it('validates, scans, deploys to staging, smoke-tests, promotes with a token and monitors to success', async () => {
    const validation = await call('validate_deployment', { environment: 'staging', git_ref: 'main' });
    assert.equal(validation.valid, true, JSON.stringify(validation.blockers));
    const scan = await call('run_security_scan', { git_ref: 'main' });
    assert.equal(scan.severity_summary.critical, 0);

    const staging = await call('deploy_to_staging', { git_ref: 'main' });
    assert.match(staging.deployment_id, /^deploy-/);
    assert.equal(staging.from_version, 'v1.0.0');
    assert.equal((await untilFinished(staging.deployment_id)).deployment.status, 'success');

    const smoke = await call('run_smoke_tests', { environment: 'staging', test_suite: 'full' });
    assert.equal(smoke.passed, true);

    const promotion = await call('promote_to_production', {
      staging_version: 'main',
      approval_token: TEST_ADMIN_TOKEN,
    });
    assert.match(promotion.deployment_id, /^promotion-/);
    assert.equal(promotion.status, 'in_progress');
    assert.equal(promotion.staging_version, 'main');
    assert.equal(promotion.production_version, 'v1.0.0');
    assert.ok(Number.isInteger(promotion.estimated_duration_minutes));

    const status = await untilFinished(promotion.deployment_id);
    const deployment = status.deployment;
    assert.equal(deployment.status, 'success', deployment.failure_reason);
    assert.equal(deployment.environment, 'production');
    assert.equal(deployment.version, 'main');
    assert.match(deployment.git_ref, /^[0-9a-f]{40}$/);
    assert.equal(deployment.initiated_by, hashToken(TEST_ADMIN_TOKEN));
    assert.match(deployment.logs_url, /\/actions\/runs\/\d+$/);
    assert.ok(deployment.completed_at && deployment.duration_ms > 0);
    assert.deepEqual(status.health_checks, {
      api: 'healthy',
      database: 'healthy',
      redis: 'healthy',
      celery_worker: 'healthy',
      celery_beat: 'healthy',
    });
    assert.ok(
      status.logs.some((line: string) => /run \d+: job deploy: success/.test(line)),
      status.logs.join('\n'),
    );
    assert.ok(status.checks.some((check: Json) => check.check_name === 'production_smoke_tests'));
    const running = (await (await fetch(`${stack.harness.sandbox.productionUrl}/api/version`)).json()) as Json;
    assert.equal(running.sha, deployment.git_ref);
  });
});

describe('Emergency Rollback', () => {
  it('lists recent production deployments newest first, then rolls back to the previous successful version', async () => {
    for (const version of ['v1.1.0', 'v1.2.0']) {
      const promotion = await call('promote_to_production', {
        staging_version: version,
        approval_token: TEST_ADMIN_TOKEN,
        skip_smoke_tests: true,
      });
      assert.equal((await untilFinished(promotion.deployment_id)).deployment.status, 'success');
    }
    assert.equal(await productionVersion(), 'v1.2.0');

    let listed: Result = null;
    for (let attempt = 0; attempt < 50; attempt++) {
      listed = await call('list_deployments', { environment: 'production', limit: 5, include_failed: true });
      if (listed.deployments.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(
      listed.deployments.slice(0, 2).map((each: Json) => [each.version, each.status]),
      [
        ['v1.2.0', 'success'],
        ['v1.1.0', 'success'],
      ],
    );
    assert.ok(listed.total_count >= 2);

    const rollback = await call('rollback_deployment', {
      environment: 'production',
      reason: 'Critical bug detected in production',
    });
    assert.equal(rollback.status, 'rolling_back');
    assert.equal(rollback.from_version, 'v1.2.0');
    assert.equal(rollback.to_version, 'v1.1.0');
    const done = await untilFinished(rollback.rollback_id);
    assert.equal(done.deployment.status, 'success', done.deployment.failure_reason);
    assert.equal(await productionVersion(), 'v1.1.0');
    const line = (await auditLines(auditPath())).find(
      (entry) => entry.operation === 'rollback_deployment' && entry.details.deployment_id === rollback.rollback_id,
    );
    assert.equal(line?.details.reason, 'Critical bug detected in production');
  });

  it('orders by start, not by close: a later deploy that finished first is still listed first', async () => {
    const older = await call('promote_to_production', { staging_version: 'v1.1.0', skip_smoke_tests: true });
    await untilStatus(older.deployment_id, 'awaiting_approval');
    const newer = await call('deploy_to_staging', { git_ref: 'v1.1.0', skip_smoke_tests: true });
    assert.equal((await untilFinished(newer.deployment_id)).deployment.status, 'success');
    await call('approve_deployment', { deployment_id: older.deployment_id, approval_token: TEST_ADMIN_TOKEN });
    assert.equal((await untilFinished(older.deployment_id)).deployment.status, 'success');
    // Visibility shows the older one's close a moment later; from then on it is listed before the newer one.
    for (let attempt = 0; attempt < 50; attempt++) {
      const everything = await call('list_deployments', { limit: 100 });
      const olderInfo = everything.deployments.find((each: Json) => each.deployment_id === older.deployment_id);
      if (olderInfo?.status === 'success') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const listed = await call('list_deployments', { limit: 1 });
    assert.equal(listed.deployments[0]?.deployment_id, newer.deployment_id);
  });

  it('refuses a rollback with nothing to roll back to, clearly, and starts no deployment that dispatches', async () => {
    const message = await refusal('rollback_deployment', { environment: 'staging', reason: 'test' });
    assert.match(message, /Nothing to roll back to: staging has no earlier successful deployment than v1\.0\.0/);
    const runs = (await steer(stack.harness.sandbox, 'GET', '/actions/runs')) as unknown[];
    assert.equal(runs.length, 0);
  });
});

describe('approval through MCP', () => {
  it('refuses an invalid approval_token before anything starts, with the contract message and an audit line', async () => {
    const before = await deploymentWorkflows();
    const message = await refusal('promote_to_production', { staging_version: 'v1.1.0', approval_token: 'nope' });
    assert.equal(message, 'Invalid approval token for production deployment');
    assert.equal(await deploymentWorkflows(), before, 'no workflow was started');
    const line = (await auditLines(auditPath())).at(-1);
    assert.deepEqual([line?.operation, line?.success, line?.user], ['promote_to_production', false, hashToken('nope')]);
  });

  it('waits without a token; an invalid approval is refused, a valid one completes it', async () => {
    const promotion = await call('promote_to_production', { staging_version: 'v1.1.0', skip_smoke_tests: true });
    assert.ok(['in_progress', 'awaiting_approval'].includes(promotion.status), promotion.status);
    assert.equal(promotion.approval.state, 'waiting');
    assert.match(promotion.message, /temporal workflow signal --workflow-id promotion-/);
    await untilStatus(promotion.deployment_id, 'awaiting_approval');

    const wrong = await refusal('approve_deployment', {
      deployment_id: promotion.deployment_id,
      approval_token: 'wrong-token',
    });
    assert.equal(wrong, 'Invalid approval token for production deployment');
    const still = await call('get_deployment_status', { deployment_id: promotion.deployment_id });
    assert.equal(still.deployment.status, 'awaiting_approval');
    assert.equal(still.approval.refused_attempts, 1);

    // A second promotion cannot start while this one holds production.
    const busy = await refusal('rollback_deployment', { environment: 'production', reason: 'test' });
    assert.match(busy, new RegExp(`Deployment ${promotion.deployment_id} is already running in production`));

    const approved = await call('approve_deployment', {
      deployment_id: promotion.deployment_id,
      approval_token: TEST_ADMIN_TOKEN,
      approver: 'alice',
    });
    assert.deepEqual([approved.outcome, approved.at_gate, approved.approval.state], ['approved', true, 'approved']);
    const done = await untilFinished(promotion.deployment_id);
    assert.equal(done.deployment.status, 'success');
    assert.equal(done.approval.decided_by, 'alice');
  });

  it('a valid approval sent during the staging smoke tests is held until the gate, never called invalid; deploys once', async () => {
    await steer(stack.harness.sandbox, 'POST', '/apps/staging/components/celery_beat', { mode: 'hold' });
    const promotion = await call('promote_to_production', { staging_version: 'v1.1.0' });
    await untilStatus(promotion.deployment_id, 'in_progress');
    const early = await call('approve_deployment', {
      deployment_id: promotion.deployment_id,
      approval_token: TEST_ADMIN_TOKEN,
      approver: 'alice',
    });
    assert.deepEqual([early.outcome, early.at_gate, early.approval.state], ['approved', false, 'approved']);
    assert.equal(early.current_step, 'running the full smoke tests on staging');
    assert.match(early.message, /held until the approval gate/);
    const retried = await call('approve_deployment', {
      deployment_id: promotion.deployment_id,
      approval_token: TEST_ADMIN_TOKEN,
      approver: 'alice',
    });
    assert.deepEqual(retried, early, 'the same call retried is the same Update, answered once');
    const other = await refusal('approve_deployment', {
      deployment_id: promotion.deployment_id,
      approval_token: TEST_ADMIN_TOKEN,
      approver: 'bob',
    });
    assert.match(other, /already decided: approved by alice/);
    await steer(stack.harness.sandbox, 'POST', '/apps/staging/components/celery_beat', { mode: 'healthy' });
    const done = await untilFinished(promotion.deployment_id);
    assert.equal(done.deployment.status, 'success', done.deployment.failure_reason);
    assert.equal(((await steer(stack.harness.sandbox, 'GET', '/actions/runs')) as unknown[]).length, 1);
    const approvals = (await auditLines(auditPath())).filter(
      (entry) => entry.operation === 'approve_deployment' && entry.details.deployment_id === promotion.deployment_id,
    );
    assert.deepEqual(
      approvals.map((entry) => entry.success),
      [true],
      "alice's token checked once; bob's approval was refused before it reached the deployment",
    );
  });

  it('rejects a waiting promotion', async () => {
    const promotion = await call('promote_to_production', { staging_version: 'v1.2.0', skip_smoke_tests: true });
    await untilStatus(promotion.deployment_id, 'awaiting_approval');
    const rejected = await call('reject_deployment', {
      deployment_id: promotion.deployment_id,
      reason: 'release freeze',
      rejected_by: 'bob',
    });
    assert.deepEqual([rejected.outcome, rejected.at_gate, rejected.approval.state], ['rejected', true, 'rejected']);
    const done = await untilFinished(promotion.deployment_id);
    assert.equal(done.deployment.status, 'failure');
    assert.equal(done.deployment.failure_reason, 'Rejected by bob: release freeze');
    // It looks failed where operators look: the Web UI and `temporal workflow list` show the execution's status. The
    // status says failure a moment before the execution closes (its last audit line and the lock's release), so the
    // test waits for the close itself.
    const handle = stack.harness.env.client.workflow.getHandle(promotion.deployment_id);
    await handle.result().catch(() => undefined);
    assert.equal((await handle.describe()).status.name, 'FAILED');
    let row: Result = null;
    // Visibility is eventually consistent: the close shows in the listing a moment later.
    for (let attempt = 0; attempt < 50 && row?.status !== 'failure'; attempt++) {
      const listed = await call('list_deployments', { environment: 'production', include_failed: true, limit: 100 });
      row = listed.deployments.find((each: Json) => each.deployment_id === promotion.deployment_id);
      if (row?.status !== 'failure') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(row?.status, 'failure');
  });
});

describe('dry runs, unknown ids and secrecy', () => {
  it('plans a promotion and a rollback without holding, recording or dispatching anything', async () => {
    const records = () => stack.harness.sandbox.state.world.deployments.list().length;
    const recordsBefore = records();
    const plan = await call('promote_to_production', {
      staging_version: 'v1.2.0',
      approval_token: TEST_ADMIN_TOKEN,
      dry_run: true,
    });
    assert.equal(plan.dry_run, true);
    assert.deepEqual([plan.plan.versions.from_version, plan.plan.versions.to_version], ['v1.0.0', 'v1.2.0']);
    assert.ok(plan.plan.steps.some((step: string) => step.startsWith('dispatch cd.yml (environment=production')));
    const rollbackPlan = await refusal('rollback_deployment', {
      environment: 'production',
      reason: 'x',
      dry_run: true,
    });
    assert.match(rollbackPlan, /Dry run: the rollback would be refused: Nothing to roll back to/);
    assert.equal(records(), recordsBefore);
    assert.equal(((await steer(stack.harness.sandbox, 'GET', '/actions/runs')) as unknown[]).length, 0);
    const dryLines = (await auditLines(auditPath())).filter((entry) => entry.dry_run);
    assert.ok(dryLines.some((entry) => entry.operation === 'promote_to_production' && entry.success));
  });

  it('answers an unknown deployment id with the contract message', async () => {
    assert.equal(
      await refusal('get_deployment_status', { deployment_id: 'deploy-nope' }),
      'Deployment deploy-nope not found',
    );
  });

  it('never shows a raw token in a tool result or an audit line', async () => {
    const everything = `${seen.join('\n')}\n${await auditText(auditPath())}`;
    for (const token of [TEST_ADMIN_TOKEN, 'wrong-token', stack.harness.sandbox.token]) {
      assert.ok(!everything.includes(token), `a token leaked: ${token.slice(0, 6)}...`);
    }
  });
});

async function first<T>(items: AsyncIterable<T>): Promise<T> {
  for await (const item of items) return item;
  throw new Error('nothing listed');
}

describe('Secrets in what the Temporal server stores', () => {
  it('keeps every approval token and the GitHub token out of every raw history, readable only through the codec', async (t) => {
    const client = stack.harness.env.client;
    const tokens = [TEST_ADMIN_TOKEN, 'wrong-token', stack.harness.sandbox.token];
    let histories = 0;
    let events = 0;
    let decryptedWithToken = 0;
    for await (const execution of client.workflow.list()) {
      // Read through the Temporal API as stored: payloads are not decoded by fetchHistory.
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      const stored = storedHistoryText(history);
      for (const token of tokens) {
        assert.ok(!stored.includes(token), `${execution.workflowId} stores a token: ${token.slice(0, 6)}...`);
      }
      histories += 1;
      events += history.events?.length ?? 0;
      if ((await decryptedHistoryText(history)).includes(TEST_ADMIN_TOKEN)) decryptedWithToken += 1;
    }
    t.diagnostic(`${histories} raw histories (${events} events) read: 0 hold a token in clear`);
    // An encrypted history replays against today's code through the codec, as a restarted worker replays it.
    const completed = await first(
      client.workflow.list({ query: "WorkflowType = 'deployment' AND ExecutionStatus = 'Completed'" }),
    );
    const encrypted = await client.workflow.getHandle(completed.workflowId).fetchHistory();
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH }, dataConverter: TEST_DATA_CONVERTER },
      encrypted,
      completed.workflowId,
    );
    // The search can see a token where there is one: the approvals above carry it, encrypted.
    assert.ok(decryptedWithToken >= 2, `${decryptedWithToken} decrypted histories hold the approval token`);
    assert.ok(histories >= 10);
  });
});
