import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Octokit } from '@octokit/rest';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import { controlRequest, SANDBOX_REPO, sandboxOctokit, steer as steerSandbox } from '../helpers/sandbox-control.js';

const repo = SANDBOX_REPO;
let sandbox: Sandbox;
let octokit: Octokit;

before(async () => {
  sandbox = await startSandbox();
  octokit = sandboxOctokit(sandbox);
});
after(() => sandbox.close());
beforeEach(() => {
  sandbox.state.reset();
  sandbox.state.setActionsTiming({ queued_ms: 20, run_ms: 50 });
});

const steer = (method: string, path: string, body?: unknown) => steerSandbox(sandbox, method, path, body);

async function rejectsWith(call: Promise<unknown>, status: number, message: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal((error as Error & { status?: number }).status, status);
    assert.ok(error.message.includes(message), `${JSON.stringify(error.message)} should contain ${message}`);
    return true;
  });
}

async function shaOf(ref: string): Promise<string> {
  return (await octokit.rest.repos.getCommit({ ...repo, ref })).data.sha;
}

/** Dispatches cd.yml with return_run_details and answers the run id. */
async function dispatch(environment: string, ref = 'main', inputs: Record<string, unknown> = {}): Promise<number> {
  const response = await octokit.rest.actions.createWorkflowDispatch({
    ...repo,
    workflow_id: 'cd.yml',
    ref,
    inputs: { environment, ...inputs },
    return_run_details: true,
  });
  assert.equal(response.status, 200);
  // Octokit types this endpoint's answer as the 204 only.
  const details = response.data as unknown as { workflow_run_id: number; run_url: string; html_url: string };
  return details.workflow_run_id;
}

const getRun = async (run_id: number) => (await octokit.rest.actions.getWorkflowRun({ ...repo, run_id })).data;
const getJobs = async (run_id: number) =>
  (await octokit.rest.actions.listJobsForWorkflowRun({ ...repo, run_id })).data.jobs;

