// The team stack of docker-compose.yml, run for real without Docker: PostgreSQL (Debian's), the Temporal server and
// temporal-sql-tool at the pinned release (built from the Go module proxy), the schema and namespace jobs' own
// scripts, three workers and the gateway from dist/, each with the environment compose gives it; then a real MCP
// client over Streamable HTTP drives the contract's flows, a worker SIGKILL, a refused concurrent deployment, SQL
// visibility and a server restart. On a machine that cannot get Go or PostgreSQL, every test skips and says why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Client, Connection } from '@temporalio/client';
import { DEPLOYMENT_INITIATOR } from '../../domain/initiator-search-attribute.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { PROJECT_ROOT } from '../../scripts/temporal-binaries.js';
import { waitUntil } from '../../scripts/wait-until.js';
import type { deployment } from '../../workflows/deployment.js';
import { type ComposeFile, filledExample, loadCompose } from '../helpers/compose-file.js';
import { actionsRuns, deploymentRecordsOf, runningVersion, waitsForRunningRun } from '../helpers/crash-checks.js';
import { auditLines } from '../helpers/deployments.js';
import { connectMcpClient, errorText, type McpConnection } from '../helpers/mcp-stack.js';
import { type PostgresCluster, startPostgresCluster } from '../helpers/postgres-cluster.js';
import { freePort, type ProductProcess, startGatewayProcess, startWorkerProcess } from '../helpers/product-process.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import {
  composeService,
  hostPath,
  runComposeJob,
  serviceEnvironment,
  startTemporalServer,
  type TeamStackTools,
  type TemporalServerProcess,
  teamStackTools,
  temporalServerPorts,
} from '../helpers/team-stack.js';
import { TEST_DATA_CONVERTER, TEST_PAYLOAD_CODEC_KEYS } from '../helpers/temporal-env.js';

// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field in assertions
type Result = any;

const tools = await teamStackTools();
const skip = 'missing' in tools ? `this machine lacks ${tools.missing.join('; and ')}` : false;
if (skip) console.error(`team-stack tier skipped: ${skip}`);

/** Seconds per step, for the tier's closing diagnostic and the README's figures. */
const timings: Record<string, number> = {};
const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
  const startedAt = Date.now();
  try {
    return await work();
  } finally {
    timings[step] = (Date.now() - startedAt) / 1000;
  }
};

const WORKERS = 3;
let built: TeamStackTools;
let sandbox: Sandbox;
let compose: ComposeFile;
let deployEnv: Record<string, string>;
let folder: string;
let postgres: PostgresCluster;
let serverEnv: Record<string, string>;
let server: TemporalServerProcess | null = null;
let healthUrl: string;
let temporalAddress: string;
let connection: Connection | null = null;
let client: Client;
let workerEnv: Record<string, string>;
const workers: ProductProcess[] = [];
let gateway: ProductProcess | null = null;
let mcp: McpConnection | null = null;
/** PATH for the jobs: the built temporal-sql-tool, the Temporal CLI, then the machine's own. */
let jobPath: string;

before(async () => {
  if ('missing' in tools) return;
  built = tools;
  timings.build = tools.seconds;
  sandbox = await startSandbox();
  folder = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-team-stack-'));
  // deploy.env as a team fills it in (secrets generated), with the sandbox standing in for GitHub and the apps.
  deployEnv = {
    ...filledExample(),
    POSTGRES_PASSWORD: randomBytes(16).toString('hex'),
    PAYLOAD_CODEC_KEYS: TEST_PAYLOAD_CODEC_KEYS,
    MCP_AUTH_TOKEN: randomBytes(32).toString('hex'),
    DEPLOYMENT_ADMIN_TOKENS: `other-admin-token,${TEST_ADMIN_TOKEN}`,
    GITHUB_TOKEN: sandbox.token,
    GITHUB_REPOSITORY: sandbox.repository,
    GITHUB_API_URL: sandbox.githubApiUrl,
    STAGING_URL: sandbox.stagingUrl,
    PRODUCTION_URL: sandbox.productionUrl,
  };
  compose = loadCompose(deployEnv);
  jobPath = [tools.temporal.folder, dirname(tools.cli), process.env.PATH].join(delimiter);
  const postgresEnv = serviceEnvironment(composeService(compose, 'postgres'));
  postgres = await startPostgresCluster(
    tools.postgresBin,
    { name: postgresEnv.POSTGRES_USER as string, password: postgresEnv.POSTGRES_PASSWORD as string },
    timings,
  );
});

