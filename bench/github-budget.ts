// `npm run bench:budget`: GitHub API requests per tool call, on the sandbox's seed repository (8 files) and on a
// branch of 2,000 more, and what that allows per hour under a 5,000 and a 1,000 requests/hour token. Then the cost
// of polling: twenty get_deployment_status calls on a finished deployment (latency, workflows started, audit lines),
// beside a run_smoke_tests call, which is what every status call ran before status reads stopped starting workflows.
//
// Requests are counted by the sandbox GitHub's request log (the REST API only: archive downloads from the codeload
// host are not API requests, on GitHub as here). Everything runs in one process on the real stack: dev server,
// worker, gateway over Streamable HTTP, a real MCP client.

import { DefaultLogger, Runtime } from '@temporalio/worker';
import { auditLines } from '../test/helpers/deployments.js';
import { errorText, type McpGateway, startMcpGateway, startMcpStack } from '../test/helpers/mcp-stack.js';
import { githubRequests, steer } from '../test/helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../test/helpers/sandbox-worker.js';

const LARGE_FILES = Number(process.env.BENCH_LARGE_FILES ?? 2000);
const STATUS_CALLS = 20;
const TOKEN_BUDGETS = [5000, 1000];

// The workflows' own log lines would bury the tables.
Runtime.install({ logger: new DefaultLogger('WARN') });
const stack = await startMcpStack();
const { sandbox } = stack.harness;
const client = stack.harness.env.client;

type Json = Record<string, unknown>;

async function call(name: string, args: Json, on: McpGateway = stack): Promise<Json> {
  const result = await on.call(name, args);
  if (result.isError) throw new Error(`${name}: ${errorText(result)}`);
  return result.structuredContent as Json;
}

/** Waits for the deployment workflow a tool started, so every request it causes is counted. */
async function finished(result: Json): Promise<Json> {
  const id = (result.deployment_id ?? result.rollback_id) as string | undefined;
  if (id) await client.workflow.getHandle(id).result();
  return result;
}

interface Measured {
  tool: string;
  requests: number;
}

async function requestsOf(tool: string, run: () => Promise<unknown>): Promise<Measured> {
  await steer(sandbox, 'DELETE', '/requests');
  await run();
  return { tool, requests: (await githubRequests(sandbox)).length };
}

async function toolCosts(ref: string): Promise<Measured[]> {
  await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
  return [
    await requestsOf('validate_deployment', () =>
      call('validate_deployment', { environment: 'staging', git_ref: ref }),
    ),
    await requestsOf('run_security_scan', () => call('run_security_scan', { git_ref: ref })),
    await requestsOf('run_smoke_tests', () => call('run_smoke_tests', { environment: 'staging', test_suite: 'full' })),
    await requestsOf('deploy_to_staging', async () => finished(await call('deploy_to_staging', { git_ref: ref }))),
    await requestsOf('promote_to_production', async () =>
      finished(await call('promote_to_production', { staging_version: ref, approval_token: TEST_ADMIN_TOKEN })),
    ),
    await requestsOf('rollback_deployment', async () =>
      finished(await call('rollback_deployment', { environment: 'production', reason: 'budget benchmark' })),
    ),
    await requestsOf('get_deployment_status', async () => {
      const [latest] = (await call('list_deployments', { limit: 1 })).deployments as Json[];
      await steer(sandbox, 'DELETE', '/requests');
      await call('get_deployment_status', { deployment_id: latest?.deployment_id });
    }),
    await requestsOf('list_deployments', () => call('list_deployments', {})),
  ];
}

function perHour(requests: number, budget: number): string {
  return requests === 0 ? 'unlimited' : String(Math.floor(budget / requests));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function workflowsOfType(type: string): Promise<number> {
  return (await client.workflow.count(`WorkflowType = '${type}'`)).count;
}

try {
  await steer(sandbox, 'POST', '/reset');
  const seed = await toolCosts('main');
  await steer(sandbox, 'POST', '/reset');
  const large = await steer(sandbox, 'POST', '/large-repository', { branch: 'big-repo', files: LARGE_FILES });
  const big = await toolCosts('big-repo');

  console.log(`GitHub API requests per tool call (seed repository: 8 files; big-repo: ${JSON.stringify(large)})`);
  console.log(
    `| tool | seed repo | ${LARGE_FILES + 8}-file repo | calls/hour at 5,000 req/h | calls/hour at 1,000 req/h |`,
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const [index, row] of seed.entries()) {
    const bigRow = big[index] as Measured;
    const budgets = TOKEN_BUDGETS.map((budget) => perHour(bigRow.requests, budget));
    console.log(`| \`${row.tool}\` | ${row.requests} | ${bigRow.requests} | ${budgets.join(' | ')} |`);
  }

  // Polling a finished deployment, as an assistant does.
  const deployment = await finished(await call('deploy_to_staging', { git_ref: 'main' }));
  const id = deployment.deployment_id as string;
  const auditBefore = (await auditLines(stack.harness.worker.config.auditLogPath)).length;
  const smokeWorkflowsBefore = await workflowsOfType('runSmokeTests');
  await steer(sandbox, 'DELETE', '/requests');
  const statusMs: number[] = [];
  for (let index = 0; index < STATUS_CALLS; index++) {
    const startedAt = performance.now();
    await call('get_deployment_status', { deployment_id: id });
    statusMs.push(performance.now() - startedAt);
  }
  const statusRequests = (await githubRequests(sandbox)).length;
  // The same on a gateway that reuses no probe (STATUS_HEALTH_MAX_AGE_SECONDS=0): five health GETs per call.
  const probingGateway = await startMcpGateway(stack.harness, { STATUS_HEALTH_MAX_AGE_SECONDS: '0' });
  const probingMs: number[] = [];
  for (let index = 0; index < STATUS_CALLS; index++) {
    const startedAt = performance.now();
    await call('get_deployment_status', { deployment_id: id }, probingGateway);
    probingMs.push(performance.now() - startedAt);
  }
  await probingGateway.close();
  const auditAdded = (await auditLines(stack.harness.worker.config.auditLogPath)).length - auditBefore;
  // Baseline in the same process: one run of the full smoke suite as a workflow, what each status call did before.
  const smokeMs: number[] = [];
  for (let index = 0; index < 5; index++) {
    const startedAt = performance.now();
    await call('run_smoke_tests', { environment: 'staging', test_suite: 'full' });
    smokeMs.push(performance.now() - startedAt);
  }
  // Visibility is eventually consistent: read the count after the smoke runs above are surely listed.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const smokeWorkflowsAdded = (await workflowsOfType('runSmokeTests')) - smokeWorkflowsBefore - smokeMs.length;

  console.log(`\n${STATUS_CALLS} get_deployment_status calls on a finished deployment:`);
  console.log(`  p50 latency:              ${median(statusMs).toFixed(1)} ms (health probes reused up to 10 s)`);
  console.log(`  p50, probing every call:  ${median(probingMs).toFixed(1)} ms (STATUS_HEALTH_MAX_AGE_SECONDS=0)`);
  console.log(`  GitHub requests:          ${statusRequests}`);
  console.log(`  workflows started:        ${smokeWorkflowsAdded}`);
  console.log(`  audit lines added:        ${auditAdded}`);
  console.log(`  baseline, run_smoke_tests(full) as a workflow, p50 of 5: ${median(smokeMs).toFixed(1)} ms`);
  console.log(`  ratio status / baseline:  ${(median(statusMs) / median(smokeMs)).toFixed(2)}`);
} finally {
  await stack.close();
}
