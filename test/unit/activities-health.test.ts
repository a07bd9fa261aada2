// Health probes against the sandbox apps over real HTTP.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { healthProbeActivities } from '../../activities/health/health-probe.js';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { steer } from '../helpers/sandbox-control.js';
import { sandboxConfig } from '../helpers/sandbox-worker.js';

let sandbox: Sandbox;
let probeHealth: ReturnType<typeof healthProbeActivities>['probeHealth'];

before(async () => {
  sandbox = await startSandbox();
  probeHealth = healthProbeActivities({ ...sandboxConfig(sandbox), probeTimeoutMs: 1000 }).probeHealth;
});
after(() => sandbox.close());
beforeEach(() => steer(sandbox, 'POST', '/reset'));

const mode = (component: string, value: string) =>
  steer(sandbox, 'POST', `/apps/staging/components/${component}`, { mode: value });

describe('probeHealth', () => {
  it('passes a healthy component and records the URL and status', async () => {
    const result = await probeHealth({ environment: 'staging', component: 'database', budgetMs: 30_000 });
    assert.equal(result.status, 'passed');
    assert.equal(result.details.url, `${sandbox.stagingUrl}/api/health/db`);
    assert.equal(result.details.http_status, 200);
  });

  const failures: [string, RegExp][] = [
    ['unhealthy', /redis answered HTTP 503/],
    ['error', /redis answered HTTP 500/],
    ['garbage', /not JSON/],
    ['refuse', /redis connection closed without an answer|redis .*(socket|closed|reset)/i],
    ['hang', /redis no answer within 1000 ms/],
  ];
  for (const [value, message] of failures) {
    it(`fails a component that is ${value}, with the reason`, async () => {
      await mode('redis', value);
      const result = await probeHealth({ environment: 'staging', component: 'redis', budgetMs: 30_000 });
      assert.equal(result.status, 'failed');
      assert.match(result.message, message);
    });
  }

  it('never outlives what is left of the run', async () => {
    await mode('api', 'hang');
    const result = await probeHealth({ environment: 'staging', component: 'api', budgetMs: 200 });
    assert.equal(result.status, 'failed');
    assert.equal(result.details.timeout_ms, 200);
    assert.match(result.message, /no answer within 200 ms/);
  });
});
