import { Router } from 'express';
import { z } from 'zod';
import type { DeploymentRecord } from '../../deployments/deployment-store.js';
import { unmetContexts } from '../../deployments/required-contexts.js';
import type { SandboxState } from '../../sandbox-state.js';
import { sendGitHubError, sendNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { deploymentPayload, deploymentStatusPayload } from '../payloads/deployments.js';
import { DEVELOPER } from '../payloads/users.js';
import { checkBody, jsonBody } from '../request-body.js';
import { pathParam, queryParam } from '../request-params.js';

const GET_DEPLOYMENT_DOCS = 'https://docs.github.com/rest/deployments/deployments#get-a-deployment';
const STATUSES_DOCS = 'https://docs.github.com/rest/deployments/statuses#list-deployment-statuses';
const CREATE_DOCS = 'https://docs.github.com/rest/deployments/deployments#create-a-deployment';
const CREATE_STATUS_DOCS = 'https://docs.github.com/rest/deployments/statuses#create-a-deployment-status';

const createDeploymentBody = z
  .object({
    ref: z.string(),
    task: z.string().optional(),
    auto_merge: z.boolean().optional(),
    required_contexts: z.array(z.string()).optional(),
    payload: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    environment: z.string().optional(),
    description: z.string().nullable().optional(),
    transient_environment: z.boolean().optional(),
    production_environment: z.boolean().optional(),
  })
  .strict();

const createStatusBody = z
  .object({
    state: z.enum(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']),
    /** The older name of `log_url`. */
    target_url: z.string().optional(),
    log_url: z.string().optional(),
    description: z.string().optional(),
    environment: z.string().optional(),
    environment_url: z.string().optional(),
    auto_inactive: z.boolean().optional(),
  })
  .strict();

export function deploymentRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;
  const deploymentById = (id: string): DeploymentRecord | undefined =>
    /^\d+$/.test(id) ? state.world.deployments.get(Number(id)) : undefined;

  router.get('/deployments', (req, res) => {
    const matches = (name: string, value: string): boolean => {
      const wanted = queryParam(req, name);
      return wanted === undefined || wanted === value;
    };
    const matching = state.world.deployments
      .list()
      .filter(
        (deployment) =>
          matches('sha', deployment.sha) &&
          matches('ref', deployment.ref) &&
          matches('task', deployment.task) &&
          matches('environment', deployment.environment),
      )
      .map((deployment) => deploymentPayload(links, deployment));
    res.json(paginate(req, res, links.apiUrl, matching));
  });

  // `auto_merge` is accepted but never merges: the sandbox has no merge to offer.
  router.post('/deployments', jsonBody, (req, res) => {
    const checked = checkBody(createDeploymentBody, req.body);
    if (!checked.ok) {
      sendGitHubError(res, checked.status, checked.message, CREATE_DOCS);
      return;
    }
    const input = checked.body;
    const { repository, ci, deployments, environments } = state.world;
    const commit = repository.resolve(input.ref);
    if (!commit) {
      sendGitHubError(res, 422, `No ref found for: ${input.ref}`, CREATE_DOCS);
      return;
    }
    if (unmetContexts(ci, commit.sha, input.required_contexts).length > 0) {
      sendGitHubError(res, 409, `Conflict: Commit status checks failed for ${input.ref}.`, CREATE_DOCS);
      return;
    }
    const environment = input.environment ?? 'production';
    const now = new Date();
    // Deploying to an environment that does not exist yet creates it, as on GitHub.
    if (!environments.get(environment)) environments.put(environment, { secrets: [], variables: {} }, now);
    const deployment = deployments.create({
      sha: commit.sha,
      ref: input.ref,
      task: input.task ?? 'deploy',
      environment,
      description: input.description ?? '',
      payload: input.payload ?? {},
      creator: DEVELOPER,
      createdAt: now,
      productionEnvironment: input.production_environment ?? environment === 'production',
      transientEnvironment: input.transient_environment ?? false,
    });
    res.status(201).json(deploymentPayload(links, deployment));
  });

  router.post('/deployments/:id/statuses', jsonBody, (req, res) => {
    const deployment = deploymentById(pathParam(req, 'id'));
    if (!deployment) {
      sendNotFound(res, CREATE_STATUS_DOCS);
      return;
    }
    const checked = checkBody(createStatusBody, req.body);
    if (!checked.ok) {
      sendGitHubError(res, checked.status, checked.message, CREATE_STATUS_DOCS);
      return;
    }
    const input = checked.body;
    const { deployments } = state.world;
    const now = new Date();
    if (input.environment) deployment.environment = input.environment;
    const status = deployments.addStatus(deployment, {
      state: input.state,
      description: input.description ?? '',
      environmentUrl: input.environment_url ?? '',
      logUrl: input.log_url ?? input.target_url ?? '',
      creator: DEVELOPER,
      createdAt: now,
    });
    if (input.state === 'success' && (input.auto_inactive ?? true)) {
      deployments.deactivateOthers(deployment, DEVELOPER, now);
    }
    res.status(201).json(deploymentStatusPayload(links, deployment, status));
  });

  router.get('/deployments/:id', (req, res) => {
    const deployment = deploymentById(req.params.id);
    if (deployment) res.json(deploymentPayload(links, deployment));
    else sendNotFound(res, GET_DEPLOYMENT_DOCS);
  });

  router.get('/deployments/:id/statuses', (req, res) => {
    const deployment = deploymentById(req.params.id);
    if (!deployment) {
      sendNotFound(res, STATUSES_DOCS);
      return;
    }
    const statuses = [...deployment.statuses]
      .reverse()
      .map((status) => deploymentStatusPayload(links, deployment, status));
    res.json(paginate(req, res, links.apiUrl, statuses));
  });

  return router;
}
