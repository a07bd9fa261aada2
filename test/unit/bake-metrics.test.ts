// The sandbox apps' Prometheus metrics and steerable error rate, and the gate's reading of a Prometheus that does not
// answer (a real refused connection); the gate against a real Prometheus is in test/e2e/bake-prometheus.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readErrorRate } from '../../activities/metrics/prometheus-query.js';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { freePort } from '../helpers/product-process.js';
import { controlRequest, steer } from '../helpers/sandbox-control.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

describe('sandbox app metrics', () => {
  it('answers the steered share of user requests with 500 and counts every answer in http_requests_total', async () => {
    await steer(sandbox, 'POST', '/apps/production/error-rate', { ratio: 0.25 });
    const statuses: number[] = [];
    for (let index = 0; index < 100; index++) {
      statuses.push((await fetch(`${sandbox.productionUrl}/api/schedule`)).status);
    }
    assert.equal(statuses.filter((status) => status === 500).length, 25);
    const metrics = await (await fetch(`${sandbox.productionUrl}/metrics`)).text();
    assert.match(metrics, /^# TYPE http_requests_total counter$/m);
    assert.match(
      metrics,
      /^http_requests_total\{environment="production",version="v1\.0\.0",path="\/api\/schedule",status="500"\} 25$/m,
    );
    assert.match(metrics, /path="\/api\/schedule",status="200"\} 75$/m);
    assert.ok(!metrics.includes('path="/metrics"'), 'scrapes are not counted');
  });

  it('refuses an error ratio outside 0-1, naming the field', async () => {
    const response = await controlRequest(sandbox, 'POST', '/apps/production/error-rate', { ratio: 2 });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /ratio/);
  });
});

describe('error-rate gate reading', () => {
  it('fails the round, saying why, when Prometheus does not answer', async () => {
    const port = await freePort();
    const reading = await readErrorRate({ prometheusUrl: `http://127.0.0.1:${port}`, query: 'up', threshold: 0.1 });
    assert.equal(reading.value, null);
    assert.match(reading.breach ?? '', /^error-rate gate could not read Prometheus at 127\.0\.0\.1:\d+: /);
  });
});
