// `npm run bench:faults`: every GitHub and health-endpoint fault class, driven through the sandbox into the whole
// product (a real MCP client over Streamable HTTP → gateway → Temporal dev server → worker → sandbox), printed as a
// markdown table: what the product did, how long until the MCP caller knew, and whether anything was lost or doubled.
// Real time throughout (the dev server skips nothing), so the backoffs in the table are the ones a user waits.

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Env } from '../domain/config.js';
import { errorText, startMcpStack } from '../test/helpers/mcp-stack.js';
import { githubRequests, SANDBOX_REPO, sandboxOctokit, steer } from '../test/helpers/sandbox-control.js';

type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field
type Result = any;

// The worker's GitHub request timeout in this bench (GITHUB_REQUEST_TIMEOUT_SECONDS; the default is 30).
const REQUEST_TIMEOUT_SECONDS = 5;
const PROBE_TIMEOUT_SECONDS = 2; // SMOKE_PROBE_TIMEOUT_SECONDS (the default is 10)
const stack = await startMcpStack();
const { sandbox } = stack.harness;
const BASE: Env = { GITHUB_REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS) };
await stack.harness.reconfigure({ ...BASE, SMOKE_PROBE_TIMEOUT_SECONDS: String(PROBE_TIMEOUT_SECONDS) });
const mainSha = (await sandboxOctokit(sandbox).rest.repos.getCommit({ ...SANDBOX_REPO, ref: 'main' })).data.sha;
const statusPath = `${mainSha}/status`;

interface Row {
  fault: string;
  did: string;
  knewMs: number;
  lost: string;
}
const rows: Row[] = [];

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - startedAt) };
}

const requestsTo = async (suffix: string, method = 'GET') =>
  (await githubRequests(sandbox)).filter((request) => request.method === method && request.path.endsWith(suffix))
    .length;

async function world(): Promise<{ records: number; runs: number }> {
  const { data } = await sandboxOctokit(sandbox).rest.repos.listDeployments({
    ...SANDBOX_REPO,
    environment: 'staging',
    per_page: 100,
  });
  return { records: data.length, runs: ((await steer(sandbox, 'GET', '/actions/runs')) as unknown[]).length };
}

async function fresh(overrides: Env = {}): Promise<void> {
  await stack.harness.reconfigure({ ...BASE, ...overrides });
  await steer(sandbox, 'POST', '/reset');
  await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
}

const shorten = (text: string, length = 170) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/** validate_deployment(staging, main) under a fault on the commit-status read (the tests_passed check). */
async function validateRow(fault: string, spec: Json | null, overrides: Env = {}): Promise<void> {
  await fresh(overrides);
  if (spec) await steer(sandbox, 'POST', '/faults', { match: statusPath, ...spec });
  const { value, ms } = await timed(() =>
    stack.call('validate_deployment', { environment: 'staging', git_ref: 'main', skip_security_scan: true }),
  );
  const result = value as CallToolResult;
  const reads = await requestsTo(statusPath);
  const all = (await githubRequests(sandbox)).length;
  let did: string;
  if (result.isError) {
    did = `tool error: ${shorten(errorText(result))}`;
  } else {
    const content = result.structuredContent as Result;
    const retried = reads > 1 ? `retried ${reads - 1}x (${reads} requests to the endpoint)` : 'no retry';
    did = content.valid
      ? `${retried}; valid`
      : `${reads <= 1 && all <= 4 ? 'failed fast, no retry' : retried}; blocker: ${shorten(content.blockers[0] ?? '')}`;
  }
  rows.push({ fault, did, knewMs: ms, lost: 'nothing (a read)' });
}