after(async () => {
  if (Object.keys(timings).length > 0) {
    const steps = Object.entries(timings).map(([step, seconds]) => `${step} ${Number(seconds.toFixed(1))}`);
    console.error(`team stack timings (s): ${steps.join(', ')}`);
  }
  await mcp?.close().catch(() => undefined);
  await gateway?.kill();
  for (const worker of workers) await worker.kill();
  await connection?.close();
  await server?.stop();
  await postgres?.stop();
  await sandbox?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<Result> {
  const result = (await mcp?.call(name, args)) as CallToolResult;
  assert.equal(result.isError, undefined, `${name}: ${errorText(result)}`);
  return result.structuredContent;
}

/** Follows a deployment with get_deployment_status, as an assistant would; bounded generously for a busy machine. */
async function untilStatus(deploymentId: string, ...statuses: string[]): Promise<Result> {
  let last: Result = null;
  await waitUntil(
    async () => {
      last = await call('get_deployment_status', { deployment_id: deploymentId });
      return statuses.includes(last.deployment.status);
    },
    { what: `${deploymentId} reaching ${statuses.join(' or ')}`, timeoutMs: 180_000, intervalMs: 500 },
  );
  return last;
}

/** A later step fails at once, naming the cause, when the stack it needs did not come up. */
function stackIsUp(what: 'server' | 'client' | 'mcp'): void {
  const up = { server, client, mcp }[what];
  assert.ok(up, `the stack did not come up (no ${what}): see the first failing step`);
}

const untilFinished = (deploymentId: string) => untilStatus(deploymentId, 'success', 'failure');

function startServer(): Promise<TemporalServerProcess> {
  return startTemporalServer(built.temporal.server, serverEnv, folder, healthUrl);
}

/** The pid of the worker process that ran the deployment's last workflow task (identity `<pid>@<host>`). */
async function workerHolding(deploymentId: string): Promise<number> {
  const history = await client.workflow.getHandle(deploymentId).fetchHistory();
  const identities = (history.events ?? []).flatMap(
    (event) => event.workflowTaskCompletedEventAttributes?.identity ?? [],
  );
  const pid = Number(identities.at(-1)?.split('@')[0]);
  assert.ok(Number.isInteger(pid), `a worker identity in ${deploymentId}'s history: ${identities.join(', ')}`);
  return pid;
}

describe('the team stack (docker-compose.yml) on PostgreSQL, run without Docker', () => {
  it('temporal-schema: setup-schema.sh creates both databases and schemas, and a second run changes nothing', {
    skip,
  }, async (t) => {
    const job = composeService(compose, 'temporal-schema');
    const env = serviceEnvironment(job, { SQL_HOST: postgres.host, SQL_PORT: String(postgres.port) });
    const version = (database: string) => postgres.query(database, 'SELECT curr_version FROM schema_version');
    const tables = (database: string) =>
      postgres.query(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
    const first = await runComposeJob(job, env, jobPath);
    timings.schema_first = first.seconds;
    assert.equal(first.code, 0, first.output);
    const after = { versions: [] as string[], tables: [] as string[] };
    for (const database of ['temporal', 'temporal_visibility']) {
      const current = await version(database);
      assert.match(current, /^\d+\.\d+$/, `${database}'s schema version`);
      assert.notEqual(current, '0.0', `${database} was migrated past its initial version`);
      after.versions.push(current);
      after.tables.push(await tables(database));
    }
    const second = await runComposeJob(job, env, jobPath);
    timings.schema_second = second.seconds;
    assert.equal(second.code, 0, second.output);
    for (const [index, database] of ['temporal', 'temporal_visibility'].entries()) {
      assert.equal(await version(database), after.versions[index], `${database}: same version after a rerun`);
      assert.equal(await tables(database), after.tables[index], `${database}: same tables after a rerun`);
    }
    t.diagnostic(`schema versions ${after.versions.join(' / ')}; runs ${first.seconds} s, ${second.seconds} s`);
  });

  it('temporal: the server starts on PostgreSQL from the environment compose gives the image', { skip }, async (t) => {
    const service = composeService(compose, 'temporal');
    const ports = await temporalServerPorts();
    serverEnv = serviceEnvironment(
      service,
      // Loopback instead of the container network (and instead of 0.0.0.0: tests listen on loopback only).
      { POSTGRES_SEEDS: postgres.host, DB_PORT: String(postgres.port), BIND_ON_IP: '127.0.0.1' },
      // The image's default path of the dynamic config, which compose bind-mounts from deploy/temporal.
      { ...ports, DYNAMIC_CONFIG_FILE_PATH: hostPath(service, '/etc/temporal/config/dynamicconfig/docker.yaml') },
    );
    // The compose health check's URL, on this server's HTTP port.
    const check = [service.healthcheck?.test ?? []].flat().find((part) => part.startsWith('http://'));
    assert.ok(check, 'the temporal service has an HTTP health check');
    const url = new URL(check);
    url.port = ports.FRONTEND_HTTP_PORT as string;
    healthUrl = url.toString();
    temporalAddress = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
    server = await timed('server_start', startServer);
    const info = (await (await fetch(healthUrl)).json()) as Record<string, string>;
    assert.equal(info.serverVersion, built.temporal.release, 'the pinned release answers');
    assert.equal(info.persistenceStore, 'postgres12');
    assert.equal(info.visibilityStore, 'postgres12', 'SQL visibility on PostgreSQL');
    connection = await Connection.connect({ address: temporalAddress });
    t.diagnostic(`temporal-server ${info.serverVersion} ready in ${timings.server_start} s`);
  });

  it('temporal-setup: setup-namespace.sh registers the namespace and search attributes, and a second run changes nothing', {
    skip,
  }, async (t) => {
    stackIsUp('server');
    const job = composeService(compose, 'temporal-setup');
    const env = serviceEnvironment(job, { TEMPORAL_ADDRESS: temporalAddress });
    const namespace = env.TEMPORAL_NAMESPACE as string;
    for (const run of ['namespace_first', 'namespace_second']) {
      const result = await runComposeJob(job, env, jobPath);
      timings[run] = result.seconds;
      assert.equal(result.code, 0, result.output);
      const { customAttributes } = await (connection as Connection).operatorService.listSearchAttributes({ namespace });
      for (const key of [...Object.values(SEARCH_ATTRIBUTES), DEPLOYMENT_INITIATOR]) {
        assert.equal(customAttributes?.[key.name], 2, `${key.name} is a Keyword (INDEXED_VALUE_TYPE_KEYWORD = 2)`);
      }
    }
    const described = await (connection as Connection).workflowService.describeNamespace({ namespace });
    assert.equal(Number(described.config?.workflowExecutionRetentionTtl?.seconds), 30 * 24 * 3600, 'retention 30d');
    client = new Client({ connection: connection as Connection, namespace, dataConverter: TEST_DATA_CONVERTER });
    t.diagnostic(`namespace '${namespace}': runs ${timings.namespace_first} s, ${timings.namespace_second} s`);
  });

  it('three workers and the gateway start from dist/ with the compose environment; their health checks pass', {
    skip,
  }, async () => {
    stackIsUp('client');
    const temporal = { address: temporalAddress, namespace: deployEnv.TEMPORAL_NAMESPACE as string };
    // The shared audit-log volume, as a folder of this run.
    const auditLog = join(folder, 'deployments.log');
    workerEnv = serviceEnvironment(
      composeService(compose, 'worker'),
      { TEMPORAL_ADDRESS: temporalAddress, DEPLOYMENT_AUDIT_LOG: auditLog },
      // Test pacing only: the sandbox's runs last seconds, not minutes.
      { DEPLOYMENT_RUN_POLL_SECONDS: '1', SMOKE_PROBE_TIMEOUT_SECONDS: '2', GITHUB_REQUEST_TIMEOUT_SECONDS: '5' },
    );
    const gatewayPort = await freePort();
    const gatewayEnv = serviceEnvironment(
      composeService(compose, 'gateway'),
      {
        TEMPORAL_ADDRESS: temporalAddress,
        DEPLOYMENT_AUDIT_LOG: auditLog,
        MCP_HOST: '127.0.0.1',
        MCP_PORT: String(gatewayPort),
      },
      { MCP_PROGRESS_INTERVAL_MS: '200' },
    );
    await timed('workers_and_gateway_start', async () => {
      for (let index = 0; index < WORKERS; index++) workers.push(await startWorkerProcess(workerEnv, temporal));
      gateway = await startGatewayProcess(gatewayEnv, temporal);
    });
    const check = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/worker/healthcheck.js')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, ...workerEnv },
    });
    assert.equal(check.status, 0, `the compose worker health check: ${check.stderr}`);
    assert.equal((await fetch(`http://127.0.0.1:${gatewayPort}/healthz`)).ok, true, 'the gateway health check');
    mcp = await connectMcpClient(`http://127.0.0.1:${gatewayPort}/mcp`, gatewayEnv.MCP_AUTH_TOKEN);
    await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 100, run_ms: 1000 });
  });

  it('Standard Deployment Flow: validate, scan, deploy to staging, smoke-test, promote with approval, status and list', {
    skip,
  }, async () => {
    stackIsUp('mcp');
    await timed('standard_flow', async () => {
      const validation = await call('validate_deployment', { environment: 'staging', git_ref: 'main' });
      assert.equal(validation.valid, true, JSON.stringify(validation.blockers));
      const scan = await call('run_security_scan', { git_ref: 'main' });
      assert.equal(scan.severity_summary.critical, 0);
      const staging = await call('deploy_to_staging', { git_ref: 'main' });
      assert.equal((await untilFinished(staging.deployment_id)).deployment.status, 'success');
      const smoke = await call('run_smoke_tests', { environment: 'staging', test_suite: 'full' });
      assert.equal(smoke.passed, true);

      const promotion = await call('promote_to_production', { staging_version: 'main' });
      assert.equal(promotion.production_version, 'v1.0.0');
      await untilStatus(promotion.deployment_id, 'awaiting_approval');
      await call('approve_deployment', { deployment_id: promotion.deployment_id, approval_token: TEST_ADMIN_TOKEN });
      const status = await untilFinished(promotion.deployment_id);
      assert.equal(status.deployment.status, 'success', status.deployment.failure_reason);
      assert.equal(status.deployment.version, 'main');
      const running = (await (await fetch(`${sandbox.productionUrl}/api/version`)).json()) as { sha: string };
      assert.equal(running.sha, status.deployment.git_ref, 'production runs the promoted commit');
      assert.equal(status.health_checks.api, 'healthy');

      const listed = await untilListed('production', promotion.deployment_id);
      assert.equal(listed.deployments[0]?.deployment_id, promotion.deployment_id);
      assert.equal(listed.deployments[0]?.status, 'success');
    });
  });

  it('a worker SIGKILLed while a promotion waits for approval: another worker finishes it after the approval', {
    skip,
  }, async (t) => {
    stackIsUp('mcp');
    await timed('worker_kill_at_approval', async () => {
      const promotion = await call('promote_to_production', { staging_version: 'v1.2.0', skip_smoke_tests: true });
      await untilStatus(promotion.deployment_id, 'awaiting_approval');
      const pid = await workerHolding(promotion.deployment_id);
      const holder = workers.find((worker) => worker.child.pid === pid);
      assert.ok(holder, `worker ${pid} is one of ours`);
      await holder.kill();
      workers.splice(workers.indexOf(holder), 1);
      await call('approve_deployment', { deployment_id: promotion.deployment_id, approval_token: TEST_ADMIN_TOKEN });
      const status = await untilFinished(promotion.deployment_id);
      assert.equal(status.deployment.status, 'success', status.deployment.failure_reason);
      assert.notEqual(await workerHolding(promotion.deployment_id), pid, 'a surviving worker finished it');
      assert.equal(await runningVersion(sandbox, 'production'), 'v1.2.0');
      const runs = (await actionsRuns(sandbox)).filter((run) => run.ref === 'v1.2.0');
      assert.equal(runs.length, 1, 'one cd.yml dispatch');
      assert.equal((await deploymentRecordsOf(sandbox, promotion.deployment_id)).length, 1, 'one GitHub record');
      // Back to three, as `--scale worker=3` would restart it.
      workers.push(
        await startWorkerProcess(workerEnv, { address: temporalAddress, namespace: client.options.namespace }),
      );
      t.diagnostic(`killed worker ${pid} at the approval wait; finished by another`);
    });
  });

  it('Emergency Rollback: lists recent production deployments, then rolls back to the previous successful version', {
    skip,
  }, async () => {
    stackIsUp('mcp');
    await timed('emergency_rollback', async () => {
      const listed = await call('list_deployments', { environment: 'production', limit: 5, include_failed: true });
      assert.deepEqual(
        listed.deployments.slice(0, 2).map((each: Result) => [each.version, each.status]),
        [
          ['v1.2.0', 'success'],
          ['main', 'success'],
        ],
      );
      const rollback = await call('rollback_deployment', {
        environment: 'production',
        reason: 'Critical bug detected in production',
      });
      assert.equal(rollback.from_version, 'v1.2.0');
      assert.equal(rollback.to_version, 'main');
      const done = await untilFinished(rollback.rollback_id);
      assert.equal(done.deployment.status, 'success', done.deployment.failure_reason);
      const audit = (await auditLines(workerEnv.DEPLOYMENT_AUDIT_LOG as string)).find(
        (entry) => entry.operation === 'rollback_deployment' && entry.details.deployment_id === rollback.rollback_id,
      );
      assert.equal(audit?.details.reason, 'Critical bug detected in production');
    });
  });

  it('two deployments to staging at once: one runs, the other is refused and dispatches nothing', {
    skip,
  }, async () => {
    stackIsUp('mcp');
    await timed('concurrent_deployments', async () => {
      await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 100, run_ms: 4000 });
      const dispatchedBefore = (await actionsRuns(sandbox)).length;
      const results = (await Promise.all(
        ['v1.1.0', 'v1.2.0'].map((ref) => mcp?.call('deploy_to_staging', { git_ref: ref, skip_smoke_tests: true })),
      )) as CallToolResult[];
      const started = results.filter((result) => !result.isError);
      const refused = results.filter((result) => result.isError);
      assert.equal(started.length, 1, results.map(errorText).join('\n'));
      assert.equal(refused.length, 1);
      const winner = (started[0] as CallToolResult).structuredContent?.deployment_id as string;
      assert.match(
        errorText(refused[0] as CallToolResult),
        new RegExp(`Deployment ${winner} is already running in staging`),
      );
      assert.equal((await untilFinished(winner)).deployment.status, 'success');
      assert.equal((await actionsRuns(sandbox)).length, dispatchedBefore + 1, 'only the winner dispatched cd.yml');
      await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 100, run_ms: 1000 });
    });
  });

  it('list and count through SQL visibility: the custom search attributes filter, and PostgreSQL holds the rows', {
    skip,
  }, async (t) => {
    stackIsUp('mcp');
    await timed('sql_visibility', async () => {
      const everything = "WorkflowType = 'deployment'";
      const inProduction = `${everything} AND ${SEARCH_ATTRIBUTES.environment.name} = 'production'`;
      const succeeded = `${inProduction} AND ${SEARCH_ATTRIBUTES.status.name} = 'success'`;
      const rows = async () =>
        Number(
          await postgres.query(
            'temporal_visibility',
            "SELECT count(*) FROM executions_visibility WHERE workflow_type_name = 'deployment'",
          ),
        );
      // Visibility is eventually consistent: wait until the SQL rows and the count agree with what ran.
      let counts = { all: 0, production: 0, succeeded: 0, rows: 0 };
      await waitUntil(
        async () => {
          counts = {
            all: (await client.workflow.count(everything)).count,
            production: (await client.workflow.count(inProduction)).count,
            succeeded: (await client.workflow.count(succeeded)).count,
            rows: await rows(),
          };
          // Production saw 2 promotions and 1 rollback, all successful; staging the rest (with the refused one).
          return counts.all >= 6 && counts.rows === counts.all && counts.production === 3 && counts.succeeded === 3;
        },
        { what: 'SQL visibility counting every deployment', timeoutMs: 60_000, intervalMs: 500 },
      ).catch((error: Error) => assert.fail(`${error.message}; last counts ${JSON.stringify(counts)}`));
      const listed = await call('list_deployments', { environment: 'production', limit: 100 });
      assert.equal(listed.total_count, counts.production);
      assert.ok(listed.deployments.every((each: Result) => each.environment === 'production'));
      const stagingOnly = await call('list_deployments', { environment: 'staging', limit: 1 });
      assert.equal(stagingOnly.deployments.length, 1);
      assert.equal(stagingOnly.total_count, counts.all - counts.production);
      t.diagnostic(`visibility: ${JSON.stringify(counts)}`);
    });
  });

  it('the Temporal server restarts (SIGKILL) mid-deployment: workers and gateway ride it out, it finishes once', {
    skip,
  }, async (t) => {
    stackIsUp('mcp');
    await timed('server_restart', async () => {
      await steer(sandbox, 'PUT', '/actions/timing', { queued_ms: 100, run_ms: 8000 });
      const dispatchedBefore = (await actionsRuns(sandbox)).length;
      const staging = await call('deploy_to_staging', { git_ref: 'v1.1.0', skip_smoke_tests: true });
      const handle = client.workflow.getHandle<typeof deployment>(staging.deployment_id);
      await waitUntil(() => waitsForRunningRun(sandbox, handle), {
        what: `${staging.deployment_id} waiting for its run`,
        timeoutMs: 120_000,
        intervalMs: 200,
      });
      await server?.stop('SIGKILL');
      server = await timed('server_restart_start', startServer);
      const status = await untilFinished(staging.deployment_id);
      assert.equal(status.deployment.status, 'success', status.deployment.failure_reason);
      assert.equal(await runningVersion(sandbox, 'staging'), 'v1.1.0');
      assert.equal((await actionsRuns(sandbox)).length, dispatchedBefore + 1, 'one cd.yml dispatch');
      assert.equal((await deploymentRecordsOf(sandbox, staging.deployment_id)).length, 1, 'one GitHub record');
      for (const process of [...workers, gateway]) assert.equal(process?.child.exitCode, null, 'still running');
      t.diagnostic(`server back in ${timings.server_restart_start} s`);
    });
  });
});

/** list_deployments until the deployment shows there (visibility is eventually consistent). */
async function untilListed(environment: string, deploymentId: string): Promise<Result> {
  let listed: Result = null;
  await waitUntil(
    async () => {
      listed = await call('list_deployments', { environment, limit: 5, include_failed: true });
      return listed.deployments.some(
        (each: Result) => each.deployment_id === deploymentId && each.status !== 'in_progress',
      );
    },
    { what: `${deploymentId} in list_deployments`, timeoutMs: 60_000, intervalMs: 500 },
  );
  return listed;
}
