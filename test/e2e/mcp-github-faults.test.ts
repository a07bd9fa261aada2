// End to end: what an MCP caller gets when GitHub's credentials, permissions or repository are wrong, or the
// environment's health endpoints misbehave. Real MCP client over Streamable HTTP → gateway → dev server → worker →
// sandbox GitHub and apps.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Env } from '../../domain/config.js';
import { errorText, type McpStack, startMcpStack } from '../helpers/mcp-stack.js';
import { githubRequests, SANDBOX_REPO, sandboxOctokit, steer } from '../helpers/sandbox-control.js';

// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field in assertions
type Result = any;

let stack: McpStack;
before(async () => {
  stack = await startMcpStack();
});
after(() => stack.close());
beforeEach(() => steer(stack.harness.sandbox, 'POST', '/reset'));

/** The worker restarted with other settings. */
const worker = (overrides: Env = {}) => stack.harness.reconfigure({ SMOKE_PROBE_TIMEOUT_SECONDS: '2', ...overrides });

async function deployRefusal(): Promise<string> {
  const result = (await stack.call('deploy_to_staging', { git_ref: 'v1.2.0' })) as CallToolResult;
  assert.equal(result.isError, true, 'deploy_to_staging should be refused');
  await steer(stack.harness.sandbox, 'DELETE', '/faults');
  const records = await sandboxOctokit(stack.harness.sandbox).rest.repos.listDeployments({
    ...SANDBOX_REPO,
    environment: 'staging',
  });
  assert.equal(records.data.length, 1, 'only the seeded deployment: nothing recorded');
  assert.equal(((await steer(stack.harness.sandbox, 'GET', '/actions/runs')) as unknown[]).length, 0);
  return errorText(result);
}

describe('GitHub refusing the product reaches the caller at once, naming the fix', () => {
  after(() => worker());

  it('401: validate_deployment blocks and deploy_to_staging is refused, naming GITHUB_TOKEN', async () => {
    await worker({ GITHUB_TOKEN: 'ghp_not_the_token' });
    const validation = (await stack.call('validate_deployment', { environment: 'staging', git_ref: 'main' }))
      .structuredContent as Result;
    assert.equal(validation.valid, false);
    assert.match(validation.blockers[0], /^git_ref_resolves: .*401 Bad credentials\)\. Set GITHUB_TOKEN to a valid/);
    // Every request once: nothing retried a 401.
    const paths = (await githubRequests(stack.harness.sandbox)).map((request) => `${request.method} ${request.path}`);
    assert.equal(paths.length, 4, paths.join('\n'));
    assert.equal(new Set(paths).size, paths.length, paths.join('\n'));
    assert.match(await deployRefusal(), /401 Bad credentials\)\. Set GITHUB_TOKEN to a valid token/);
  });

  it('403 without a rate limit: refused, naming the permissions GITHUB_TOKEN needs', async () => {
    await worker();
    await steer(stack.harness.sandbox, 'POST', '/faults', { status: 403, count: 0 });
    assert.match(
      await deployRefusal(),
      /403: Resource not accessible by personal access token\)\. Give GITHUB_TOKEN the permissions actions:write/,
    );
  });

  it('404 of the repository: refused, naming GITHUB_REPOSITORY', async () => {
    await worker({ GITHUB_REPOSITORY: 'sandbox-org/no-such-repo' });
    assert.match(
      await deployRefusal(),
      /404 Not Found for GET \/repos\/sandbox-org\/no-such-repo\/.*GITHUB_REPOSITORY/,
    );
  });
});

describe('health endpoints that refuse, hang, answer 500 or garbage', () => {
  it('each fails its probe within the probe timeout, with the reason', async () => {
    await worker();
    const modes = { database: 'hang', redis: 'refuse', celery_worker: 'error', celery_beat: 'garbage' };
    for (const [component, mode] of Object.entries(modes)) {
      await steer(stack.harness.sandbox, 'POST', `/apps/staging/components/${component}`, { mode });
    }
    const result = (
      await stack.call('run_smoke_tests', { environment: 'staging', test_suite: 'full', timeout_seconds: 30 })
    ).structuredContent as Result;
    assert.equal(result.passed, false);
    const byName = Object.fromEntries(result.results.map((probe: Result) => [probe.check_name, probe]));
    assert.equal(byName.api.status, 'passed');
    const expected: Record<string, RegExp> = {
      database: /no answer within 2000 ms/,
      redis: /connection closed without an answer/,
      celery_worker: /answered HTTP 500/,
      celery_beat: /not JSON/,
    };
    for (const [component, reason] of Object.entries(expected)) {
      assert.equal(byName[component].status, 'failed', component);
      assert.match(byName[component].message, reason);
      assert.ok(byName[component].details.timeout_ms <= 2000, `${component} is bounded by the probe timeout`);
    }
  });
});
