// `npm run bench:metrics`: get_deployment_metrics and list_deployments over 10,000 recorded production deployments
// (BENCH_DEPLOYMENTS), through a real MCP client over Streamable HTTP → gateway → Temporal dev server, beside a
// baseline in the same process: the same metrics call on an environment with no history (its fixed cost).
//
// The history: a year of deployments, one every ~53 minutes, each promotion shipping one new commit of the sandbox
// repository (backdated to hours before it); per 20 deployments, one promotion fails after dispatch and is rolled back
// automatically, and one good promotion is rolled back by a person. The deployments are recorded through Temporal's
// own APIs: each is a workflow execution of type `deployment` with the memo and search attributes the product's
// deployment workflow keeps, completed or failed as that deployment ended, run by a stand-in workflow
// (bench/fixtures/recorded-deployment-workflow.ts) on its own task queue, since 10,000 real cd.yml runs would take
// days. Each promotion's memo carries the commit times it would have recorded going live. The product's reader is
// untouched. The stand-in does not tell the delivery ledger how it ended, so the first metrics reading starts the
// ledger and gives it all 10,000 from visibility (its one-time cost); every later reading asks the ledger. Visibility's
// CloseTime is the moment of recording (it cannot be backdated), so the first reading's visibility read takes all
// 10,000 whatever the window: the worst case. Then the same readings through a gateway started afresh.
import { fileURLToPath } from 'node:url';
import { Client, WorkflowFailedError } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { DeploymentInfo } from '../domain/deployment.js';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';
import { errorText, startMcpGateway, startMcpStack } from '../test/helpers/mcp-stack.js';
import { githubRequests, steer } from '../test/helpers/sandbox-control.js';
import { TEST_DATA_CONVERTER } from '../test/helpers/temporal-env.js';

const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 10_000);
const REPEATS = 5;
const TASK_QUEUE = 'bench-recorded-deployments';
const MINUTE = 60_000;
const YEAR_MS = 365 * 24 * 60 * MINUTE;

// The stand-in's failed executions would each log a warning.
Runtime.install({ logger: new DefaultLogger('ERROR') });
const stack = await startMcpStack();
const { sandbox } = stack.harness;
const client = stack.harness.env.client;

type Json = Record<string, unknown>;

async function call(name: string, args: Json): Promise<Json> {
  // Progress resets the client's 60 s request timeout while a first read fills the caches.
  const result = await stack.call(name, args, () => {});
  if (result.isError) throw new Error(`${name}: ${errorText(result)}`);
  return result.structuredContent as Json;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const startedAt = performance.now();
  const result = await run();
  return { ms: Math.round(performance.now() - startedAt), result };
}

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) times.push((await timed(run)).ms);
  return times.sort((a, b) => a - b)[Math.floor(REPEATS / 2)] as number;
}

interface Recorded {
  info: DeploymentInfo;
}

/** The year of production history described above, committing each promotion's commit to the sandbox on the way. */
async function buildHistory(): Promise<Recorded[]> {
  const start = Date.now() - YEAR_MS;
  const step = YEAR_MS / DEPLOYMENTS;
  const recorded: Recorded[] = [];
  const liveShas: string[] = [];
  // What each live promotion brought, and the commits not live yet: the next promotion ships them with its own.
  const liveCommits: string[][] = [];
  let unshipped: string[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  const record = (
    id: string,
    kind: DeploymentInfo['kind'],
    status: 'success' | 'failure',
    sha: string,
    at: number,
    ms: number,
    commitTimes?: string[],
  ) =>
    recorded.push({
      info: {
        deployment_id: id,
        kind,
        environment: 'production',
        status,
        version: sha.slice(0, 7),
        git_ref: sha,
        initiated_by: 'system',
        initiated_at: iso(at),
        completed_at: iso(at + ms),
        duration_ms: ms,
        health_status: status === 'success' ? 'healthy' : 'unhealthy',
        logs_url: `${sandbox.githubApiUrl}/actions/runs/${id}`,
        ...(commitTimes ? { commit_times: commitTimes } : {}),
      },
    });
  for (let index = 0; index < DEPLOYMENTS; index++) {
    const at = start + index * step;
    const id = `bench-${index}`;
    const place = index % 20;
    if (place === 6 || place === 13) {
      // 6: the automatic rollback of 5's failure; 13: a person rolls back 12. Both restore the commit live before.
      const restored = liveShas.at(place === 6 ? -1 : -2) ?? liveShas[0];
      if (!restored) continue;
      record(`rollback-${id}`, 'rollback', 'success', restored, place === 6 ? at - step + 8 * MINUTE : at, 4 * MINUTE);
      if (place === 13) {
        liveShas.pop();
        unshipped = [...(liveCommits.pop() ?? []), ...unshipped];
      }
      continue;
    }
    const committed = at - ((index % 7) + 1) * 60 * MINUTE;
    const { sha } = (await steer(sandbox, 'POST', '/commits', {
      branch: 'main',
      message: `change ${index}`,
      files: { [`backend/app/change_${index % 50}.py`]: `# change ${index}\n` },
      date: iso(committed),
    })) as { sha: string };
    unshipped.push(iso(committed));
    if (place === 5) {
      record(`promotion-${id}`, 'promotion', 'failure', sha, at, 14 * MINUTE);
      continue;
    }
    record(`promotion-${id}`, 'promotion', 'success', sha, at, 10 * MINUTE, unshipped);
    liveShas.push(sha);
    liveCommits.push(unshipped);
    unshipped = [];
  }
  return recorded;
}

async function recordInTemporal(history: Recorded[]): Promise<number> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./fixtures/recorded-deployment-workflow.js', import.meta.url)),
    logger: new DefaultLogger('WARN'),
  });
  const worker = await Worker.create({
    connection: stack.harness.env.nativeConnection,
    namespace: stack.harness.env.namespace ?? 'default',
    taskQueue: TASK_QUEUE,
    workflowBundle: { code },
    dataConverter: TEST_DATA_CONVERTER,
  });
  const { ms } = await timed(() =>
    worker.runUntil(async () => {
      // One environment's deployments never overlap (its lock serialises them), so they are recorded one after
      // another, each closed before the next starts, as visibility holds a real history.
      for (const { info } of history) {
        await client.workflow
          .execute('deployment', {
            taskQueue: TASK_QUEUE,
            workflowId: info.deployment_id,
            args: [info.status],
            memo: { deployment: info },
            typedSearchAttributes: [
              { key: SEARCH_ATTRIBUTES.kind, value: info.kind },
              { key: SEARCH_ATTRIBUTES.environment, value: info.environment },
              { key: SEARCH_ATTRIBUTES.version, value: info.version },
              { key: SEARCH_ATTRIBUTES.status, value: info.status },
            ] as SearchAttributePair[],
          })
          // A recorded failure ends its execution as failed, which is all it has to do.
          .catch((error: unknown) => {
            if (!(error instanceof WorkflowFailedError)) throw error;
          });
      }
      const closed = `WorkflowType = 'deployment' AND ExecutionStatus != 'Running'`;
      while ((await client.workflow.count(closed)).count < history.length)
        await new Promise((resolve) => setTimeout(resolve, 500));
    }),
  );
  return ms;
}

