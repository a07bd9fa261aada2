// The parts of the compose stack that run outside Docker too, against the real Temporal dev server (the same server
// release as the stack's temporalio/server image): the namespace job's script and the worker's health check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { findTemporalBinaries, PROJECT_ROOT } from '../../scripts/temporal-binaries.js';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle-path.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import { startDevServerEnv } from '../helpers/temporal-env.js';

let env: TestWorkflowEnvironment;
let cliFolder: string;
before(async () => {
  env = await startDevServerEnv();
  const { cli } = await findTemporalBinaries();
  assert.ok(cli, 'npm test installs the Temporal CLI first');
  cliFolder = dirname(cli);
});
after(() => env?.teardown());

describe('deploy/temporal/setup-namespace.sh', () => {
  const runSetup = (namespace: string) =>
    spawnSync('sh', [join(PROJECT_ROOT, 'deploy/temporal/setup-namespace.sh')], {
      encoding: 'utf8',
      timeout: EVENT_CEILING_MS,
      env: {
        PATH: `${cliFolder}:${process.env.PATH}`,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: namespace,
        TEMPORAL_NAMESPACE_RETENTION: '3d',
      },
    });

  it('creates the namespace with the four Keyword search attributes, and a second run changes nothing', async () => {
    const namespace = `team-${randomUUID()}`;
    const first = runSetup(namespace);
    assert.equal(first.status, 0, first.stderr);
    const second = runSetup(namespace);
    assert.equal(second.status, 0, second.stderr);

    const { customAttributes } = await env.connection.operatorService.listSearchAttributes({ namespace });
    for (const key of Object.values(SEARCH_ATTRIBUTES)) {
      assert.equal(customAttributes?.[key.name], 2, `${key.name} is a Keyword (INDEXED_VALUE_TYPE_KEYWORD = 2)`);
    }
  });
});

describe('dist/worker/healthcheck.js', () => {
  const healthcheck = (taskQueue: string) =>
    spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/worker/healthcheck.js')], {
      encoding: 'utf8',
      timeout: EVENT_CEILING_MS,
      env: {
        PATH: process.env.PATH,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        GITHUB_TOKEN: 'unused-by-the-check',
        GITHUB_REPOSITORY: 'acme/scheduler',
      },
    });

  it('fails while no worker of this host polls the task queue, and passes once one does', async () => {
    const taskQueue = `health-${randomUUID()}`;
    const before = healthcheck(taskQueue);
    assert.equal(before.status, 1);
    assert.match(before.stderr, /no workflow or activity poller from .* on 'health-/);

    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
      // A worker with no activities never polls for activity tasks; the product's worker always has some.
      activities: { noop: async () => undefined },
    });
    await worker.runUntil(async () => {
      let result = healthcheck(taskQueue);
      for (let attempt = 0; attempt < 20 && result.status !== 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        result = healthcheck(taskQueue);
      }
      assert.equal(result.status, 0, result.stderr);
    });
  });

  it('fails with the configuration error when the worker configuration is incomplete', () => {
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/worker/healthcheck.js')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: env.address },
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /GITHUB_TOKEN not set/);
  });
});
