// Crash recovery end to end: the real worker process (node dist/worker/main.js) is SIGKILLed while deployments wait
// for their cd.yml run, for approval and during the automatic rollback; a new worker finishes every deployment, and
// the sandbox GitHub counts one dispatch and one deployment record per deployment, also when a write was in flight.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Env } from '../../domain/config.js';
import {
  type ApproveSignal,
  type DeploymentRequest,
  type DeploymentState,
  environmentLockId,
} from '../../domain/deployment.js';
import type { Environment } from '../../domain/environment.js';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { waitUntil } from '../../scripts/wait-until.js';
import type { deployment } from '../../workflows/deployment.js';
import { approveSignal, deploymentStateQuery } from '../../workflows/deployment-messages.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import {
  actionsRuns,
  deploymentRecordsOf,
  finishedState,
  runningVersion,
  waitsForRunningRun,
} from '../helpers/crash-checks.js';
import { deploymentRequest } from '../helpers/deployments.js';
import { type ProductProcess, startWorkerProcess } from '../helpers/product-process.js';
import { githubRequests, steer } from '../helpers/sandbox-control.js';
import { sandboxEnv, TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { startDevServerEnv } from '../helpers/temporal-env.js';

/** Where a worker is killed: the three places a deployment waits. */
type WaitingPoint = 'actions_run' | 'approval' | 'automatic_rollback';

interface Scenario {
  name: string;
  environment: Environment;
  /** A tag made for this deployment alone, so its dispatch and its app version are its own. */
  version: string;
  /** The cd.yml run fails: the deployment rolls back automatically. */
  runFails: boolean;
  /** Promotions: approved with the start (token), or by a signal while no worker runs, or after the new one starts. */
  approval?: 'with_start' | 'while_down' | 'after_restart';
  /** Where this deployment sees the worker killed, in order. */
  kills: WaitingPoint[];
}

interface Live {
  scenario: Scenario;
  handle: WorkflowHandle<typeof deployment>;
  kills: WaitingPoint[];
}

const COMMITS = ['v1.1.0', 'v1.2.0', 'main'];
const RUN_MS = 5000;
// The automatic rollback's run starts after a failed run and a new plan, record and dispatch: a longer run there
// keeps its kill point from slipping by while the other lane is busy.
const ROLLBACK_RUN_MS = 12_000;

function scenarios(): Scenario[] {
  const staging = (n: number, kills: WaitingPoint[], runFails = false): Scenario => ({
    name: `staging deploy ${n}`,
    environment: 'staging',
    version: `crash-staging-${n}`,
    runFails,
    kills,
  });
  const production = (n: number, approval: Scenario['approval'], kills: WaitingPoint[], runFails = false) => ({
    name: `production promotion ${n}`,
    environment: 'production' as const,
    version: `crash-production-${n}`,
    runFails,
    approval,
    kills,
  });
  return [
    staging(1, ['actions_run']),
    staging(2, ['automatic_rollback'], true),
    staging(3, ['actions_run']),
    staging(4, []),
    staging(5, []),
    production(1, 'while_down', ['approval', 'actions_run']),
    production(2, 'with_start', ['automatic_rollback'], true),
    production(3, 'after_restart', ['approval']),
    production(4, 'with_start', []),
    production(5, 'with_start', []),
  ];
}

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let client: Client;
let workerEnv: Env;
let worker: ProductProcess | null = null;
const temporal = () => ({ address: env.address, namespace: env.namespace ?? 'default' });

before(async () => {
  env = await startDevServerEnv();
  sandbox = await startSandbox();
  client = env.client;
  workerEnv = sandboxEnv(sandbox);
});
after(async () => {
  await worker?.kill();
  await sandbox?.close();
  await env?.teardown();
});

async function start(scenario: Scenario): Promise<Live> {
  const commit = COMMITS[Number(scenario.version.at(-1)) % COMMITS.length] as string;
  await steer(sandbox, 'POST', '/tags', { tag: scenario.version, ref: commit });
  if (scenario.runFails) {
    await steer(sandbox, 'POST', '/actions/outcomes', { environment: scenario.environment, conclusion: 'failure' });
  }
  const request: DeploymentRequest = deploymentRequest({
    kind: scenario.environment === 'staging' ? 'deploy' : 'promotion',
    environment: scenario.environment,
    version: scenario.version,
  });
  const options = {
    taskQueue: workerEnv.TEMPORAL_TASK_QUEUE as string,
    workflowId: `${request.kind}-${scenario.version}`,
    args: [request] as [DeploymentRequest],
  };
  const handle =
    scenario.approval === 'with_start'
      ? await client.workflow.signalWithStart<typeof deployment, [ApproveSignal]>('deployment', {
          ...options,
          signal: approveSignal,
          signalArgs: [{ token: TEST_ADMIN_TOKEN, approver: 'crash-test' }],
        })
      : await client.workflow.start<typeof deployment>('deployment', options);
  return { scenario, handle, kills: [...scenario.kills] };
}

/** One environment's deployments, run one at a time (the environment lock). */
interface Lane {
  queue: Scenario[];
  live: Live | null;
}

/** What a lane does right now: a waiting point, idle, ended, or null while busy. */
type Standing = WaitingPoint | 'idle' | 'ended' | null;

/**
 * Where the lane's deployment waits right now: at a waiting point, or null while it is busy (planning, recording,
 * checking, auditing, releasing its lock), when a kill would strand an activity until its timeout.
 */
async function standing(lane: Lane): Promise<Standing> {
  if (!lane.live) return 'idle';
  const { handle } = lane.live;
  if ((await handle.describe()).status.name !== 'RUNNING') return 'ended';
  // Right after a kill a query waits for the dead worker's sticky queue to time out: meanwhile it counts as busy.
  const state = await client
    .withDeadline(Date.now() + 1000, () => handle.query(deploymentStateQuery))
    .catch(() => null);
  if (!state) return null;
  if (state.status === 'awaiting_approval') return 'approval';
  const rollbackId = state.automatic_rollback?.rollback_id;
  if (rollbackId && (await waitsForRunningRun(sandbox, client.workflow.getHandle(rollbackId)))) {
    return 'automatic_rollback';
  }
  return (await waitsForRunningRun(sandbox, handle)) ? 'actions_run' : null;
}

const approve = (live: Live) => live.handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN, approver: 'crash-test' });

