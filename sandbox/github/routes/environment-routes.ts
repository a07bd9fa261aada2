import { Router } from 'express';
import type { SandboxState } from '../../sandbox-state.js';
import { sendNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { environmentPayload, environmentSecrets, environmentVariables } from '../payloads/environments.js';

const GET_ENVIRONMENT_DOCS = 'https://docs.github.com/rest/deployments/environments#get-an-environment';
const SECRETS_DOCS = 'https://docs.github.com/rest/actions/secrets#list-environment-secrets';
const VARIABLES_DOCS = 'https://docs.github.com/rest/actions/variables#list-environment-variables';

export function environmentRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;

  router.get('/environments', (req, res) => {
    const environments = state.world.environments.list().map((environment) => environmentPayload(links, environment));
    res.json({ total_count: environments.length, environments: paginate(req, res, links.apiUrl, environments) });
  });

  router.get('/environments/:name', (req, res) => {
    const environment = state.world.environments.get(req.params.name);
    if (environment) res.json(environmentPayload(links, environment));
    else sendNotFound(res, GET_ENVIRONMENT_DOCS);
  });

  router.get('/environments/:name/secrets', (req, res) => {
    const environment = state.world.environments.get(req.params.name);
    if (!environment) {
      sendNotFound(res, SECRETS_DOCS);
      return;
    }
    const secrets = environmentSecrets(environment);
    res.json({ total_count: secrets.length, secrets: paginate(req, res, links.apiUrl, secrets) });
  });

  router.get('/environments/:name/variables', (req, res) => {
    const environment = state.world.environments.get(req.params.name);
    if (!environment) {
      sendNotFound(res, VARIABLES_DOCS);
      return;
    }
    const variables = environmentVariables(environment);
    // Variables page more finely than most lists: 10 by default, at most 30.
    const page = paginate(req, res, links.apiUrl, variables, { defaultPerPage: 10, maxPerPage: 30 });
    res.json({ total_count: variables.length, variables: page });
  });

  return router;
}
