// Canary steps end to end: a real MCP client promotes through the gateway, dev server and worker; the sandbox cd.yml
// takes the traffic weight and the sandbox production app serves the new version to that share of user traffic; a real
// Prometheus (Debian's package) scrapes it, and the error-rate gate reads the 5xx ratio between steps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensurePrometheus } from '../helpers/prometheus.js';
import {
  type ToolResult as Result,
  ERROR_RATE_THRESHOLD as THRESHOLD,
  usePrometheusStack,
} from '../helpers/prometheus-stack.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';

const STEP_SECONDS = 12;

const prometheusProgram = await ensurePrometheus();
const skip =
  'missing' in prometheusProgram ? `canary e2e tests skipped: this machine lacks ${prometheusProgram.missing}` : false;
if (skip) console.log(skip);

describe('canary steps against a real Prometheus', { skip }, () => {
  const world = usePrometheusStack('found' in prometheusProgram ? prometheusProgram.found : null, {
    PRODUCTION_CANARY_WEIGHT_INPUT: 'traffic_weight',
    PRODUCTION_CANARY_STEPS: '10,50,100',
    PRODUCTION_CANARY_STEP_SECONDS: String(STEP_SECONDS),
    PRODUCTION_BAKE_SECONDS: '4',
  });
  const statusWhen = (id: string, until: (status: Result) => boolean, what: string) =>
    world.statusWhen(id, until, what);

  async function promote(): Promise<string> {
    const promotion = await world.call('promote_to_production', {
      staging_version: 'v1.1.0',
      approval_token: TEST_ADMIN_TOKEN,
      skip_smoke_tests: true,
    });
    return promotion.deployment_id;
  }

  async function finished(deploymentId: string): Promise<Result> {
    const ended = await statusWhen(
      deploymentId,
      (s) => ['success', 'failure'].includes(s.deployment.status),
      'the end of the canary',
    );
    await world.stopTraffic();
    return ended.deployment;
  }

  it('rolls back a canary whose new version fails 60% of its requests: 6% overall at 10% passes, 30% at 50% breaches', async () => {
    await steer(world.sandbox, 'POST', '/apps/production/error-rate', { ratio: 0.6, instance: 'canary' });
    world.startTraffic();
    const deploymentId = await promote();
    const at10 = await statusWhen(
      deploymentId,
      (s) => s.deployment.current_step.startsWith('canary 10%: ') && /left of/.test(s.deployment.current_step),
      'the analysis at 10%',
    );
    assert.equal(at10.deployment.canary.weight, 10);
    const deployment = await finished(deploymentId);

    assert.equal(deployment.status, 'failure');
    assert.match(
      deployment.failure_reason,
      /^canary 50% breached after \d+s of 12s: 2 probe rounds failed in a row: round \d+: error rate 0\.\d+ above the threshold 0\.1/,
    );
    assert.deepEqual(
      deployment.canary.completed.map((step: Result) => [step.weight, step.analysis]),
      [
        [10, 'passed'],
        [50, 'breached'],
      ],
    );
    assert.ok(deployment.automatic_rollback, 'the automatic rollback ran');
    await statusWhen(deployment.automatic_rollback.rollback_id, (s) => s.deployment.status === 'success', 'rollback');
    const version = (await (await fetch(`${world.sandbox.productionUrl}/api/version`)).json()) as Result;
    assert.equal(version.version, 'v1.0.0');
    const canaryErrors = await world.prometheus.query(
      'sum(http_requests_total{environment="production",version="v1.1.0",status="500"})',
    );
    assert.ok(Number(canaryErrors[0]?.value?.[1]) > 0, 'Prometheus counted the canary version on its own label');
    const runs = world.sandbox.state.actionsRuns().filter((run) => run.inputs.environment === 'production');
    assert.deepEqual(
      runs.map((run) => run.inputs.traffic_weight),
      [10, 50, undefined],
    );
  });

  it('takes a healthy canary through 10%, 50% and 100% to success', async () => {
    await steer(world.sandbox, 'POST', '/apps/production/error-rate', { ratio: 0.02, instance: 'canary' });
    world.startTraffic();
    const deployment = await finished(await promote());

    assert.equal(deployment.status, 'success', deployment.failure_reason);
    assert.equal(deployment.canary.outcome, 'completed');
    assert.deepEqual(
      deployment.canary.completed.map((step: Result) => [step.weight, step.analysis]),
      [
        [10, 'passed'],
        [50, 'passed'],
        [100, 'none'],
      ],
    );
    assert.equal(deployment.bake.outcome, 'passed');
    assert.ok(deployment.bake.last_error_rate <= THRESHOLD, `measured ${deployment.bake.last_error_rate}`);
    assert.equal(deployment.automatic_rollback, null);
    const version = (await (await fetch(`${world.sandbox.productionUrl}/api/version`)).json()) as Result;
    assert.equal(version.version, 'v1.1.0');
  });
});