describe('worker crashes (SIGKILL of node dist/worker/main.js)', () => {
  it('at each waiting point: every deployment finishes once, with one cd.yml dispatch and one GitHub record', async (t) => {
    const startedAt = Date.now();
    await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 200, run_ms: RUN_MS });
    const all = scenarios();
    const lanes: Lane[] = (['staging', 'production'] as const).map((environment) => ({
      queue: all.filter((each) => each.environment === environment),
      live: null,
    }));
    const finished: Live[] = [];
    const killsAt: Record<WaitingPoint, number> = { actions_run: 0, approval: 0, automatic_rollback: 0 };
    let workerKills = 0;
    worker = await startWorkerProcess(workerEnv, temporal());

    let timing = RUN_MS;
    // The whole run's ceiling: a few kills, each ending on events, however slow the machine.
    const deadline = Date.now() + 3 * EVENT_CEILING_MS;
    for (;;) {
      assert.ok(Date.now() < deadline, 'the crash run did not end in time');
      const where = await Promise.all(lanes.map(standing));
      for (const [index, lane] of lanes.entries()) {
        if (where[index] !== 'ended' || !lane.live) continue;
        // A kill point it went past while the other lane was busy is dropped, not counted.
        finished.push(lane.live);
        lane.live = null;
        where[index] = 'idle';
      }
      // A lane starts its next deployment only while the other waits: its busy start then cannot hide the other's
      // kill point for long.
      for (const [index, lane] of lanes.entries()) {
        const othersWait = where.every((other, at) => at === index || other !== null);
        const next = where[index] === 'idle' && othersWait ? lane.queue.shift() : undefined;
        if (!next) continue;
        lane.live = await start(next);
        where[index] = null;
      }
      if (lanes.every((lane) => !lane.live && lane.queue.length === 0)) break;
      const rollbackAhead = lanes.some((lane, index) => lane.live?.kills[0] === 'automatic_rollback' && where[index]);
      const runMs = rollbackAhead ? ROLLBACK_RUN_MS : RUN_MS;
      if (runMs !== timing) {
        await steer(sandbox, 'PUT', '/actions/timing', { run_ms: runMs });
        timing = runMs;
      }
      const due = lanes.filter((lane, index) => lane.live && lane.live.kills[0] === where[index]);
      const pending = lanes.filter((lane) => lane.live && lane.live.kills.length > 0);
      // Killed only while every deployment waits: a kill mid-activity would wait out that activity's timeout.
      const quiet = where.every((each) => each !== null);
      // An approval waits for ever, so it waits for the other lane's point; a running Actions run does not.
      const timedDue = due.some((lane) => lane.live?.kills[0] !== 'approval');
      if (due.length === 0 || !quiet || (due.length < pending.length && !timedDue)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      await worker.kill();
      workerKills += 1;
      const approveAfterRestart: Live[] = [];
      for (const [index, lane] of lanes.entries()) {
        const point = where[index];
        if (point && point !== 'ended' && point !== 'idle') killsAt[point] += 1;
        const live = lane.live;
        if (!live || !due.includes(lane)) continue;
        live.kills.shift();
        if (point !== 'approval') continue;
        if (live.scenario.approval === 'while_down') await approve(live);
        else approveAfterRestart.push(live);
      }
      worker = await startWorkerProcess(workerEnv, temporal());
      for (const live of approveAfterRestart) await approve(live);
    }

    // Every deployment and every automatic rollback: its end, its one dispatch, its one record.
    const runs = await actionsRuns(sandbox);
    const ended: DeploymentState[] = [];
    for (const live of finished) {
      const state = await finishedState(client, live.handle.workflowId);
      ended.push(state);
      if (live.scenario.runFails) {
        assert.equal(state.status, 'failure', `${live.scenario.name}: ${state.failure_reason}`);
        assert.equal(state.automatic_rollback?.status, 'success', `${live.scenario.name} rolled back`);
        ended.push(await finishedState(client, state.automatic_rollback.rollback_id));
      } else {
        assert.equal(state.status, 'success', `${live.scenario.name}: ${state.failure_reason}`);
      }
    }
    for (const state of ended) {
      const dispatches = runs.filter(
        (run) => run.inputs.environment === state.environment && run.id === state.workflow_run_id,
      );
      assert.equal(dispatches.length, 1, `${state.deployment_id}: its cd.yml run`);
      assert.equal(dispatches[0]?.ref, state.version, `${state.deployment_id} dispatched its own version`);
      assert.deepEqual(
        await deploymentRecordsOf(sandbox, state.deployment_id),
        [state.github_deployment_id],
        `${state.deployment_id}: one GitHub deployment record`,
      );
    }
    // Each run belongs to one deployment and each deployment has one: none lost, none dispatched twice.
    assert.equal(new Set(ended.map((state) => state.workflow_run_id)).size, ended.length, 'runs of their own');
    assert.equal(runs.length, ended.length, 'one cd.yml dispatch per deployment, none twice');
    for (const environment of ['staging', 'production'] as const) {
      const lock = await client.workflow.getHandle(environmentLockId(environment)).describe();
      assert.notEqual(lock.status.name, 'RUNNING', `the ${environment} lock was released`);
    }

    // What each environment runs: the last deployment that succeeded there.
    for (const environment of ['staging', 'production'] as const) {
      const last = ended.filter((state) => state.environment === environment && state.status === 'success').at(-1);
      assert.equal(await runningVersion(sandbox, environment), last?.version, `${environment} runs the last success`);
    }
    assert.ok(ended.length >= 10, `${ended.length} deployments`);
    for (const [point, kills] of Object.entries(killsAt)) assert.ok(kills > 0, `a kill while waiting at ${point}`);

    t.diagnostic(
      `crash run: ${ended.length} deployments (${finished.length} started, ${ended.length - finished.length} automatic rollbacks), ` +
        `${workerKills} worker kills; waits killed: actions_run ${killsAt.actions_run}, approval ${killsAt.approval}, ` +
        `automatic_rollback ${killsAt.automatic_rollback}; ${runs.length} cd.yml dispatches, ${ended.length} GitHub ` +
        `records; 0 lost, 0 duplicated; ${Math.round((Date.now() - startedAt) / 1000)} s`,
    );
  });
});