/** Polls until `done` holds, for at most EVENT_CEILING_MS. */
async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + EVENT_CEILING_MS;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 300)}`);
    await sleep(10);
  }
}

const completed = (run_id: number) =>
  until(
    'the run to complete',
    () => getRun(run_id),
    (run) => run.status === 'completed',
  );

async function appVersion(url: string): Promise<{ version: string; sha: string }> {
  return (await (await fetch(`${url}/api/version`)).json()) as { version: string; sha: string };
}

describe('workflows and dispatches', () => {
  test('lists cd.yml, finds it by id or file name, and 404s any other workflow', async () => {
    const { data } = await octokit.rest.actions.listRepoWorkflows(repo);
    assert.equal(data.total_count, 1);
    const [workflow] = data.workflows;
    assert.equal(workflow?.name, 'cd');
    assert.equal(workflow?.path, '.github/workflows/cd.yml');
    assert.equal(workflow?.state, 'active');
    const byName = await octokit.rest.actions.getWorkflow({ ...repo, workflow_id: 'cd.yml' });
    const byId = await octokit.rest.actions.getWorkflow({ ...repo, workflow_id: Number(workflow?.id) });
    assert.deepEqual(byName.data, byId.data);
    sandbox.state.reset();
    assert.equal((await octokit.rest.actions.getWorkflow({ ...repo, workflow_id: 'cd.yml' })).data.id, workflow?.id);
    await rejectsWith(octokit.rest.actions.getWorkflow({ ...repo, workflow_id: 'ci.yml' }), 404, 'Not Found');
    await rejectsWith(
      octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'ci.yml', ref: 'main' }),
      404,
      'Not Found',
    );
    await rejectsWith(octokit.rest.actions.listWorkflowRuns({ ...repo, workflow_id: 'ci.yml' }), 404, 'Not Found');
  });

  test('return_run_details answers 200 with the run; without it, 204 and no body', async () => {
    // The runs stay queued, so what the API and the control API report cannot change in between.
    sandbox.state.setActionsTiming({ queued_ms: 60_000, run_ms: 60_000 });
    const response = await octokit.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'cd.yml',
      ref: 'v1.2.0',
      inputs: { environment: 'staging', skip_tests: 'true' },
      return_run_details: true,
    });
    assert.equal(response.status, 200);
    const details = response.data as unknown as { workflow_run_id: number; run_url: string; html_url: string };
    const runId = details.workflow_run_id;
    assert.equal(details.run_url, `${sandbox.githubApiUrl}/repos/sandbox-org/scheduler/actions/runs/${runId}`);
    assert.equal(details.html_url, `${sandbox.githubApiUrl}/sandbox-org/scheduler/actions/runs/${runId}`);

    const run = await getRun(runId);
    assert.equal(run.event, 'workflow_dispatch');
    assert.equal(run.status, 'queued');
    assert.equal(run.conclusion, null);
    assert.equal(run.head_branch, 'v1.2.0');
    assert.equal(run.head_sha, await shaOf('v1.2.0'));
    assert.equal(run.head_commit?.id, run.head_sha);
    assert.equal(run.name, 'cd');
    assert.equal(run.display_title, 'cd');
    assert.equal(run.path, '.github/workflows/cd.yml');
    assert.equal(run.run_number, 1);
    assert.equal(run.run_attempt, 1);
    assert.equal(run.actor?.login, 'sandbox-dev');
    assert.equal(run.triggering_actor?.login, 'sandbox-dev');
    assert.equal(run.html_url, details.html_url);
    assert.equal(run.url, details.run_url);

    const plain = await octokit.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'cd.yml',
      ref: 'refs/heads/main',
      inputs: { environment: 'production' },
    });
    assert.equal(plain.status, 204);
    // Octokit's data for a 204 is the empty string.
    assert.equal(plain.data, '');

    const runs = sandbox.state.actionsRuns();
    assert.deepEqual(
      runs.map((each) => [each.run_number, each.ref, each.inputs]),
      [
        [1, 'v1.2.0', { environment: 'staging', skip_tests: true }],
        [2, 'main', { environment: 'production', skip_tests: false }],
      ],
    );
    assert.deepEqual(await steer('GET', '/actions/runs'), JSON.parse(JSON.stringify(sandbox.state.actionsRuns())));
    const dispatches = sandbox.state.requests().filter((request) => request.path.endsWith('/dispatches'));
    assert.deepEqual(
      dispatches.map((request) => [request.method, request.status]),
      [
        ['POST', 200],
        ['POST', 204],
      ],
    );
  });

  test('a server without return_run_details rejects the key; the same dispatch without it works', async () => {
    assert.deepEqual(await steer('PUT', '/actions/features', { return_run_details: false }), {
      return_run_details: false,
    });
    const request = { ...repo, workflow_id: 'cd.yml', ref: 'main', inputs: { environment: 'staging' } };
    await rejectsWith(
      octokit.rest.actions.createWorkflowDispatch({ ...request, return_run_details: true }),
      422,
      'Invalid request.\n\n"return_run_details" is not a permitted key.',
    );
    const raw = await fetch(`${sandbox.githubApiUrl}/repos/sandbox-org/scheduler/actions/workflows/cd.yml/dispatches`, {
      method: 'POST',
      headers: { authorization: `token ${sandbox.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ref: 'main', inputs: { environment: 'staging' }, return_run_details: false }),
    });
    assert.equal(raw.status, 422);
    assert.deepEqual(await raw.json(), {
      message: 'Invalid request.\n\n"return_run_details" is not a permitted key.',
      documentation_url: 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event',
      status: '422',
    });
    assert.equal(sandbox.state.actionsRuns().length, 0);
    assert.equal((await octokit.rest.actions.createWorkflowDispatch(request)).status, 204);
    assert.equal(sandbox.state.actionsRuns().length, 1);
  });

  test('refs and inputs are validated as GitHub does', async () => {
    const attempt = (ref: string, inputs?: Record<string, unknown>) =>
      octokit.rest.actions.createWorkflowDispatch({
        ...repo,
        workflow_id: 'cd.yml',
        ref,
        ...(inputs ? { inputs } : {}),
      });
    const main = await shaOf('main');
    await rejectsWith(attempt(main, { environment: 'staging' }), 422, `No ref found for: ${main}`);
    await rejectsWith(attempt('nope', { environment: 'staging' }), 422, 'No ref found for: nope');
    await rejectsWith(
      attempt('main', { environment: 'staging', force: true }),
      422,
      'Unexpected inputs provided: ["force"]',
    );
    await rejectsWith(attempt('main'), 422, "Required input 'environment' not provided");
    await rejectsWith(attempt('main', { skip_tests: true }), 422, "Required input 'environment' not provided");
    await rejectsWith(
      attempt('main', { environment: 'qa' }),
      422,
      'not in the list of allowed values: staging, production',
    );
    await rejectsWith(
      attempt('main', { environment: 'staging', skip_tests: 'yes' }),
      422,
      "input 'skip_tests' is not a boolean",
    );
    assert.equal(sandbox.state.actionsRuns().length, 0);

    assert.equal((await attempt('main', { environment: 'staging', skip_tests: false })).status, 204);
    assert.equal((await attempt('v1.0.0', { environment: 'production', skip_tests: 'false' })).status, 204);
    assert.deepEqual(
      sandbox.state.actionsRuns().map((run) => run.inputs.skip_tests),
      [false, false],
    );

    // A branch whose cd.yml was deleted cannot be dispatched on.
    await steer('POST', '/commits', { branch: 'no-cd', files: { '.github/workflows/cd.yml': null } });
    await rejectsWith(
      attempt('no-cd', { environment: 'staging' }),
      422,
      "Workflow does not have 'workflow_dispatch' trigger",
    );
    const notJson = await fetch(
      `${sandbox.githubApiUrl}/repos/sandbox-org/scheduler/actions/workflows/cd.yml/dispatches`,
      {
        method: 'POST',
        headers: { authorization: `token ${sandbox.token}`, 'content-type': 'application/json' },
        body: '{"ref":',
      },
    );
    assert.equal(notJson.status, 400);
    assert.equal(((await notJson.json()) as { message: string }).message, 'Problems parsing JSON');
  });
});