/** deploy_to_staging(v1.2.0) under a fault, followed with get_deployment_status until it ends. */
async function deployRow(fault: string, spec: Json | null, overrides: Env = {}): Promise<void> {
  await fresh(overrides);
  const before = await world();
  if (spec) await steer(sandbox, 'POST', '/faults', spec);
  const { value, ms } = await timed(async () => {
    const started = (await stack.call('deploy_to_staging', {
      git_ref: 'v1.2.0',
      skip_smoke_tests: true,
    })) as CallToolResult;
    if (started.isError) return { error: errorText(started) };
    const id = (started.structuredContent as Result).deployment_id;
    for (let poll = 0; poll < 600; poll++) {
      const status = (await stack.call('get_deployment_status', { deployment_id: id })) as CallToolResult;
      const deployment = (status.structuredContent as Result)?.deployment;
      if (deployment && ['success', 'failure'].includes(deployment.status)) return { deployment };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return { error: 'did not finish' };
  });
  const after = await world();
  const dispatches = await requestsTo('/dispatches', 'POST');
  const creates = await requestsTo('scheduler/deployments', 'POST');
  const did =
    'error' in value
      ? `tool error: ${shorten(value.error ?? '')}`
      : `${value.deployment.status}${value.deployment.failure_reason ? `: ${shorten(value.deployment.failure_reason)}` : ''} (record POSTs ${creates}, dispatch POSTs ${dispatches})`;
  rows.push({
    fault,
    did,
    knewMs: ms,
    lost: `GitHub records +${after.records - before.records}, Actions runs +${after.runs - before.runs}`,
  });
}

/** run_smoke_tests(staging, basic) with one component's health endpoint misbehaving. */
async function smokeRow(mode: string, label: string): Promise<void> {
  await fresh({ SMOKE_PROBE_TIMEOUT_SECONDS: String(PROBE_TIMEOUT_SECONDS) });
  await steer(sandbox, 'POST', '/apps/staging/components/database', { mode });
  const { value, ms } = await timed(() =>
    stack.call('run_smoke_tests', { environment: 'staging', test_suite: 'full', timeout_seconds: 30 }),
  );
  const result = (value as CallToolResult).structuredContent as Result;
  rows.push({
    fault: `health endpoint ${label}`,
    did: `probe failed: ${shorten(result.failures.join('; '))}; passed=${result.passed}`,
    knewMs: ms,
    lost: 'nothing (a read)',
  });
}

try {
  await validateRow('none (baseline)', null);
  await validateRow('5xx burst: two 502s', { status: 502, count: 2 });
  await validateRow('5xx that lasts (503 on every try)', { status: 503, count: 0 });
  await validateRow('secondary rate limit: 403 + retry-after: 2', { rate_limit: 'secondary', retry_after: 2 });
  await validateRow('429 + retry-after: 2', { rate_limit: 'too_many_requests', retry_after: 2 });
  await validateRow('primary limit: 403, x-ratelimit-remaining 0, reset in 3 s', {
    rate_limit: 'primary',
    retry_after: 3,
  });
  await validateRow('primary limit: reset in 50 min', { rate_limit: 'primary', retry_after: 3000 });
  await validateRow(`timeout: no answer (request timeout ${REQUEST_TIMEOUT_SECONDS} s)`, { hang: true });
  await validateRow('malformed body: 200 with JSON cut in half', { malformed_body: true });
  await validateRow('401 bad credentials (wrong GITHUB_TOKEN)', null, { GITHUB_TOKEN: 'ghp_wrong' });
  await validateRow('403 missing permission (no rate-limit headers)', { status: 403, count: 0, match: undefined });
  await validateRow('404 missing repository (GITHUB_REPOSITORY)', null, {
    GITHUB_REPOSITORY: 'sandbox-org/no-such-repo',
  });
  await deployRow('deploy: none (baseline)', null);
  await deployRow('deploy: 404 missing workflow (CD_WORKFLOW=deploy.yml)', null, { CD_WORKFLOW: 'deploy.yml' });
  await deployRow('deploy: 401 bad credentials', null, { GITHUB_TOKEN: 'ghp_wrong' });
  await deployRow('deploy: record POST answer lost (502 after the write)', {
    lost_answer: true,
    method: 'POST',
    match: 'scheduler/deployments',
  });
  await deployRow('deploy: dispatch POST answer lost (502 after the write)', {
    lost_answer: true,
    method: 'POST',
    match: '/dispatches',
  });
  await deployRow('deploy: dispatch 502 burst of two', { status: 502, count: 2, method: 'POST', match: '/dispatches' });
  await smokeRow('refuse', 'refuses (connection dropped)');
  await smokeRow('hang', `hangs (probe timeout ${PROBE_TIMEOUT_SECONDS} s)`);
  await smokeRow('error', 'answers 500');
  await smokeRow('garbage', 'answers garbage (200, not JSON)');

  console.log('| fault | what the product did | caller knew after (ms) | lost or doubled |');
  console.log('| --- | --- | ---: | --- |');
  for (const row of rows) {
    console.log(`| ${row.fault} | ${row.did.replaceAll('|', '\\|')} | ${row.knewMs} | ${row.lost} |`);
  }
} finally {
  await stack.close();
}
