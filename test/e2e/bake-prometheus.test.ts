// The bake's error-rate gate end to end: a real Prometheus (Debian's package) scrapes the sandbox apps' /metrics every
// second while user traffic hits production; a real MCP client promotes through the gateway, dev server and worker.
// A 5xx ratio above the threshold during the bake rolls back; one below it ends success only after the window.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { waitUntil } from '../../scripts/wait-until.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import { errorText, type McpGateway, type McpStack, startMcpGateway, startMcpStack } from '../helpers/mcp-stack.js';
import { ensurePrometheus, type RunningPrometheus, startPrometheus } from '../helpers/prometheus.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';

// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field in assertions
type Result = any;

const BAKE_SECONDS = 20;
const THRESHOLD = 0.1;
const QUERY =
  'sum(rate(http_requests_total{environment="production",status=~"5.."}[10s])) / ' +
  'sum(rate(http_requests_total{environment="production"}[10s]))';

const prometheusProgram = await ensurePrometheus();
const skip =
  'missing' in prometheusProgram
    ? `bake error-rate tests skipped: this machine lacks ${prometheusProgram.missing}`
    : false;
if (skip) console.log(skip);

let stack: McpStack;
let gateway: McpGateway;
let prometheus: RunningPrometheus;
let traffic: { stop(): Promise<number> } | null = null;

/** Users of production: a bounded loop of requests on loopback, one every 10 ms, until stopped. */
function userTraffic(url: string): { stop(): Promise<number> } {
  let running = true;
  let sent = 0;
  const loop = (async () => {
    while (running && sent < 100_000) {
      await fetch(`${url}/api/schedule`)
        .then((response) => response.arrayBuffer())
        .catch(() => undefined);
      sent += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return sent;
    },
  };
}

async function call(name: string, args: Record<string, unknown>): Promise<Result> {
  const result = await gateway.call(name, args);
  assert.equal(result.isError, undefined, `${name}: ${errorText(result)}`);
  return result.structuredContent;
}

async function statusWhen(deploymentId: string, until: (status: Result) => boolean, what: string): Promise<Result> {
  let last: Result = null;
  await waitUntil(
    async () => {
      last = await call('get_deployment_status', { deployment_id: deploymentId });
      return until(last);
    },
    { what, timeoutMs: EVENT_CEILING_MS, intervalMs: 250 },
  );
  return last;
}

describe('the bake error-rate gate against a real Prometheus', { skip }, () => {
  before(async () => {
    if ('missing' in prometheusProgram) return;
    stack = await startMcpStack();
    const { sandbox } = stack.harness;
    prometheus = await startPrometheus(prometheusProgram.found, [sandbox.stagingUrl, sandbox.productionUrl]);
    // A second gateway on the same stack, configured as an operator with Prometheus would.
    gateway = await startMcpGateway(stack.harness, {
      PRODUCTION_BAKE_SECONDS: String(BAKE_SECONDS),
      DEPLOYMENT_BAKE_PROBE_INTERVAL_SECONDS: '2',
      DEPLOYMENT_BAKE_FAILURES_TO_ROLL_BACK: '2',
      PRODUCTION_PROMETHEUS_URL: prometheus.url,
      PRODUCTION_ERROR_RATE_QUERY: QUERY,
      PRODUCTION_ERROR_RATE_THRESHOLD: String(THRESHOLD),
    });
  });
  after(async () => {
    await traffic?.stop();
    await gateway?.close();
    await prometheus?.stop();
    await stack?.close();
  });
  beforeEach(async () => {
    await steer(stack.harness.sandbox, 'POST', '/reset');
    await steer(stack.harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
  });

  it('rolls a promotion back when the 5xx ratio Prometheus measures rises above the threshold during the bake', async () => {
    traffic = userTraffic(stack.harness.sandbox.productionUrl);
    const promotion = await call('promote_to_production', {
      staging_version: 'v1.1.0',
      approval_token: TEST_ADMIN_TOKEN,
      skip_smoke_tests: true,
    });
    const baking = await statusWhen(promotion.deployment_id, (s) => s.deployment.status === 'baking', 'baking');
    assert.match(baking.deployment.bake.error_rate_gate, /^on: sum\(rate\(http_requests_total/);
    assert.ok(baking.deployment.bake.seconds_left > 0 && baking.deployment.bake.seconds_left <= BAKE_SECONDS);
    await steer(stack.harness.sandbox, 'POST', '/apps/production/error-rate', { ratio: 0.5 });

    const ended = await statusWhen(promotion.deployment_id, (s) => s.deployment.status === 'failure', 'the rollback');
    await traffic.stop();
    traffic = null;
    const { deployment } = ended;
    assert.equal(deployment.bake.outcome, 'breached');
    assert.match(
      deployment.failure_reason,
      /bake breached after .*: 2 probe rounds failed in a row: round \d+: error rate 0\.\d+ above the threshold 0\.1/,
    );
    assert.ok(deployment.bake.last_error_rate > THRESHOLD, `measured ${deployment.bake.last_error_rate}`);
    assert.ok(deployment.automatic_rollback, 'the automatic rollback ran');
    await statusWhen(deployment.automatic_rollback.rollback_id, (s) => s.deployment.status === 'success', 'rollback');
    const version = (await (await fetch(`${stack.harness.sandbox.productionUrl}/api/version`)).json()) as Result;
    assert.equal(version.version, 'v1.0.0');
    const measured = await prometheus.query(QUERY);
    assert.equal(measured.length, 1, 'Prometheus itself saw the 5xx ratio');
  });

  it('ends success only after the window when the 5xx ratio stays below the threshold', async () => {
    traffic = userTraffic(stack.harness.sandbox.productionUrl);
    const promotion = await call('promote_to_production', {
      staging_version: 'v1.1.0',
      approval_token: TEST_ADMIN_TOKEN,
      skip_smoke_tests: true,
    });
    await statusWhen(promotion.deployment_id, (s) => s.deployment.status === 'baking', 'baking');
    await steer(stack.harness.sandbox, 'POST', '/apps/production/error-rate', { ratio: 0.02 });
    const midway = await statusWhen(
      promotion.deployment_id,
      (s) => s.deployment.status !== 'baking' || s.deployment.bake.probe_rounds >= 4,
      'a few rounds',
    );
    assert.equal(midway.deployment.status, 'baking', 'still baking after several rounds below the threshold');
    const ended = await statusWhen(
      promotion.deployment_id,
      (s) => ['success', 'failure'].includes(s.deployment.status),
      'the end of the bake',
    );
    await traffic.stop();
    traffic = null;
    const { deployment } = ended;
    assert.equal(deployment.status, 'success', deployment.failure_reason);
    assert.equal(deployment.bake.outcome, 'passed');
    const bakedMs = Date.parse(deployment.completed_at) - Date.parse(deployment.bake.started_at);
    assert.ok(bakedMs >= BAKE_SECONDS * 1000, `ended ${bakedMs} ms after the bake started`);
    assert.ok(
      deployment.bake.last_error_rate !== null && deployment.bake.last_error_rate <= THRESHOLD,
      `measured ${deployment.bake.last_error_rate}`,
    );
    assert.equal(deployment.automatic_rollback, null);
  });
});
