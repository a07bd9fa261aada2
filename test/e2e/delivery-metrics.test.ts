// End to end: a scripted production history (four good promotions, one whose run fails and is rolled back
// automatically, one rolled back by a person) through a real MCP client over Streamable HTTP → gateway → Temporal dev
// server → worker → sandbox GitHub, then get_deployment_metrics gives the figures that history implies. The promotions
// record their commits' times going live, so the metrics ask GitHub nothing; one that could not (GitHub failing at its
// go-live, like a deployment made before they recorded them) is measured through GitHub's compare at metrics time.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Client } from '@temporalio/client';
import { deliveryLedgerId } from '../../domain/delivery-ledger.js';
import { auditLines } from '../helpers/deployments.js';
import { errorText, type McpStack, startMcpGateway, startMcpStack } from '../helpers/mcp-stack.js';
import { githubRequests, SANDBOX_REPO, sandboxOctokit, steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { TEST_DATA_CONVERTER } from '../helpers/temporal-env.js';

// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field in assertions
type Result = any;

let stack: McpStack;
before(async () => {
  stack = await startMcpStack();
  await steer(stack.harness.sandbox, 'POST', '/reset');
  await steer(stack.harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
});
after(() => stack.close());

async function call(name: string, args: Record<string, unknown>): Promise<Result> {
  const result: CallToolResult = await stack.call(name, args);
  assert.equal(result.isError, undefined, `${name}: ${errorText(result)}`);
  return result.structuredContent;
}

async function finished(deploymentId: string): Promise<Result> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const status = await call('get_deployment_status', { deployment_id: deploymentId });
    const { deployment } = status;
    const rollback = deployment.automatic_rollback;
    const settled = !rollback || rollback.status === 'success' || rollback.status === 'failure';
    if ((deployment.status === 'success' || deployment.status === 'failure') && settled) return deployment;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${deploymentId} never finished`);
}

/** A new commit on main, tagged so each promotion names its own version; and when GitHub says it was committed. */
async function commit(tag: string): Promise<string> {
  const { sha } = (await steer(stack.harness.sandbox, 'POST', '/commits', {
    branch: 'main',
    files: { [`backend/app/${tag.replaceAll('.', '_')}.py`]: `# ${tag}\n` },
  })) as { sha: string };
  await steer(stack.harness.sandbox, 'POST', '/tags', { tag, ref: sha });
  const { data } = await sandboxOctokit(stack.harness.sandbox).rest.repos.getCommit({ ...SANDBOX_REPO, ref: sha });
  return data.commit.committer?.date as string;
}

const compareRequests = async () =>
  (await githubRequests(stack.harness.sandbox)).filter((request) => request.path.includes('/compare/')).length;

async function promote(version: string): Promise<Result> {
  const promotion = await call('promote_to_production', {
    staging_version: version,
    approval_token: TEST_ADMIN_TOKEN,
    skip_smoke_tests: true,
  });
  return finished(promotion.deployment_id);
}

const ms = (iso: string) => Date.parse(iso);
/** The q-quantile of sorted values between the closest ranks, written as the tool computes it (no float differs). */
function interpolated(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] as number;
  return lower + ((sorted[Math.min(below + 1, sorted.length - 1)] as number) - lower) * (position - below);
}
/** The story's lead-time counts, which the next tests add to. */
let storyLead: { deployments_measured: number; commits: number };
const seconds = (value: number) => Math.round(value / 1000);

