import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { WorkflowRunRecord } from '../../actions/actions-store.js';
import { CD_WORKFLOW } from '../../actions/cd-workflow.js';
import { createdFilter } from '../../actions/created-filter.js';
import { checkDispatchInputs } from '../../actions/dispatch-inputs.js';
import { jobLog } from '../../actions/job-log.js';
import { runProgress } from '../../actions/run-progress.js';
import type { SandboxState } from '../../sandbox-state.js';
import { sendGitHubError, sendNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { dispatchResponsePayload, jobPayload, workflowPayload, workflowRunPayload } from '../payloads/actions.js';
import { DEVELOPER } from '../payloads/users.js';
import { checkBody, jsonBody } from '../request-body.js';
import { pathParam, queryParam } from '../request-params.js';

const DOCS = {
  workflow: 'https://docs.github.com/rest/actions/workflows#get-a-workflow',
  dispatch: 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event',
  runs: 'https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow',
  run: 'https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run',
  cancel: 'https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run',
  jobs: 'https://docs.github.com/rest/actions/workflow-jobs#list-jobs-for-a-workflow-run',
  job: 'https://docs.github.com/rest/actions/workflow-jobs#get-a-job-for-a-workflow-run',
  logs: 'https://docs.github.com/rest/actions/workflow-jobs#download-job-logs-for-a-workflow-run',
};

const dispatchBody = z
  .object({
    ref: z.string(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    return_run_details: z.boolean().optional(),
  })
  .strict();
// GitHub Enterprise Server before `return_run_details` existed: the key is not permitted at all.
const enterpriseDispatchBody = dispatchBody.omit({ return_run_details: true }).strict();

/** The workflow is addressed by its id or its file name, as on GitHub. */
function isCdWorkflow(workflowId: string): boolean {
  return workflowId === String(CD_WORKFLOW.id) || workflowId === CD_WORKFLOW.fileName;
}

/** Workflows, dispatches, runs and jobs of GitHub Actions, for the one workflow the repository has. */
export function actionsRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;
  const runById = (id: string): WorkflowRunRecord | undefined =>
    /^\d+$/.test(id) ? state.world.actions.get(Number(id)) : undefined;
  const jobById = (id: string) => (/^\d+$/.test(id) ? state.world.actions.job(Number(id)) : undefined);

  router.get('/actions/workflows', (req, res) => {
    const workflows = [workflowPayload(links, state.world.actions.workflowCreatedAt)];
    res.json({ total_count: workflows.length, workflows: paginate(req, res, links.apiUrl, workflows) });
  });

  router.get('/actions/workflows/:workflow_id', (req, res) => {
    if (isCdWorkflow(req.params.workflow_id)) res.json(workflowPayload(links, state.world.actions.workflowCreatedAt));
    else sendNotFound(res, DOCS.workflow);
  });

  router.post('/actions/workflows/:workflow_id/dispatches', jsonBody, (req, res) => {
    if (!isCdWorkflow(pathParam(req, 'workflow_id'))) {
      sendNotFound(res, DOCS.dispatch);
      return;
    }
    const { actions, repository } = state.world;
    const checked = checkBody(actions.features.return_run_details ? dispatchBody : enterpriseDispatchBody, req.body);
    if (!checked.ok) {
      sendGitHubError(res, checked.status, checked.message, DOCS.dispatch);
      return;
    }
    // Dispatches take branch and tag names only; a SHA is no ref.
    const ref = repository.namedRef(checked.body.ref);
    if (!ref) {
      sendGitHubError(res, 422, `No ref found for: ${checked.body.ref}`, DOCS.dispatch);
      return;
    }
    if (!repository.commit(ref.sha)?.files.has(CD_WORKFLOW.path)) {
      sendGitHubError(res, 422, "Workflow does not have 'workflow_dispatch' trigger", DOCS.dispatch);
      return;
    }
    const inputs = checkDispatchInputs(checked.body.inputs ?? {});
    if (!inputs.ok) {
      sendGitHubError(res, 422, inputs.message, DOCS.dispatch);
      return;
    }
    const run = actions.dispatch({ ref: ref.name, sha: ref.sha, inputs: inputs.inputs, actor: DEVELOPER });
    if ('return_run_details' in checked.body && checked.body.return_run_details) {
      res.json(dispatchResponsePayload(links, run));
    } else {
      res.status(204).end();
    }
  });

  const listRuns = (req: Request, res: Response): void => {
    const filter = runFilter(req);
    const runs = filter ? state.world.actions.list().filter(filter) : [];
    const page = paginate(req, res, links.apiUrl, runs);
    res.json({
      total_count: runs.length,
      workflow_runs: page.map((run) => workflowRunPayload(links, state.world.repository, run)),
    });
  };
  router.get('/actions/runs', listRuns);
  router.get('/actions/workflows/:workflow_id/runs', (req, res) => {
    if (isCdWorkflow(req.params.workflow_id)) listRuns(req, res);
    else sendNotFound(res, DOCS.runs);
  });

  router.get('/actions/runs/:run_id', (req, res) => {
    const run = runById(req.params.run_id);
    if (run) res.json(workflowRunPayload(links, state.world.repository, run));
    else sendNotFound(res, DOCS.run);
  });

  router.post('/actions/runs/:run_id/cancel', (req, res) => {
    const run = runById(req.params.run_id);
    if (!run) sendNotFound(res, DOCS.cancel);
    else if (state.world.actions.cancel(run)) res.status(202).json({});
    else sendGitHubError(res, 409, 'Cannot cancel a workflow run that is completed.', DOCS.cancel);
  });

  router.get('/actions/runs/:run_id/jobs', (req, res) => {
    const run = runById(req.params.run_id);
    if (!run) {
      sendNotFound(res, DOCS.jobs);
      return;
    }
    const jobs = runProgress(run, new Date()).map((job) => jobPayload(links, run, job));
    res.json({ total_count: jobs.length, jobs: paginate(req, res, links.apiUrl, jobs) });
  });

  router.get('/actions/jobs/:job_id', (req, res) => {
    const found = jobById(req.params.job_id);
    const job = found && runProgress(found.run, new Date()).find((view) => view.record.id === found.job.id);
    if (found && job) res.json(jobPayload(links, found.run, job));
    else sendNotFound(res, DOCS.job);
  });

  // GitHub answers with a short-lived signed URL on its blob storage; the sandbox serves the log itself.
  router.get('/actions/jobs/:job_id/logs', (req, res) => {
    const found = jobById(req.params.job_id);
    if (found) res.redirect(302, `${links.apiUrl}${JOB_LOGS_PATH}/${found.job.id}`);
    else sendNotFound(res, DOCS.logs);
  });

  return router;
}

/** Where job logs are downloaded from, like GitHub's blob storage: plain text, no token needed. */
export const JOB_LOGS_PATH = '/_sandbox/logs/jobs';

export function jobLogRoutes(state: SandboxState): Router {
  const router = Router();
  router.get('/:job_id', (req, res) => {
    const found = /^\d+$/.test(req.params.job_id) ? state.world.actions.job(Number(req.params.job_id)) : undefined;
    const job = found && runProgress(found.run, new Date()).find((view) => view.record.id === found.job.id);
    if (!found || !job) {
      res.status(404).type('text/plain').send('The specified blob does not exist.\n');
      return;
    }
    res.type('text/plain; charset=utf-8').send(jobLog(found.run, job));
  });
  return router;
}

/**
 * GitHub's run filters: `event`, `branch`, `status` (a status or a conclusion), `head_sha`, `actor`,
 * `check_suite_id` and `created`. Undefined when `created` does not parse: nothing matches then.
 */
function runFilter(req: Request): ((run: WorkflowRunRecord) => boolean) | undefined {
  const wanted = (name: string) => queryParam(req, name);
  const created = wanted('created');
  const createdMatches = created === undefined ? () => true : createdFilter(created);
  if (!createdMatches) return undefined;
  const event = wanted('event');
  const branch = wanted('branch');
  const status = wanted('status');
  const headSha = wanted('head_sha');
  const actor = wanted('actor');
  const checkSuiteId = wanted('check_suite_id');
  return (run) =>
    (event === undefined || run.event === event) &&
    (branch === undefined || run.headBranch === branch) &&
    (status === undefined || run.status === status || run.conclusion === status) &&
    (headSha === undefined || run.headSha === headSha) &&
    (actor === undefined || run.actor.login.toLowerCase() === actor.toLowerCase()) &&
    (checkSuiteId === undefined || String(run.checkSuiteId) === checkSuiteId) &&
    // GitHub keeps creation times to the second, as its payloads show them.
    createdMatches(new Date(Math.floor(run.createdAt.getTime() / 1000) * 1000));
}
