// How every GitHub fault is classified for Temporal's retry policy: real answers of the sandbox GitHub (steered with
// its fault control), caught from the product's own Octokit client, then classified.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createGitHubClient } from '../../activities/github/client.js';
import { type FailureContext, GITHUB_FAILURE_TYPES, toActivityFailure } from '../../activities/github/errors.js';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { steer } from '../helpers/sandbox-control.js';
import { sandboxGitHub } from '../helpers/sandbox-worker.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());
beforeEach(() => steer(sandbox, 'POST', '/reset'));

const FIVE_MINUTES = 5 * 60_000;

/** What the activity would throw for the answer GitHub gives to a read of the repository under `fault`. */
async function classified(
  fault: Record<string, unknown> | null,
  context: FailureContext = {},
  github = sandboxGitHub(sandbox),
): Promise<ApplicationFailure> {
  if (fault) await steer(sandbox, 'POST', '/faults', fault);
  const error = await github.octokit.rest.repos.get({ owner: github.owner, repo: github.repo }).then(
    () => assert.fail('the request should fail'),
    (caught: unknown) => caught,
  );
  const failure = toActivityFailure(error, 'reading the repository', {
    jitterMs: 0,
    budgetLeftMs: FIVE_MINUTES,
    ...context,
  });
  assert.ok(failure instanceof ApplicationFailure, `not classified: ${String(failure)}`);
  return failure;
}

function delayMs(failure: ApplicationFailure): number {
  const match = /^(\d+)ms$/.exec(String(failure.nextRetryDelay));
  assert.ok(match, `nextRetryDelay ${String(failure.nextRetryDelay)}`);
  return Number(match[1]);
}

describe('GitHub faults that fix themselves: retryable', () => {
  for (const status of [500, 502, 503, 504]) {
    it(`a ${status} retries with the policy's backoff, naming the request`, async () => {
      const failure = await classified({ status });
      assert.equal(failure.nonRetryable, false);
      assert.equal(failure.type, GITHUB_FAILURE_TYPES.serverError);
      assert.equal(failure.nextRetryDelay, undefined);
      assert.match(failure.message, new RegExp(`^GitHub answered ${status}: .* for GET /repos/sandbox-org/scheduler`));
    });
  }

  it("a secondary rate limit (403 with retry-after) waits GitHub's delay", async () => {
    const failure = await classified({ rate_limit: 'secondary', retry_after: 7 });
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.type, GITHUB_FAILURE_TYPES.rateLimited);
    assert.equal(delayMs(failure), 7000);
    assert.match(failure.message, /secondary rate limit .*retrying in 7s, as GitHub asked/);
  });

  it("a 429 with retry-after waits GitHub's delay; one without waits a minute", async () => {
    assert.equal(delayMs(await classified({ rate_limit: 'too_many_requests', retry_after: 3 })), 3000);
    assert.equal(delayMs(await classified({ status: 429 })), 60_000);
  });

  for (const status of [403, 429]) {
    it(`a primary limit (${status}, x-ratelimit-remaining 0) waits until x-ratelimit-reset`, async () => {
      const failure = await classified({ rate_limit: 'primary', status, retry_after: 30 });
      assert.equal(failure.nonRetryable, false);
      const delay = delayMs(failure);
      assert.ok(delay >= 28_000 && delay <= 31_000, `${delay} ms`);
      assert.match(failure.message, /hourly API quota is used up/);
    });
  }

  it('jitter spreads the workers that come back after a rate limit', async () => {
    const failure = await classified({ rate_limit: 'secondary', retry_after: 2 }, { jitterMs: 400 });
    assert.equal(delayMs(failure), 2400);
  });

  it('a request that gets no answer times out, naming how long it waited', async () => {
    await steer(sandbox, 'POST', '/faults', { hang: true });
    const [owner, repo] = sandbox.repository.split('/') as [string, string];
    const github = createGitHubClient({
      token: sandbox.token,
      apiUrl: sandbox.githubApiUrl,
      owner,
      repo,
      requestTimeoutMs: 300,
    });
    const failure = await classified(null, {}, github);
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.type, GITHUB_FAILURE_TYPES.unreachable);
    assert.match(
      failure.message,
      /^GitHub could not be reached while reading the repository for GET .*: no answer within 0\.3s$/,
    );
  });

  it('an unreachable host is retryable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const github = createGitHubClient({ token: 'x', apiUrl: `http://127.0.0.1:${closedPort}`, owner: 'o', repo: 'r' });
    const failure = await classified(null, {}, github);
    assert.equal(failure.type, GITHUB_FAILURE_TYPES.unreachable);
    assert.equal(failure.nonRetryable, false);
  });

  it('a 200 whose JSON is cut short is retryable, not read as data', async () => {
    const failure = await classified({ malformed_body: true });
    assert.equal(failure.type, GITHUB_FAILURE_TYPES.malformed);
    assert.equal(failure.nonRetryable, false);
    assert.match(
      failure.message,
      /cut short .*GET \/repos\/sandbox-org\/scheduler answered 200 with JSON that does not parse/,
    );
  });
});

describe('GitHub faults that will not fix themselves: non-retryable, naming the fix', () => {
  it('401 names GITHUB_TOKEN', async () => {
    const failure = await classified(null, {}, sandboxGitHub(sandbox, 'not-the-token'));
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, GITHUB_FAILURE_TYPES.auth);
    assert.match(failure.message, /401 Bad credentials\)\. Set GITHUB_TOKEN to a valid token/);
  });

  it('403 without a rate limit (the headers say quota is left) is a missing permission', async () => {
    const failure = await classified({ status: 403 });
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, GITHUB_FAILURE_TYPES.permission);
    assert.match(failure.message, /403: Resource not accessible by personal access token\)\. Give GITHUB_TOKEN/);
  });

  it('404 names GITHUB_REPOSITORY, or the fix the call gives', async () => {
    const github = { ...sandboxGitHub(sandbox), repo: 'no-such-repo' };
    const failure = await classified(null, {}, github);
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, GITHUB_FAILURE_TYPES.notFound);
    assert.match(failure.message, /404 Not Found for GET \/repos\/sandbox-org\/no-such-repo .*Check GITHUB_REPOSITORY/);
    const named = await classified(null, { notFoundFix: 'Check CD_WORKFLOW' }, github);
    assert.match(named.message, /Check CD_WORKFLOW$/);
  });

  it('another 4xx is a refused request', async () => {
    const failure = await classified({ status: 422, message: 'Validation Failed' });
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, GITHUB_FAILURE_TYPES.refused);
    assert.match(failure.message, /\(422: Validation Failed\)/);
  });

  it('a rate limit longer than the activity may still wait fails at once, saying when to try again', async () => {
    const failure = await classified({ rate_limit: 'primary', retry_after: 50 * 60 });
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, GITHUB_FAILURE_TYPES.rateLimited);
    assert.match(
      failure.message,
      /asks to wait 3000s \(until \d{4}-.*Z\), longer than this step may wait\. Try again after/,
    );
    // The same wait inside a longer budget (watching a deploy run) is waited out.
    const patient = await classified({ rate_limit: 'primary', retry_after: 50 * 60 }, { budgetLeftMs: 2 * 3600_000 });
    assert.equal(patient.nonRetryable, false);
  });
});