it('returns the frequency, lead time, failure rate and recovery time the scripted history implies', async () => {
  await commit('v2.1.0');
  const comparesBefore = await compareRequests();
  const p1 = await promote('v2.1.0');
  const c2 = await commit('v2.2.0');
  const p2 = await promote('v2.2.0');
  const c3 = await commit('v2.3.0');
  await steer(stack.harness.sandbox, 'POST', '/actions/outcomes', { environment: 'production', conclusion: 'failure' });
  const p3 = await promote('v2.3.0');
  const autoRollback = await finished(p3.automatic_rollback.rollback_id);
  const c4 = await commit('v2.4.0');
  const p4 = await promote('v2.4.0');
  const c5 = await commit('v2.5.0');
  const p5 = await promote('v2.5.0');
  const rollback = await call('rollback_deployment', { environment: 'production', reason: 'p5 misbehaves' });
  const manualRollback = await finished(rollback.rollback_id);
  for (const [name, deployment] of Object.entries({ p1, p2, p4, p5, autoRollback, manualRollback }))
    assert.equal(deployment.status, 'success', `${name}: ${deployment.failure_reason}`);
  assert.equal(p3.status, 'failure');
  // Each promotion that went live compared once, with what ran before it (p1: the seed's v1.0.0); p3 never went live.
  assert.equal((await compareRequests()) - comparesBefore, 4);
  assert.deepEqual(p2.commit_times, [c2]);
  assert.deepEqual(p4.commit_times, [c3, c4]);
  assert.deepEqual(p5.commit_times, [c5]);
  assert.equal(p3.commit_times, undefined);
  assert.equal(manualRollback.commit_times, undefined);
  // Its own status shows what a deployment brought; a listing of many leaves the commit times out.
  const listed = await call('list_deployments', { environment: 'production', limit: 10 });
  assert.ok(listed.deployments.length >= 5);
  assert.ok(listed.deployments.every((each: Result) => !('commit_times' in each)));

  // Lead times: p1 shipped what GitHub lists between the seed's v1.0.0 and c1 (recorded going live); p2 shipped c2;
  // p4 (after the automatic rollback back to p2's commit) shipped c3 and c4; p5 shipped c5.
  assert.ok(p1.commit_times.length >= 1);
  const leads = [
    ...p1.commit_times.map((committed: string) => ms(p1.completed_at) - ms(committed)),
    ms(p2.completed_at) - ms(c2),
    ms(p4.completed_at) - ms(c3),
    ms(p4.completed_at) - ms(c4),
    ms(p5.completed_at) - ms(c5),
  ].sort((a, b) => a - b);
  // The automatic rollback's failure is known when it starts; the manual one's when it is asked for.
  const recoveries = [
    ms(autoRollback.completed_at) - ms(autoRollback.initiated_at),
    ms(manualRollback.completed_at) - ms(manualRollback.initiated_at),
  ];
  const expected = {
    successful_deployments: 4,
    lead_median_s: seconds(interpolated(leads, 0.5)),
    lead_p90_s: seconds(interpolated(leads, 0.9)),
    lead_commits: leads.length,
    deployments_measured: 4,
    deployments_without_base: 0,
    rate: 0.4,
    failed_after_dispatch: 1,
    rolled_back: 1,
    dispatched: 5,
    recovery_median_s: seconds((recoveries[0]! + recoveries[1]!) / 2),
    recovered: 2,
    rollbacks: 2,
  };

  // Visibility shows each close a moment later: ask until every deployment of the story is read.
  let metrics: Result = null;
  for (let attempt = 0; attempt < 100; attempt++) {
    metrics = await call('get_deployment_metrics', { environment: 'production', window_days: 1 });
    if (metrics.deployments_read >= 7) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const { current } = metrics;
  // The promotions recorded their commits' times going live: the metrics asked GitHub nothing (3 requests, one per
  // measured deployment, before deployments recorded them).
  assert.equal(metrics.github_requests, 0);
  const actual = {
    successful_deployments: current.deployment_frequency.successful_deployments,
    lead_median_s: current.lead_time_for_changes.median_seconds,
    lead_p90_s: current.lead_time_for_changes.p90_seconds,
    lead_commits: current.lead_time_for_changes.commits,
    deployments_measured: current.lead_time_for_changes.deployments_measured,
    deployments_without_base: current.lead_time_for_changes.deployments_without_base,
    rate: current.change_failure_rate.rate,
    failed_after_dispatch: current.change_failure_rate.failed_after_dispatch,
    rolled_back: current.change_failure_rate.rolled_back,
    dispatched: current.change_failure_rate.dispatched_deployments,
    recovery_median_s: current.failed_deployment_recovery_time.median_seconds,
    recovered: current.failed_deployment_recovery_time.recovered,
    rollbacks: current.rollbacks,
  };
  console.log(`delivery metrics e2e: expected ${JSON.stringify(expected)}`);
  console.log(`delivery metrics e2e: actual   ${JSON.stringify(actual)}`);
  assert.deepEqual(actual, expected);
  storyLead = current.lead_time_for_changes;
  assert.equal(current.deployment_frequency.per_day, 4);
  assert.equal(current.deployment_frequency.band, 'elite');
  assert.equal(current.change_failure_rate.band, 'low');
  assert.equal(metrics.previous.deployment_frequency.successful_deployments, 0);
  assert.equal(metrics.github_error, null);
  assert.equal(metrics.comparisons_pending, 0);
  assert.equal(metrics.trend.deployment_frequency, 'better');
  assert.equal(metrics.trend.change_failure_rate, null);
  assert.match(metrics.bands_source, /State of DevOps Report 2023/);

  // The comparisons are immutable: asked again, the tool makes no GitHub request at all.
  const before = (await githubRequests(stack.harness.sandbox)).length;
  const again = await call('get_deployment_metrics', { environment: 'production', window_days: 1 });
  assert.equal(again.github_requests, 0);
  assert.equal((await githubRequests(stack.harness.sandbox)).length, before);
  assert.deepEqual(again.current, { ...current, start: again.current.start, end: again.current.end });

  const lines = (await auditLines(stack.harness.worker.config.auditLogPath)).filter(
    (line) => line.operation === 'get_deployment_metrics',
  );
  assert.ok(lines.length >= 2);
  assert.deepEqual(lines.at(-1)?.details, { window_days: 1, deployments_read: 7, github_requests: 0 });
  assert.deepEqual(
    lines.map((line) => line.details.github_requests),
    lines.map(() => 0),
  );
  console.log(`delivery metrics e2e: GitHub requests, first call ${lines[0]?.details.github_requests}, again 0`);
});

it('measures a promotion that recorded no commit times (GitHub failed at its go-live) through GitHub, once', async () => {
  await commit('v2.6.0');
  // Its one compare at go-live fails for good (404 is not retried): it goes live all the same, without commit_times.
  await steer(stack.harness.sandbox, 'POST', '/faults', { match: '/compare/', status: 404, count: 1 });
  const p6 = await promote('v2.6.0');
  assert.equal(p6.status, 'success', p6.failure_reason);
  assert.equal(p6.commit_times, undefined);
  const comparesBefore = await compareRequests();
  let metrics: Result = null;
  for (let attempt = 0; attempt < 100; attempt++) {
    metrics = await call('get_deployment_metrics', { environment: 'production', window_days: 1 });
    if (metrics.deployments_read >= 8) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // After the manual rollback production ran v2.4.0: p6 brought c5 again and c6, read from GitHub's compare.
  const lead = metrics.current.lead_time_for_changes;
  assert.deepEqual(
    [lead.deployments_measured, lead.commits],
    [storyLead.deployments_measured + 1, storyLead.commits + 2],
  );
  assert.equal(metrics.github_requests, 1);
  assert.equal((await compareRequests()) - comparesBefore, 1);
  assert.equal(metrics.comparisons_pending, 0);
});

it('gives the same figures through a restarted gateway, and a ledger someone ended is rebuilt from visibility', async () => {
  const { harness } = stack;
  const figures = (result: Result) => ({ ...result.current, start: null, end: null });
  const ask = { environment: 'production', window_days: 1 };
  const before = await call('get_deployment_metrics', ask);
  const requestsBefore = (await githubRequests(harness.sandbox)).length;
  // A new Temporal client makes a gateway as fresh as a new process: it reads the ledger, not the history again.
  const restarted = await startMcpGateway(
    harness,
    {},
    new Client({ connection: harness.env.client.connection, dataConverter: TEST_DATA_CONVERTER }),
  );
  try {
    const fresh = (await restarted.call('get_deployment_metrics', ask)).structuredContent as Result;
    assert.deepEqual(figures(fresh), figures(before));
    assert.equal(fresh.github_requests, 0);
    assert.equal((await githubRequests(harness.sandbox)).length, requestsBefore);

    const ledger = harness.env.client.workflow.getHandle(
      deliveryLedgerId(harness.worker.config.taskQueue, 'production'),
    );
    await ledger.terminate('test: someone ended the ledger');
    // The next deployment's reading starts a new ledger, which gets the whole history from visibility again: the
    // story, p6 (whose commits GitHub is asked for again) and p7.
    const c7 = await commit('v2.7.0');
    const p7 = await promote('v2.7.0');
    let rebuilt: Result = null;
    for (let attempt = 0; attempt < 100; attempt++) {
      rebuilt = (await restarted.call('get_deployment_metrics', ask)).structuredContent as Result;
      if (rebuilt.deployments_read >= 9) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(p7.commit_times, [c7]);
    assert.equal(rebuilt.github_requests, 1);
    const lead = rebuilt.current.lead_time_for_changes;
    assert.deepEqual(
      [rebuilt.current.deployment_frequency.successful_deployments, lead.deployments_measured, lead.commits],
      [6, storyLead.deployments_measured + 2, storyLead.commits + 3],
    );
    const { status } = await ledger.describe();
    assert.equal(status.name, 'RUNNING');
  } finally {
    await restarted.close();
  }
});

it('names the field of a bad window_days or environment, and audits nothing', async () => {
  for (const [args, field] of [
    [{ window_days: 0 }, 'window_days'],
    [{ window_days: 366 }, 'window_days'],
    [{ window_days: 1.5 }, 'window_days'],
    [{ environment: 'qa' }, 'environment'],
  ] as const) {
    const result: CallToolResult = await stack.call('get_deployment_metrics', args);
    assert.equal(result.isError, true);
    assert.match(errorText(result), new RegExp(field));
  }
});