const seeding = await timed(buildHistory);
const history = seeding.result;
console.log(`history: ${history.length} deployments, commits made in ${seeding.ms} ms`);
const recordingMs = await recordInTemporal(history);
console.log(`recorded in Temporal in ${recordingMs} ms`);
// A reading looks back over visibility's lag (a minute) for closes it may not have seen: a real environment closes a
// deployment or none in a minute, the recording closed hundreds. Measuring once that minute has passed times what a
// real environment's readings do.
await new Promise((resolve) => setTimeout(resolve, 65_000));

const baseline = await medianMs(() => call('get_deployment_metrics', { environment: 'staging', window_days: 30 }));
console.log(
  `baseline (metrics of an environment with no history, same process): ${baseline} ms (median of ${REPEATS})`,
);
const ratio = (ms: number) => `${(ms / baseline).toFixed(1)}x baseline`;
for (const limit of [10, 100]) {
  const ms = await medianMs(() => call('list_deployments', { environment: 'production', limit }));
  console.log(`list_deployments limit=${limit}: ${ms} ms (median of ${REPEATS}), ${ratio(ms)}`);
}
// The first reading ever: no ledger yet, so it reads every deployment within its horizon from visibility, once.
await steer(sandbox, 'DELETE', '/requests');
const firstEver = await timed(() => call('get_deployment_metrics', { environment: 'production', window_days: 30 }));
const current = firstEver.result.current as Json;
console.log(
  `get_deployment_metrics window_days=30, first reading ever (the ledger reads the history from visibility): ${firstEver.ms} ms, ${firstEver.result.deployments_read} deployments, ${(await githubRequests(sandbox)).length} GitHub requests; ${JSON.stringify(current.deployment_frequency)}; change failure rate ${JSON.stringify((current.change_failure_rate as Json).rate)}; lead time ${JSON.stringify(current.lead_time_for_changes)}`,
);
for (const window of [30, 365]) {
  const warm = await medianMs(() => call('get_deployment_metrics', { environment: 'production', window_days: window }));
  console.log(`get_deployment_metrics window_days=${window}: ${warm} ms (median of ${REPEATS}), ${ratio(warm)}`);
}
// A restarted gateway keeps nothing of the last one: a new process is a new Temporal client, so is a new gateway here.
const restarted = await startMcpGateway(
  stack.harness,
  {},
  new Client({ connection: client.connection, dataConverter: TEST_DATA_CONVERTER }),
);
for (const window of [30, 365]) {
  const first = await timed(() =>
    restarted.call('get_deployment_metrics', { environment: 'production', window_days: window }),
  );
  if (first.result.isError) throw new Error(errorText(first.result));
  const figures = first.result.structuredContent as Json;
  console.log(
    `after a gateway restart, get_deployment_metrics window_days=${window}: first call ${first.ms} ms (${figures.deployments_read} deployments, ${figures.github_requests} GitHub requests), ${ratio(first.ms)}`,
  );
}
await restarted.close();
// A restarted worker has no ledger in its cache: the first query replays the ledger's current run (packed entries).
await stack.harness.reconfigure({});
for (const window of [30, 365]) {
  const first = await timed(() => call('get_deployment_metrics', { environment: 'production', window_days: window }));
  console.log(
    `after a worker restart, get_deployment_metrics window_days=${window}: first call ${first.ms} ms, ${ratio(first.ms)}`,
  );
}
await stack.close();