describe('run lifecycle', () => {
  test('queued, then in progress, then completed; production then reports the dispatched ref', async () => {
    // Long enough for each state to be seen: the test job alone takes a third of the run.
    sandbox.state.setActionsTiming({ queued_ms: 300, run_ms: 1200 });
    const runId = await dispatch('production', 'v1.2.0');
    const queued = await getRun(runId);
    assert.equal(queued.status, 'queued');
    assert.equal(queued.run_started_at, undefined);
    const queuedJobs = await getJobs(runId);
    assert.deepEqual(
      queuedJobs.map((job) => job.name),
      ['test', 'build', 'migrate', 'deploy'],
    );
    assert.ok(
      queuedJobs.every((job) => job.status === 'queued' && job.steps?.every((step) => step.status === 'queued')),
    );

    const running = await until(
      'the run to start',
      () => getRun(runId),
      (run) => run.status === 'in_progress',
    );
    assert.ok(running.run_started_at);
    const runningJobs = await getJobs(runId);
    assert.equal(runningJobs[0]?.status, 'in_progress');
    assert.ok(runningJobs[0]?.steps?.some((step) => step.status === 'in_progress'));
    assert.equal(runningJobs[3]?.status, 'queued');
    assert.equal(runningJobs[3]?.runner_name, null);
    assert.deepEqual(await appVersion(sandbox.productionUrl), {
      version: 'v1.0.0',
      sha: await shaOf('v1.0.0'),
      environment: 'production',
    });

    const done = await completed(runId);
    assert.equal(done.conclusion, 'success');
    const jobs = await getJobs(runId);
    assert.ok(jobs.every((job) => job.status === 'completed' && job.conclusion === 'success'));
    assert.ok(jobs.every((job) => job.steps?.every((step) => step.conclusion === 'success' && step.completed_at)));
    assert.ok(jobs.every((job) => job.html_url === `${done.html_url}/job/${job.id}`));
    assert.ok(jobs[3]?.steps?.some((step) => step.name === 'Deploy to production'));
    assert.deepEqual(await appVersion(sandbox.productionUrl), {
      version: 'v1.2.0',
      sha: await shaOf('v1.2.0'),
      environment: 'production',
    });
    assert.equal((await appVersion(sandbox.stagingUrl)).version, 'v1.0.0');

    const log = await octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...repo, job_id: Number(jobs[3]?.id) });
    assert.equal(typeof log.data, 'string');
    assert.match(
      String(log.data),
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ##\[group\]Run \.\/deploy\.sh "production"/m,
    );
    assert.doesNotMatch(String(log.data), /##\[error\]/);
  });

  test('a failing outcome leaves the app alone; the failing job, its skipped steps and its log show why', async () => {
    await steer('POST', '/actions/outcomes', { environment: 'production', conclusion: 'failure' });
    // The outcome is for production: a staging run is not affected.
    const stagingRun = await dispatch('staging', 'v1.1.0');
    const runId = await dispatch('production', 'v1.2.0');
    assert.equal((await completed(stagingRun)).conclusion, 'success');
    assert.equal((await completed(runId)).conclusion, 'failure');
    assert.deepEqual(await appVersion(sandbox.productionUrl), {
      version: 'v1.0.0',
      sha: await shaOf('v1.0.0'),
      environment: 'production',
    });
    assert.equal((await appVersion(sandbox.stagingUrl)).version, 'v1.1.0');

    const jobs = await getJobs(runId);
    assert.deepEqual(
      jobs.map((job) => [job.name, job.conclusion]),
      [
        ['test', 'success'],
        ['build', 'success'],
        ['migrate', 'success'],
        ['deploy', 'failure'],
      ],
    );
    const deploy = jobs[3];
    assert.deepEqual(
      deploy?.steps?.map((step) => [step.name, step.conclusion]),
      [
        ['Set up job', 'success'],
        ['Run actions/checkout@v4', 'success'],
        ['Deploy to production', 'failure'],
        ['Post Run actions/checkout@v4', 'success'],
        ['Complete job', 'success'],
      ],
    );
    const log = String(
      (await octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...repo, job_id: Number(deploy?.id) })).data,
    );
    assert.match(log, /Z ##\[error\]deploy\.sh: rollout of v1\.2\.0 to production did not become ready/);
    assert.match(log, /Z ##\[error\]Process completed with exit code 1\.\n/);
    const redirect = await fetch(
      `${sandbox.githubApiUrl}/repos/sandbox-org/scheduler/actions/jobs/${deploy?.id}/logs`,
      { headers: { authorization: `token ${sandbox.token}` }, redirect: 'manual' },
    );
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location') ?? '';
    // Like GitHub's signed blob URL, the log needs no token.
    assert.equal(await (await fetch(location)).text(), log);
  });

  test('a failure in migrate skips deploy; skip_tests skips test; the outcome names the step', async () => {
    sandbox.state.queueActionsOutcome({
      conclusion: 'failure',
      failing_job: 'migrate',
      message: 'relation "shifts" is locked',
    });
    const runId = await dispatch('staging', 'main', { skip_tests: true });
    assert.equal((await completed(runId)).conclusion, 'failure');
    const jobs = await getJobs(runId);
    assert.deepEqual(
      jobs.map((job) => [job.name, job.status, job.conclusion, job.steps?.length]),
      [
        ['test', 'completed', 'skipped', 0],
        ['build', 'completed', 'success', 5],
        ['migrate', 'completed', 'failure', 6],
        ['deploy', 'completed', 'skipped', 0],
      ],
    );
    const migrate = jobs[2]?.steps?.find((step) => step.conclusion === 'failure');
    assert.equal(migrate?.name, 'Run alembic upgrade head');
    const log = String(
      (await octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...repo, job_id: Number(jobs[2]?.id) })).data,
    );
    assert.match(log, /##\[error\]relation "shifts" is locked/);
    assert.equal((await appVersion(sandbox.stagingUrl)).version, 'v1.0.0');

    await assert.rejects(
      steer('POST', '/actions/outcomes', { conclusion: 'failure', failing_job: 'build', failing_step: 'Run tests' }),
      /422/,
    );
    await assert.rejects(steer('POST', '/actions/outcomes', { conclusion: 'maybe' }), /400/);
  });

  test('the outcome components apply when the deploy succeeds: the new version is up but broken', async () => {
    sandbox.state.setAppComponent('staging', 'redis', 'hang');
    await steer('POST', '/actions/outcomes', { conclusion: 'success', components: { api: 'unhealthy' } });
    const runId = await dispatch('staging', 'v1.2.0');
    assert.equal((await completed(runId)).conclusion, 'success');
    assert.deepEqual(sandbox.state.world.apps.staging.components, {
      api: 'unhealthy',
      database: 'healthy',
      redis: 'healthy',
      celery_worker: 'healthy',
      celery_beat: 'healthy',
    });
    assert.equal((await fetch(`${sandbox.stagingUrl}/api/health`)).status, 503);
    assert.equal((await fetch(`${sandbox.stagingUrl}/api/health/redis`)).status, 200);
    // The outcome was used up: the next run deploys healthy.
    const next = await dispatch('staging', 'main');
    await completed(next);
    assert.equal((await fetch(`${sandbox.stagingUrl}/api/health`)).status, 200);
    assert.equal((await appVersion(sandbox.stagingUrl)).version, 'main');
  });

  test('cancel answers 202 and the run completes cancelled; a completed run cannot be cancelled', async () => {
    sandbox.state.setActionsTiming({ queued_ms: 20, run_ms: 10_000 });
    const runId = await dispatch('production', 'v1.2.0');
    await until(
      'the run to start',
      () => getRun(runId),
      (run) => run.status === 'in_progress',
    );
    const cancel = await octokit.rest.actions.cancelWorkflowRun({ ...repo, run_id: runId });
    assert.equal(cancel.status, 202);
    assert.deepEqual(cancel.data, {});
    const run = await completed(runId);
    assert.equal(run.conclusion, 'cancelled');
    const jobs = await getJobs(runId);
    assert.deepEqual(
      jobs.map((job) => job.conclusion),
      ['cancelled', 'cancelled', 'cancelled', 'cancelled'],
    );
    assert.equal(jobs[0]?.steps?.[0]?.conclusion, 'cancelled');
    assert.deepEqual(jobs[1]?.steps, []);
    assert.equal((await appVersion(sandbox.productionUrl)).version, 'v1.0.0');
    await rejectsWith(
      octokit.rest.actions.cancelWorkflowRun({ ...repo, run_id: runId }),
      409,
      'Cannot cancel a workflow run that is completed.',
    );
    await rejectsWith(octokit.rest.actions.cancelWorkflowRun({ ...repo, run_id: 1 }), 404, 'Not Found');
    await rejectsWith(octokit.rest.actions.getWorkflowRun({ ...repo, run_id: 1 }), 404, 'Not Found');
  });

  test('lists runs newest first with GitHub filters and pagination', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const first = await dispatch('staging', 'v1.1.0');
    const second = await dispatch('production', 'main');
    await completed(first);
    await completed(second);
    const ids = (runs: { id: number }[]) => runs.map((run) => run.id);

    const all = await octokit.rest.actions.listWorkflowRunsForRepo(repo);
    assert.equal(all.data.total_count, 2);
    assert.deepEqual(ids(all.data.workflow_runs), [second, first]);
    const list = (filters: Record<string, string | number>) =>
      octokit.rest.actions.listWorkflowRuns({ ...repo, workflow_id: 'cd.yml', ...filters }).then(({ data }) => data);
    assert.deepEqual(ids((await list({ created: `>=${before}` })).workflow_runs), [second, first]);
    const later = new Date(Date.now() + 60_000).toISOString();
    assert.equal((await list({ created: `>=${later}` })).total_count, 0);
    assert.equal((await list({ created: `${before}..${later}` })).total_count, 2);
    assert.equal((await list({ created: `${before.slice(0, 10)}..*` })).total_count, 2);
    assert.equal((await list({ created: 'yesterday' })).total_count, 0);
    assert.deepEqual(ids((await list({ head_sha: await shaOf('v1.1.0') })).workflow_runs), [first]);
    assert.deepEqual(ids((await list({ branch: 'main', event: 'workflow_dispatch' })).workflow_runs), [second]);
    assert.equal((await list({ event: 'push' })).total_count, 0);
    assert.equal((await list({ status: 'completed' })).total_count, 2);
    assert.equal((await list({ status: 'success' })).total_count, 2);
    assert.equal((await list({ status: 'in_progress' })).total_count, 0);

    const page = await octokit.rest.actions.listWorkflowRuns({ ...repo, workflow_id: 'cd.yml', per_page: 1 });
    assert.equal(page.data.total_count, 2);
    assert.deepEqual(ids(page.data.workflow_runs), [second]);
    assert.match(page.headers.link ?? '', /rel="next"/);
    const paged = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
      ...repo,
      workflow_id: 'cd.yml',
      per_page: 1,
    });
    assert.deepEqual(ids(paged), [second, first]);
  });
});

