import { Router } from 'express';
import type { DeploymentRecord } from '../../deployments/deployment-store.js';
import type { SandboxState } from '../../sandbox-state.js';
import { sendNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { deploymentPayload, deploymentStatusPayload } from '../payloads/deployments.js';
import { queryParam } from '../request-params.js';

const GET_DEPLOYMENT_DOCS = 'https://docs.github.com/rest/deployments/deployments#get-a-deployment';
const STATUSES_DOCS = 'https://docs.github.com/rest/deployments/statuses#list-deployment-statuses';

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
