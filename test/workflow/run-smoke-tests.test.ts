// runSmokeTests on the real time-skipping test server, probing the sandbox apps over HTTP.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SmokeTestsInput } from '../../domain/smoke-tests.js';
import type { runSmokeTests } from '../../workflows/run-smoke-tests.js';
import { steer } from '../helpers/sandbox-control.js';
import { startTimeSkippingEnv } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

let harness: Harness;
before(async () => {
  harness = await startHarness(startTimeSkippingEnv);
});
after(() => harness.close());
beforeEach(() => steer(harness.sandbox, 'POST', '/reset'));

function smoke(input: Partial<SmokeTestsInput>) {
  return harness.execute<typeof runSmokeTests>('runSmokeTests', [
    { environment: 'staging', test_suite: 'basic', timeout_seconds: 300, dry_run: false, ...input },
  ]);
}

describe('runSmokeTests', () => {
  it('runs the basic suite (api, database, redis) and the full suite (adds Celery)', async () => {
    const basic = await smoke({});
    assert.equal(basic.passed, true);
    assert.deepEqual(
      basic.results.map((result) => result.check_name),
      ['api', 'database', 'redis'],
    );
    const full = await smoke({ environment: 'production', test_suite: 'full' });
    assert.equal(full.passed, true, full.failures.join('; '));
    assert.deepEqual(
      full.results.map((result) => [result.check_name, result.status]),
      [
        ['api', 'passed'],
        ['database', 'passed'],
        ['redis', 'passed'],
        ['celery_worker', 'passed'],
        ['celery_beat', 'passed'],
      ],
    );
    assert.match(String(full.results[0]?.details.url), new RegExp(`^${harness.sandbox.productionUrl}`));
  });

  it('fails when any component fails, with the reason', async () => {
    await steer(harness.sandbox, 'POST', '/apps/staging/components/celery_beat', { mode: 'unhealthy' });
    const result = await smoke({ test_suite: 'full' });
    assert.equal(result.passed, false);
    assert.deepEqual(result.failures, ['celery_beat answered HTTP 503']);
  });

  it('fails a hanging component at the probe timeout instead of waiting', async () => {
    await steer(harness.sandbox, 'POST', '/apps/staging/components/database', { mode: 'hang' });
    const result = await smoke({});
    assert.equal(result.passed, false);
    assert.deepEqual(result.failures, ['database no answer within 2000 ms']);
  });
});
