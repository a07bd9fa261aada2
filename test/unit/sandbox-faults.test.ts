import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Octokit } from '@octokit/rest';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { waitUntil } from '../../scripts/wait-until.js';
import { EVENT_CEILING_MS, withinCeiling } from '../helpers/ceilings.js';
import { controlRequest, SANDBOX_REPO, sandboxOctokit } from '../helpers/sandbox-control.js';

const repo = SANDBOX_REPO;
let sandbox: Sandbox;
let octokit: Octokit;

before(async () => {
  sandbox = await startSandbox();
  octokit = sandboxOctokit(sandbox);
});
after(() => sandbox.close());
beforeEach(() => control('POST', '/reset'));

const control = (method: string, path: string, body?: unknown) => controlRequest(sandbox, method, path, body);

async function addFault(spec: Record<string, unknown>): Promise<string> {
  const response = await control('POST', '/faults', spec);
  assert.equal(response.status, 200);
  const { id } = (await response.json()) as { id: string };
  return id;
}

/** The raw answer to a GET of the repository path `path`, as Octokit would send it. */
function api(path = ''): Promise<Response> {
  return fetch(`${sandbox.githubApiUrl}/repos/sandbox-org/scheduler${path}`, {
    headers: { authorization: `token ${sandbox.token}` },
  });
}

describe('faults', () => {
  test('a status fault answers GitHub’s error body once, then the API recovers', async () => {
    const id = await addFault({ status: 502 });
    assert.match(id, /^fault-\d+$/);
    const failed = await api();
    assert.equal(failed.status, 502);
    assert.deepEqual(await failed.json(), {
      message: 'Bad Gateway',
      documentation_url: 'https://docs.github.com/rest',
      status: '502',
    });
    assert.ok(failed.headers.get('x-ratelimit-remaining'));
    assert.equal((await api()).status, 200);
  });

  test('401 and 403 faults say what GitHub says; message replaces it; quota headers stay', async () => {
    await addFault({ status: 401 });
    assert.equal(((await (await api()).json()) as { message: string }).message, 'Bad credentials');
    await addFault({ status: 403 });
    const forbidden = await api();
    assert.equal(
      ((await forbidden.json()) as { message: string }).message,
      'Resource not accessible by personal access token',
    );
    // A permission 403 is told apart from a rate limit by quota left and no retry-after, as on GitHub.
    assert.notEqual(forbidden.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(forbidden.headers.get('retry-after'), null);
    await addFault({ status: 403, message: 'Must have admin rights to Repository.' });
    assert.equal(
      ((await (await api()).json()) as { message: string }).message,
      'Must have admin rights to Repository.',
    );
  });

  test('match, method and count pick which requests fail; count 0 lasts until cleared', async () => {
    await addFault({ match: '/check-runs', method: 'get', count: 2, status: 500 });
    assert.equal((await api('/commits/main')).status, 200);
    assert.equal((await api('/commits/main/check-runs')).status, 500);
    assert.equal((await api('/commits/main/check-runs')).status, 500);
    assert.equal((await api('/commits/main/check-runs')).status, 200);

    await addFault({ match: '/dependabot', count: 0, status: 503 });
    for (let attempt = 0; attempt < 3; attempt++) assert.equal((await api('/dependabot/alerts')).status, 503);
    assert.equal((await control('DELETE', '/faults')).status, 200);
    assert.equal((await api('/dependabot/alerts')).status, 200);
  });

  test('rate limits carry the headers clients back off by', async () => {
    await addFault({ rate_limit: 'secondary', retry_after: 7 });
    const secondary = await api();
    assert.equal(secondary.status, 403);
    assert.equal(secondary.headers.get('retry-after'), '7');
    assert.match(
      ((await secondary.json()) as { message: string }).message,
      /^You have exceeded a secondary rate limit/,
    );

    await addFault({ rate_limit: 'primary', retry_after: 30 });
    const primary = await api();
    assert.equal(primary.status, 403);
    assert.equal(primary.headers.get('x-ratelimit-remaining'), '0');
    const reset = Number(primary.headers.get('x-ratelimit-reset'));
    assert.ok(Math.abs(reset - (Date.now() / 1000 + 30)) < 5);
    assert.match(((await primary.json()) as { message: string }).message, /^API rate limit exceeded for /);

    await addFault({ rate_limit: 'too_many_requests' });
    const tooMany = await api();
    assert.equal(tooMany.status, 429);
    assert.equal(tooMany.headers.get('retry-after'), '60');

    // Octokit sees the same: a 403 whose message names the secondary limit.
    await addFault({ rate_limit: 'secondary', retry_after: 1 });
    await assert.rejects(octokit.rest.repos.get(repo), (error: Error & { status?: number }) => {
      assert.equal(error.status, 403);
      assert.match(error.message, /secondary rate limit/);
      return true;
    });
  });

  test('a malformed body is a 200 whose JSON is cut short', async () => {
    await addFault({ malformed_body: true, match: '/commits/' });
    const response = await octokit.rest.repos.getCommit({ ...repo, ref: 'main' });
    assert.equal(response.status, 200);
    assert.equal(typeof response.data, 'string');
    assert.throws(() => JSON.parse(response.data as unknown as string), SyntaxError);
    assert.equal(typeof (await octokit.rest.repos.getCommit({ ...repo, ref: 'main' })).data, 'object');
  });

  test('a lost answer makes the change but answers an error', async () => {
    await addFault({ lost_answer: true, method: 'POST', match: '/dispatches' });
    const dispatch = { ...repo, workflow_id: 'cd.yml', ref: 'main', inputs: { environment: 'staging' } };
    await assert.rejects(octokit.rest.actions.createWorkflowDispatch(dispatch), { status: 502 });
    assert.equal(sandbox.state.actionsRuns().length, 1);
    await addFault({ lost_answer: true, status: 504, method: 'POST', match: '/deployments' });
    await assert.rejects(
      octokit.rest.repos.createDeployment({ ...repo, ref: 'v1.0.0', environment: 'staging', required_contexts: [] }),
      { status: 504 },
    );
    const { data } = await octokit.rest.repos.listDeployments({ ...repo, environment: 'staging' });
    assert.equal(data.length, 2);
  });

  test('delay_ms answers normally, late', async () => {
    await addFault({ delay_ms: 250 });
    const startedAt = Date.now();
    assert.equal((await api()).status, 200);
    assert.ok(Date.now() - startedAt >= 240);
  });

  test('latency delays every request without serialising them', async () => {
    assert.equal((await control('POST', '/latency', { delay_ms: 1000 })).status, 200);
    const startedAt = Date.now();
    const pending = Promise.all([api(), api('/branches'), api('/tags'), api('/dependabot/alerts')]);
    // Not serialised: all four are held at once (the log lists a request without a status until it is answered).
    await waitUntil(async () => sandbox.state.requests().filter((entry) => entry.status === null).length === 4, {
      what: 'four delayed requests held at once',
      timeoutMs: EVENT_CEILING_MS,
      intervalMs: 10,
    });
    const answers = await pending;
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200],
    );
    assert.ok(Date.now() - startedAt >= 990, 'each waited its delay');
  });

  test('a hanging request never answers, and is logged without a status', async () => {
    await addFault({ hang: true, match: '/tags' });
    await assert.rejects(
      fetch(`${sandbox.githubApiUrl}/repos/sandbox-org/scheduler/tags`, {
        headers: { authorization: `token ${sandbox.token}` },
        signal: AbortSignal.timeout(200),
      }),
      { name: 'TimeoutError' },
    );
    const log = sandbox.state.requests();
    assert.deepEqual(
      log.map((entry) => [entry.path, entry.status]),
      [['/repos/sandbox-org/scheduler/tags', null]],
    );
  });
});

