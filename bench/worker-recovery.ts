// `npm run bench:recovery`: how long a deployment stands still after its worker is SIGKILLed, at each place it can
// be waiting, with the options from before this change and with today's, in one run. Real processes throughout: the
// Temporal dev server, the sandbox GitHub and apps, and a worker process (bench/fixtures/recovery-worker.ts, the
// product's createWorker) that is killed and at once started again.
//
//   before   the activity options of bench/fixtures/pre-heartbeat-activity-options.ts bundled in place of today's
//            (only the record creation and the dispatch heartbeated), the SDK's 10 s sticky schedule-to-start timeout
//   after    today's workflow bundle and worker
//
// "Moving again" is the first step the deployment logs after the kill (its log lines carry workflow time), minus the
// kill's time: the worker's restart, the sticky queue's timeout and any activity lost with the worker, together.
import { copyFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { DeploymentRequest, DeploymentState } from '../domain/deployment.js';
import { startSandbox } from '../sandbox/start-sandbox.js';
import { PROJECT_ROOT } from '../scripts/temporal-binaries.js';
import { waitUntil } from '../scripts/wait-until.js';
import { finishedState } from '../test/helpers/crash-checks.js';
import { deploymentRequest } from '../test/helpers/deployments.js';
import { type ProductProcess, startProductProcess } from '../test/helpers/product-process.js';
import { githubRequests, steer } from '../test/helpers/sandbox-control.js';
import { sandboxEnv, TEST_ADMIN_TOKEN } from '../test/helpers/sandbox-worker.js';
import { startDevServerEnv } from '../test/helpers/temporal-env.js';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle-path.js';
import type { deployment } from '../workflows/deployment.js';
import { approveSignal, deploymentStateQuery } from '../workflows/deployment-messages.js';

const DIST = join(PROJECT_ROOT, 'dist');
// Ceilings: the "before" options lose an activity for up to two minutes, and each wait ends on an event anyway.
const DUE_WITHIN_MS = 120_000;
const FINISHED_WITHIN_MS = 600_000;

/** The "before" bundle: today's workflows with the old activity options module in place of today's. */
async function bundleWithOldOptions(folder: string): Promise<string> {
  await cp(join(DIST, 'workflows'), join(folder, 'workflows'), { recursive: true });
  await cp(join(DIST, 'domain'), join(folder, 'domain'), { recursive: true });
  await copyFile(
    join(DIST, 'bench', 'fixtures', 'pre-heartbeat-activity-options.js'),
    join(folder, 'workflows', 'activity-options.js'),
  );
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(folder, 'workflows', 'index.js'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const path = join(folder, 'workflow-bundle.js');
  await writeFile(path, code);
  return path;
}

interface Variant {
  name: 'before' | 'after';
  bundle: string;
  sticky: string;
}

const env = await startDevServerEnv();
const client: Client = env.client;
const sandbox = await startSandbox();
// Inside dist/, so the copied workflows resolve @temporalio/* from the project's node_modules.
const scratch = await mkdtemp(join(DIST, 'bench-recovery-'));

const inFlight = async (method: string, pathPart: string) =>
  (await githubRequests(sandbox)).some(
    (request) => request.method === method && request.path.includes(pathPart) && request.status === null,
  );

const stateOf = (id: string) =>
  client
    .withDeadline(Date.now() + 1000, () => client.workflow.getHandle<typeof deployment>(id).query(deploymentStateQuery))
    .catch(() => null);

interface WaitingPoint {
  name: string;
  request: Partial<DeploymentRequest>;
  /** Sandbox steering before the deployment starts. */
  prepare(): Promise<void>;
  /** Whether the deployment stands at this point now. */
  due(id: string): Promise<boolean>;
  /** What a person does meanwhile (sent right after the kill, while no worker runs). */
  afterKill?(id: string): Promise<void>;
  rollsBack?: boolean;
}

const deploy = { kind: 'deploy', environment: 'staging', version: 'v1.2.0' } as const;
const points: WaitingPoint[] = [
  {
    name: 'at the approval gate (an approval arrives while no worker runs)',
    request: { kind: 'promotion', environment: 'production', version: 'v1.2.0', skipSmokeTests: true },
    async prepare() {},
    due: async (id) => (await stateOf(id))?.status === 'awaiting_approval',
    afterKill: async (id) => {
      await client.workflow.getHandle(id).signal(approveSignal, { token: TEST_ADMIN_TOKEN, approver: 'bench' });
    },
  },
  {
    name: 'waiting for the cd.yml run (a poll of the run in flight)',
    request: deploy,
    prepare: async () => {
      await steer(sandbox, 'POST', '/faults', { match: '/actions/runs/', method: 'GET', delay_ms: 3000 });
    },
    due: () => inFlight('GET', '/actions/runs/'),
  },
  {
    name: 'creating the GitHub deployment record (POST in flight)',
    request: deploy,
    prepare: async () => {
      await steer(sandbox, 'POST', '/faults', { match: '/deployments', method: 'POST', delay_ms: 3000 });
    },
    due: async () =>
      (await githubRequests(sandbox)).some(
        (request) => request.method === 'POST' && request.path.endsWith('/deployments') && request.status === null,
      ),
  },
  {
    name: "setting the record's status (POST in flight)",
    request: deploy,
    prepare: async () => {
      await steer(sandbox, 'POST', '/faults', { match: '/statuses', method: 'POST', delay_ms: 3000 });
    },
    due: () => inFlight('POST', '/statuses'),
  },
  {
    name: 'during the automatic rollback (a poll of its run in flight)',
    request: deploy,
    rollsBack: true,
    prepare: async () => {
      await steer(sandbox, 'POST', '/actions/outcomes', { environment: 'staging', conclusion: 'failure' });
      await steer(sandbox, 'POST', '/faults', { match: '/actions/runs/', method: 'GET', delay_ms: 3000, count: 0 });
    },
    due: async (id) => {
      const rollbackId = (await stateOf(id))?.automatic_rollback?.rollback_id;
      const rollback = rollbackId ? await stateOf(rollbackId) : null;
      return !!rollback?.current_step.startsWith('waiting for Actions run') && inFlight('GET', '/actions/runs/');
    },
  },
];

function firstStepAfter(state: DeploymentState, at: number): number | null {
  const times = state.logs.map((line) => Date.parse(line.slice(0, line.indexOf(' ')))).filter((time) => time >= at);
  return times.length > 0 ? Math.min(...times) : null;
}

async function measure(variant: Variant, point: WaitingPoint, index: number): Promise<{ ms: number; ok: string }> {
  await steer(sandbox, 'POST', '/reset');
  await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 200, run_ms: 1000 });
  const workerEnv = sandboxEnv(sandbox, {
    TEMPORAL_TASK_QUEUE: `recovery-${variant.name}-${index}`,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
    BENCH_WORKFLOW_BUNDLE: variant.bundle,
    BENCH_STICKY_TIMEOUT: variant.sticky,
  });
  const startWorker = () =>
    startProductProcess('bench/fixtures/recovery-worker.js', workerEnv, /^worker: task queue /m);
  let worker: ProductProcess = await startWorker();
  try {
    await point.prepare();
    const id = `recovery-${variant.name}-${index}`;
    const handle = await client.workflow.start<typeof deployment>('deployment', {
      taskQueue: workerEnv.TEMPORAL_TASK_QUEUE as string,
      workflowId: id,
      args: [deploymentRequest(point.request)],
    });
    await waitUntil(() => point.due(id), { what: point.name, timeoutMs: DUE_WITHIN_MS, intervalMs: 50 });
    const killedAt = Date.now();
    await worker.kill();
    await point.afterKill?.(id);
    worker = await startWorker();
    const state = await finishedState(client, handle.workflowId, FINISHED_WITHIN_MS);
    // In the rollback case the step after the kill is the rollback's own.
    const logged = point.rollsBack
      ? await finishedState(client, state.automatic_rollback?.rollback_id ?? '', FINISHED_WITHIN_MS)
      : state;
    const movedAt = firstStepAfter(logged, killedAt);
    const expected = point.rollsBack
      ? state.status === 'failure' && logged.status === 'success'
      : state.status === 'success';
    return {
      ms: movedAt === null ? Number.NaN : movedAt - killedAt,
      ok: expected ? logged.status : `UNEXPECTED ${state.status}: ${state.failure_reason}`,
    };
  } finally {
    await worker.kill();
  }
}

try {
  const variants: Variant[] = [
    { name: 'before', bundle: await bundleWithOldOptions(scratch), sticky: '10 seconds' },
    { name: 'after', bundle: WORKFLOW_BUNDLE_PATH, sticky: '2 seconds' },
  ];
  const rows: string[] = [];
  for (const [index, point] of points.entries()) {
    const [before, after] = [
      await measure(variants[0] as Variant, point, index),
      await measure(variants[1] as Variant, point, index),
    ];
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    rows.push(
      `| ${point.name} | ${seconds(before.ms)} | ${seconds(after.ms)} | ${(before.ms / after.ms).toFixed(1)}x | ${before.ok} / ${after.ok} |`,
    );
    console.error(rows.at(-1));
  }
  console.log('| worker SIGKILLed while the deployment is ... | before | after | faster | ended (before / after) |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const row of rows) console.log(row);
} finally {
  await sandbox.close();
  await env.teardown();
  await rm(scratch, { recursive: true, force: true });
}
