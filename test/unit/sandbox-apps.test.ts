import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { EVENT_CEILING_MS, withinCeiling } from '../helpers/ceilings.js';
import { controlRequest } from '../helpers/sandbox-control.js';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const steer = (path: string, body: unknown) => controlRequest(sandbox, 'POST', path, body);

function probe(path: string, environment: 'staging' | 'production' = 'staging'): Promise<Response> {
  const base = environment === 'staging' ? sandbox.stagingUrl : sandbox.productionUrl;
  // A ceiling, not a budget: only the hang test below expects a probe to time out, and it sets its own.
  return fetch(`${base}${path}`, { signal: AbortSignal.timeout(EVENT_CEILING_MS) });
}

const DEPENDENCIES = [
  ['/api/health/db', 'database'],
  ['/api/health/redis', 'redis'],
  ['/api/health/celery/worker', 'celery_worker'],
  ['/api/health/celery/beat', 'celery_beat'],
] as const;

describe('sandbox apps', () => {
  test('both environments start healthy on v1.0.0', async () => {
    const v1 = sandbox.state.world.repository.resolve('v1.0.0')?.sha;
    for (const environment of ['staging', 'production'] as const) {
      assert.deepEqual(await (await probe('/api/health', environment)).json(), {
        status: 'healthy',
        version: 'v1.0.0',
        environment,
      });
      assert.deepEqual(await (await probe('/api/version', environment)).json(), {
        version: 'v1.0.0',
        sha: v1,
        environment,
      });
      for (const [path, component] of DEPENDENCIES) {
        const response = await probe(path, environment);
        assert.equal(response.status, 200);
        const body = (await response.json()) as { status: string; component: string; latency_ms: number };
        assert.equal(body.status, 'healthy');
        assert.equal(body.component, component);
        assert.equal(typeof body.latency_ms, 'number');
      }
    }
    assert.equal((await probe('/nothing')).status, 404);
  });

  test('each mode breaks only the component it is set on, in only that environment', async () => {
    assert.equal((await steer('/apps/staging/components/redis', { mode: 'unhealthy' })).status, 200);
    const unhealthy = await probe('/api/health/redis');
    assert.equal(unhealthy.status, 503);
    const body = (await unhealthy.json()) as { status: string; component: string; error: string };
    assert.equal(body.status, 'unhealthy');
    assert.equal(body.component, 'redis');
    assert.ok(body.error.length > 0);
    assert.equal((await probe('/api/health/redis', 'production')).status, 200);
    assert.equal((await probe('/api/health/db')).status, 200);

    await steer('/apps/staging/components/database', { mode: 'error' });
    const error = await probe('/api/health/db');
    assert.equal(error.status, 500);
    assert.equal(await error.text(), 'Internal Server Error');

    await steer('/apps/staging/components/celery_worker', { mode: 'garbage' });
    const garbage = await probe('/api/health/celery/worker');
    assert.equal(garbage.status, 200);
    await assert.rejects(garbage.json(), SyntaxError);

    await steer('/apps/staging/components/celery_beat', { mode: 'refuse' });
    await assert.rejects(probe('/api/health/celery/beat'), TypeError);

    await steer('/apps/staging/components/api', { mode: 'unhealthy' });
    assert.equal((await probe('/api/health')).status, 503);
    assert.equal((await probe('/api/version')).status, 503);
  });

  test('the reported version follows steering, with the SHA of the ref by default', async () => {
    assert.equal((await steer('/apps/production/version', { version: 'v1.2.0' })).status, 200);
    const v12 = sandbox.state.world.repository.resolve('v1.2.0')?.sha;
    assert.deepEqual(await (await probe('/api/version', 'production')).json(), {
      version: 'v1.2.0',
      sha: v12,
      environment: 'production',
    });
    assert.equal(((await (await probe('/api/health')).json()) as { version: string }).version, 'v1.0.0');
    await steer('/apps/staging/version', { version: '2.0.0-hotfix', sha: 'f'.repeat(40) });
    assert.equal(((await (await probe('/api/version')).json()) as { sha: string }).sha, 'f'.repeat(40));
    assert.equal((await steer('/apps/staging/version', { version: 'v9.9.9' })).status, 422);
  });

  test('a hanging component times the client out, and close() still returns at once', async () => {
    const own = await startSandbox();
    own.state.setAppComponent('production', 'database', 'hang');
    own.state.addFault({ hang: true });
    await assert.rejects(fetch(`${own.productionUrl}/api/health/db`, { signal: AbortSignal.timeout(200) }), {
      name: 'TimeoutError',
    });
    // Left hanging on purpose: close() must not wait for these.
    const pending = [
      fetch(`${own.productionUrl}/api/health/db`).catch(() => 'dropped'),
      fetch(`${own.githubApiUrl}/repos/sandbox-org/scheduler`, {
        headers: { authorization: `token ${own.token}` },
      }).catch(() => 'dropped'),
    ];
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Requests that never end: a close() that waited for them would never return.
    await withinCeiling(own.close(), 'close() with requests left hanging');
    assert.deepEqual(await Promise.all(pending), ['dropped', 'dropped']);
    await own.close();
  });
});

describe('sandbox CLI', () => {
  test('prints its URLs and token as one JSON line and exits cleanly on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../../sandbox/main.js', import.meta.url));
    const child = spawn(process.execPath, [main], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    const printed = JSON.parse(chunk.toString()) as Record<string, string>;
    assert.equal(printed.repository, 'sandbox-org/scheduler');
    assert.match(printed.token ?? '', /^sandbox_[0-9a-f]{32}$/);
    assert.equal(printed.controlUrl, `${printed.githubApiUrl}/_sandbox`);
    const health = await fetch(`${printed.stagingUrl}/api/health`);
    assert.equal(health.status, 200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });
});
