import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultErrorRateQuery } from '../../domain/bake-config.js';
import {
  adjustmentProblem,
  type BakeState,
  bakeSecondsLeft,
  countRound,
  describeBake,
} from '../../domain/bake-policy.js';
import { ConfigError, parseGatewayConfig } from '../../domain/config.js';

function baking(overrides: Partial<BakeState> = {}): BakeState {
  return {
    seconds: 300,
    started_at: '2026-01-01T00:00:00.000Z',
    ends_at: '2026-01-01T00:05:00.000Z',
    probe_interval_seconds: 15,
    failed_rounds_to_roll_back: 3,
    outcome: 'baking',
    probe_rounds: 0,
    consecutive_failed_rounds: 0,
    failing_probes: [],
    error_rate_gate: 'off: no Prometheus configured for this environment',
    last_error_rate: null,
    adjustments: [],
    ...overrides,
  };
}

describe('bake configuration (gateway)', () => {
  it('bakes production 5 minutes and staging not at all by default, probing every 15 s, 3 failed rounds to roll back', () => {
    const { bake } = parseGatewayConfig({});
    assert.deepEqual(bake.production, {
      seconds: 300,
      probeIntervalSeconds: 15,
      failedRoundsToRollBack: 3,
      errorRate: null,
    });
    assert.equal(bake.staging.seconds, 0);
    assert.match(describeBake(bake.production), /error-rate gate off: no Prometheus configured/);
  });

  it('turns the error-rate gate on per environment with a Prometheus URL, with the 5xx ratio by default', () => {
    const { bake } = parseGatewayConfig({
      PRODUCTION_PROMETHEUS_URL: 'http://127.0.0.1:9090/',
      PRODUCTION_ERROR_RATE_THRESHOLD: '0.1',
      STAGING_BAKE_SECONDS: '60',
    });
    assert.deepEqual(bake.production.errorRate, {
      prometheusUrl: 'http://127.0.0.1:9090',
      query: defaultErrorRateQuery('production'),
      threshold: 0.1,
    });
    assert.match(defaultErrorRateQuery('production'), /environment="production",status=~"5\.\."/);
    assert.equal(bake.staging.errorRate, null);
    assert.equal(bake.staging.seconds, 60);
    const withPassword = parseGatewayConfig({ PRODUCTION_PROMETHEUS_URL: 'https://ops:s3cret-pass@prom.internal/' });
    const shown = describeBake(withPassword.bake.production);
    assert.match(shown, /at https:\/\/\[REDACTED\]@prom\.internal must stay/);
    assert.ok(!shown.includes('s3cret-pass'), 'the password never shows');
  });

  it('names a bad variable and what it got', () => {
    assert.throws(
      () => parseGatewayConfig({ PRODUCTION_BAKE_SECONDS: '-5' }),
      (error: unknown) => error instanceof ConfigError && /PRODUCTION_BAKE_SECONDS: .*"-5"/.test(error.message),
    );
    assert.throws(() => parseGatewayConfig({ DEPLOYMENT_BAKE_PROBE_INTERVAL_SECONDS: '0' }), /PROBE_INTERVAL/);
    assert.throws(
      () => parseGatewayConfig({ PRODUCTION_BAKE_SECONDS: '86400' }),
      /PRODUCTION_BAKE_SECONDS=86400 with DEPLOYMENT_BAKE_PROBE_INTERVAL_SECONDS=15 makes more than 400 probe rounds: shorten the bake or raise the interval to at least 216/,
    );
    assert.throws(
      () => parseGatewayConfig({ PRODUCTION_PROMETHEUS_URL: 'prometheus:9090' }),
      /PRODUCTION_PROMETHEUS_URL/,
    );
  });
});

describe('bake rules', () => {
  it('rolls back only after the configured number of failed rounds in a row; a passing round ends the streak', () => {
    const bake = baking();
    assert.equal(countRound(bake, ['api answered HTTP 503']), false);
    assert.equal(countRound(bake, ['api answered HTTP 503']), false);
    assert.equal(countRound(bake, []), false);
    assert.deepEqual(bake.failing_probes, []);
    assert.equal(countRound(bake, ['redis no answer']), false);
    assert.equal(countRound(bake, ['redis no answer', 'api answered HTTP 500']), false);
    assert.equal(countRound(bake, ['error rate 0.3 above the threshold 0.05']), true);
    assert.equal(bake.probe_rounds, 6);
    assert.deepEqual(bake.failing_probes, [
      'round 4: redis no answer',
      'round 5: redis no answer',
      'round 5: api answered HTTP 500',
      'round 6: error rate 0.3 above the threshold 0.05',
    ]);
  });

  it('accepts an adjustment only while baking, with a reason, and an extension of 1 s to a day', () => {
    const bake = baking();
    assert.equal(adjustmentProblem(bake, { action: 'end_now', reason: 'fine' }), null);
    assert.equal(adjustmentProblem(bake, { action: 'extend', seconds: 600, reason: 'peak' }), null);
    assert.match(
      adjustmentProblem(baking({ outcome: 'passed' }), { action: 'end_now', reason: 'x' }) ?? '',
      /not baking/,
    );
    assert.match(adjustmentProblem(undefined, { action: 'end_now', reason: 'x' }) ?? '', /not baking/);
    assert.match(adjustmentProblem(bake, { action: 'end_now', reason: ' ' }) ?? '', /reason is required/);
    assert.match(
      adjustmentProblem(bake, { action: 'pause' as 'end_now', reason: 'x' }) ?? '',
      /Invalid action: pause\. Must be 'end_now' or 'extend'/,
    );
    assert.match(adjustmentProblem(bake, { action: 'extend', seconds: 86_401, reason: 'x' }) ?? '', /Invalid seconds/);
    assert.match(adjustmentProblem(bake, { action: 'extend', seconds: 1.5, reason: 'x' }) ?? '', /Invalid seconds/);
    assert.match(
      adjustmentProblem(bake, { action: 'extend', seconds: 6000, reason: 'x' }) ?? '',
      /more than 400 probe rounds of 15s .* extend it by at most 5700s/,
    );
  });

  it('counts the time left down to 0', () => {
    assert.equal(bakeSecondsLeft(baking(), Date.parse('2026-01-01T00:01:00.000Z')), 240);
    assert.equal(bakeSecondsLeft(baking(), Date.parse('2026-01-01T01:00:00.000Z')), 0);
  });
});