describe('deployment records', () => {
  test('createDeployment records the developer deployment; red CI is a 409 unless required_contexts is []', async () => {
    const created = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: 'v1.2.0',
      environment: 'staging',
      auto_merge: false,
      payload: { deployment_id: 'dep-1' },
      description: 'Deploy v1.2.0 to staging',
    });
    assert.equal(created.status, 201);
    assert.ok('id' in created.data);
    assert.equal(created.data.sha, await shaOf('v1.2.0'));
    assert.equal(created.data.ref, 'v1.2.0');
    assert.equal(created.data.task, 'deploy');
    assert.equal(created.data.environment, 'staging');
    assert.equal(created.data.production_environment, false);
    assert.equal(created.data.creator?.login, 'sandbox-dev');
    assert.deepEqual(created.data.payload, { deployment_id: 'dep-1' });
    const listed = await octokit.rest.repos.listDeployments({ ...repo, environment: 'staging' });
    assert.deepEqual(
      listed.data.map((deployment) => deployment.ref),
      ['v1.2.0', 'v1.0.0'],
    );

    const defaults = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: await shaOf('main'),
      payload: '{"kind":"rollback"}',
    });
    assert.ok('id' in defaults.data);
    assert.equal(defaults.data.environment, 'production');
    assert.equal(defaults.data.production_environment, true);
    assert.equal(defaults.data.payload, '{"kind":"rollback"}');

    sandbox.state.setChecks({ ref: 'main', conclusion: 'failure', name: 'ci / test' });
    await rejectsWith(
      octokit.rest.repos.createDeployment({ ...repo, ref: 'main', environment: 'staging' }),
      409,
      'Conflict: Commit status checks failed for main.',
    );
    await rejectsWith(
      octokit.rest.repos.createDeployment({ ...repo, ref: 'main', required_contexts: ['ci / test'] }),
      409,
      'Conflict: Commit status checks failed for main.',
    );
    const bypass = await octokit.rest.repos.createDeployment({ ...repo, ref: 'main', required_contexts: ['ci/lint'] });
    assert.equal(bypass.status, 201);
    const forced = await octokit.rest.repos.createDeployment({ ...repo, ref: 'main', required_contexts: [] });
    assert.equal(forced.status, 201);
    await rejectsWith(octokit.rest.repos.createDeployment({ ...repo, ref: 'nope' }), 422, 'No ref found for: nope');
  });

  test('createDeploymentStatus: a success marks the live deployment inactive, outside production only', async () => {
    const [seededProduction] = (await octokit.rest.repos.listDeployments({ ...repo, environment: 'production' })).data;
    const [seededStaging] = (await octokit.rest.repos.listDeployments({ ...repo, environment: 'staging' })).data;
    const created = await octokit.rest.repos.createDeployment({ ...repo, ref: 'v1.2.0', environment: 'production' });
    assert.ok('id' in created.data);
    const deployment_id = created.data.id;
    const states = async (id: number) =>
      (await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id })).data.map(
        (status) => status.state,
      );

    const progress = await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id, state: 'in_progress' });
    assert.equal(progress.status, 201);
    assert.deepEqual(await states(Number(seededProduction?.id)), ['success']);

    const success = await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id,
      state: 'success',
      environment_url: sandbox.productionUrl,
      log_url: 'https://example.test/run/1',
      description: 'Deployed',
    });
    assert.equal(success.status, 201);
    assert.equal(success.data.state, 'success');
    assert.equal(success.data.environment_url, sandbox.productionUrl);
    assert.equal(success.data.log_url, 'https://example.test/run/1');
    assert.equal(success.data.creator?.login, 'sandbox-dev');
    assert.deepEqual(await states(deployment_id), ['success', 'in_progress']);
    // GitHub's auto_inactive leaves production deployments alone.
    assert.deepEqual(await states(Number(seededProduction?.id)), ['success']);
    assert.deepEqual(await states(Number(seededStaging?.id)), ['success']);

    const staged = await octokit.rest.repos.createDeployment({ ...repo, ref: 'v1.2.0', environment: 'staging' });
    assert.ok('id' in staged.data);
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: staged.data.id, state: 'success' });
    assert.deepEqual(await states(Number(seededStaging?.id)), ['inactive', 'success']);

    // auto_inactive: false leaves the other live deployment as it is.
    const another = await octokit.rest.repos.createDeployment({ ...repo, ref: 'v1.1.0', environment: 'staging' });
    assert.ok('id' in another.data);
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: another.data.id,
      state: 'success',
      auto_inactive: false,
    });
    assert.deepEqual(await states(staged.data.id), ['success']);

    await rejectsWith(
      octokit.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id,
        state: 'done' as unknown as 'success',
      }),
      422,
      'Invalid request.',
    );
    await rejectsWith(
      octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: 1, state: 'success' }),
      404,
      'Not Found',
    );
  });
});

