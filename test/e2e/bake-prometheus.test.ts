// The bake's error-rate gate end to end: a real Prometheus (Debian's package) scrapes the sandbox apps' /metrics every
// second while user traffic hits production; a real MCP client promotes through the gateway, dev server and worker.
// A 5xx ratio above the threshold during the bake rolls back; one below it ends success only after the window.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensurePrometheus } from '../helpers/prometheus.js';
import {
  ERROR_RATE_QUERY as QUERY,
  type ToolResult as Result,
  ERROR_RATE_THRESHOLD as THRESHOLD,
  usePrometheusStack,
} from '../helpers/prometheus-stack.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';

const BAKE_SECONDS = 20;

const prometheusProgram = await ensurePrometheus();
const skip =
  'missing' in prometheusProgram
    ? `bake error-rate tests skipped: this machine lacks ${prometheusProgram.missing}`
    : false;
if (skip) console.log(skip);

describe('the bake error-rate gate against a real Prometheus', { skip }, () => {
  const world = usePrometheusStack('found' in prometheusProgram ? prometheusProgram.found : null, {
    PRODUCTION_BAKE_SECONDS: String(BAKE_SECONDS),
  });
  const call = (name: string, args: Record<string, unknown>) => world.call(name, args);
  const statusWhen = (id: string, until: (status: Result) => boolean, what: string) =>
    world.statusWhen(id, until, what);

  it('rolls a promotion back when the 5xx ratio Prometheus measures rises above the threshold during the bake', async () => {
    world.startTraffic();
    const promotion = await call('promote_to_production', {
      staging_version: 'v1.1.0',
      approval_token: TEST_ADMIN_TOKEN,
      skip_smoke_tests: true,
    });
    const baking = await statusWhen(promotion.deployment_id, (s) => s.deployment.status === 'baking', 'baking');
    assert.match(baking.deployment.bake.error_rate_gate, /^on: sum\(rate\(http_requests_total/);
    assert.ok(baking.deployment.bake.seconds_left > 0 && baking.deployment.bake.seconds_left <= BAKE_SECONDS);
    await steer(world.sandbox, 'POST', '/apps/production/error-rate', { ratio: 0.5 });

    const ended = await statusWhen(promotion.deployment_id, (s) => s.deployment.status === 'failure', 'the rollback');
    await world.stopTraffic();
    const { deployment } = ended;
    assert.equal(deployment.bake.outcome, 'breached');
    assert.match(
      deployment.failure_reason,
      /bake breached after .*: 2 probe rounds failed in a row: round \d+: error rate 0\.\d+ above the threshold 0\.1/,
    );
    assert.ok(deployment.bake.last_error_rate > THRESHOLD, `measured ${deployment.bake.last_error_rate}`);
    assert.ok(deployment.automatic_rollback, 'the automatic rollback ran');
    await statusWhen(deployment.automatic_rollback.rollback_id, (s) => s.deployment.status === 'success', 'rollback');
    const version = (await (await fetch(`${world.sandbox.productionUrl}/api/version`)).json()) as Result;
    assert.equal(version.version, 'v1.0.0');
    const measured = await world.prometheus.query(QUERY);
    assert.equal(measured.length, 1, 'Prometheus itself saw the 5xx ratio');
  });

  it('ends success only after the window when the 5xx ratio stays below the threshold', async () => {
    world.startTraffic();
    const promotion = await call('promote_to_production', {
      staging_version: 'v1.1.0',
      approval_token: TEST_ADMIN_TOKEN,
      skip_smoke_tests: true,
    });
    await statusWhen(promotion.deployment_id, (s) => s.deployment.status === 'baking', 'baking');
    await steer(world.sandbox, 'POST', '/apps/production/error-rate', { ratio: 0.02 });
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
    await world.stopTraffic();
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