describe('control API', () => {
  test('the request log records method, path, query and status, and can be cleared', async () => {
    await octokit.rest.repos.listTags({ ...repo, per_page: 2 });
    await octokit.rest.git.getRef({ ...repo, ref: 'heads/nope' }).catch(() => undefined);
    const response = await control('GET', '/requests');
    const log = (await response.json()) as Array<{
      method: string;
      path: string;
      query: object;
      status: number;
      at: string;
    }>;
    assert.deepEqual(
      log.map(({ method, path, query, status }) => ({ method, path, query, status })),
      [
        { method: 'GET', path: '/repos/sandbox-org/scheduler/tags', query: { per_page: '2' }, status: 200 },
        { method: 'GET', path: '/repos/sandbox-org/scheduler/git/ref/heads/nope', query: {}, status: 404 },
      ],
    );
    assert.ok(log.every((entry) => !Number.isNaN(Date.parse(entry.at))));
    await control('DELETE', '/requests');
    assert.deepEqual(sandbox.state.requests(), []);
  });

  test('reset clears faults, latency, the log and steered state', async () => {
    await addFault({ status: 500, count: 0 });
    // Longer than any test waits: a latency reset left in place would fail the request below at the ceiling.
    await control('POST', '/latency', { delay_ms: 2 * EVENT_CEILING_MS });
    await control('POST', '/checks', { ref: 'main', conclusion: 'failure' });
    assert.equal((await control('POST', '/reset')).status, 200);
    const { data } = await withinCeiling(
      octokit.rest.checks.listForRef({ ...repo, ref: 'main' }),
      'a request after the reset (the latency was not cleared)',
    );
    assert.ok(data.check_runs.every((run) => run.conclusion === 'success'));
    assert.equal(sandbox.state.requests().length, 1);
  });

  test('bad steering requests say what is wrong', async () => {
    const invalid = await control('POST', '/checks', { ref: 'main', conclusion: 'maybe' });
    assert.equal(invalid.status, 400);
    assert.match(((await invalid.json()) as { message: string }).message, /conclusion/);
    const unknownRef = await control('POST', '/checks', { ref: 'nope', conclusion: 'failure' });
    assert.equal(unknownRef.status, 422);
    const notJson = await fetch(`${sandbox.controlUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(notJson.status, 400);
    assert.equal((await control('DELETE', '/environments/qa')).status, 404);
    assert.equal((await control('POST', '/apps/qa/components/api', { mode: 'healthy' })).status, 404);
    assert.equal((await control('POST', '/nothing-here')).status, 404);
    // The control API is not part of GitHub's: it never shows up in the request log.
    assert.deepEqual(sandbox.state.requests(), []);
  });
});