describe('steering Actions', () => {
  test('reset clears runs, outcomes, timing and features; close leaves no timer behind', async () => {
    sandbox.state.setActionsTiming({ queued_ms: 60_000, run_ms: 60_000 });
    sandbox.state.setActionsFeatures({ return_run_details: false });
    sandbox.state.queueActionsOutcome({ conclusion: 'failure' });
    await octokit.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'cd.yml',
      ref: 'main',
      inputs: { environment: 'staging' },
    });
    const stale = sandbox.state.world.actions;
    assert.equal(stale.pendingTimers, 1);

    assert.deepEqual(await steer('POST', '/reset'), { ok: true });
    assert.equal(stale.pendingTimers, 0);
    assert.deepEqual(sandbox.state.actionsRuns(), []);
    assert.deepEqual(sandbox.state.setActionsTiming({}), { queued_ms: 300, run_ms: 1500 });
    assert.deepEqual(sandbox.state.setActionsFeatures({ return_run_details: true }), { return_run_details: true });
    sandbox.state.setActionsTiming({ queued_ms: 0, run_ms: 0 });
    const runId = await dispatch('staging');
    assert.equal((await completed(runId)).conclusion, 'success');

    const timing = await controlRequest(sandbox, 'PUT', '/actions/timing', { queued_ms: 600_001 });
    assert.equal(timing.status, 400);
    assert.deepEqual(await steer('PUT', '/actions/timing', { run_ms: 10 }), { queued_ms: 0, run_ms: 10 });
    await steer('DELETE', '/actions/outcomes');

    const other = await startSandbox();
    other.state.setActionsTiming({ queued_ms: 60_000, run_ms: 60_000 });
    const client = sandboxOctokit(other);
    await client.rest.actions.createWorkflowDispatch({
      ...repo,
      workflow_id: 'cd.yml',
      ref: 'main',
      inputs: { environment: 'staging' },
    });
    assert.equal(other.state.world.actions.pendingTimers, 1);
    await other.close();
    assert.equal(other.state.world.actions.pendingTimers, 0);
  });
});