describe('worker crashes in the middle of a GitHub write (the write lands, its answer is lost)', () => {
  it('SIGKILL while POST /deployments and then the cd.yml dispatch are in flight: one record, one dispatch', async (t) => {
    const startedAt = Date.now();
    await steer(sandbox, 'POST', '/reset');
    await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 200, run_ms: 1000 });
    const ownEnv = sandboxEnv(sandbox);
    let ownWorker = await startWorkerProcess(ownEnv, temporal());
    try {
      const writes = [
        {
          what: 'the GitHub deployment record',
          method: 'POST',
          path: '/repos/sandbox-org/scheduler/deployments',
          landed: async () => (await deploymentRecordsOf(sandbox, 'deploy-killed-mid-write')).length > 0,
        },
        {
          what: 'the cd.yml dispatch',
          method: 'POST',
          path: '/actions/workflows/cd.yml/dispatches',
          landed: async () => (await actionsRuns(sandbox)).length > 0,
        },
      ];
      // Each write is held a while before the sandbox performs it: the worker dies while waiting for the answer.
      for (const write of writes) {
        await steer(sandbox, 'POST', '/faults', { match: write.path, method: write.method, delay_ms: 3000 });
      }
      const handle = await client.workflow.start<typeof deployment>('deployment', {
        taskQueue: ownEnv.TEMPORAL_TASK_QUEUE as string,
        workflowId: 'deploy-killed-mid-write',
        args: [deploymentRequest({ kind: 'deploy', environment: 'staging', version: 'v1.2.0' })],
      });
      for (const write of writes) {
        await waitUntil(
          async () =>
            (await githubRequests(sandbox)).some(
              (request) =>
                request.method === write.method && request.path.endsWith(write.path) && request.status === null,
            ),
          { what: `${write.what} in flight`, timeoutMs: EVENT_CEILING_MS, intervalMs: 50 },
        );
        await ownWorker.kill();
        // The sandbox performs the write after its delay, with no one left to read the answer.
        await waitUntil(write.landed, { what: `${write.what} done`, timeoutMs: EVENT_CEILING_MS, intervalMs: 50 });
        ownWorker = await startWorkerProcess(ownEnv, temporal());
      }
      const state = await finishedState(client, handle.workflowId);
      assert.equal(state.status, 'success', state.failure_reason ?? '');
      assert.deepEqual(
        (await actionsRuns(sandbox)).map((run) => run.id),
        [state.workflow_run_id],
        'one cd.yml dispatch',
      );
      assert.deepEqual(await deploymentRecordsOf(sandbox, handle.workflowId), [state.github_deployment_id]);
      t.diagnostic(`killed mid-write twice: 1 record, 1 dispatch, ${Math.round((Date.now() - startedAt) / 1000)} s`);
    } finally {
      await ownWorker.kill();
    }
  });
});
