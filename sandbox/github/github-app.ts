import express, { type ErrorRequestHandler, type Express } from 'express';
import { controlRoutes } from '../control/control-routes.js';
import type { SandboxState } from '../sandbox-state.js';
import { REST_DOCS, sendGitHubError, sendNotFound } from './errors.js';
import { authenticate } from './middleware/authenticate.js';
import { injectFaults } from './middleware/fault-injection.js';
import { logRequests } from './middleware/request-logging.js';
import { actionsRoutes, JOB_LOGS_PATH, jobLogRoutes } from './routes/actions-routes.js';
import { alertRoutes } from './routes/alert-routes.js';
import { archiveRoutes, CODELOAD_PATH, codeloadRoutes } from './routes/archive-routes.js';
import { ciRoutes } from './routes/ci-routes.js';
import { commitRoutes } from './routes/commit-routes.js';
import { contentsRoutes, rawContentRoutes } from './routes/contents-routes.js';
import { deploymentRoutes } from './routes/deployment-routes.js';
import { environmentRoutes } from './routes/environment-routes.js';
import { gitRoutes } from './routes/git-routes.js';
import { repositoryRoutes } from './routes/repository-routes.js';

export interface GitHubAppOptions {
  state: SandboxState;
  token: string;
  /** Aborted when the sandbox closes, so delayed answers stop waiting. */
  shutdown: AbortSignal;
}

/** The GitHub REST API stand-in, with the unauthenticated control API under `/_sandbox`. */
export function createGitHubApp({ state, token, shutdown }: GitHubAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // Job logs and archives stand in for GitHub's blob storage and codeload host: outside the REST API (unauthenticated,
  // unlogged, not rate-limited), so mounted before everything else.
  app.use(JOB_LOGS_PATH, jobLogRoutes(state));
  app.use(CODELOAD_PATH, codeloadRoutes(state));
  app.use('/_sandbox', controlRoutes(state));

  app.use(logRequests(state), authenticate(state, token), injectFaults(state, shutdown));

  // Owner and repository names are case-insensitive on GitHub; any other repository does not exist.
  const { owner, repo } = state.links;
  const repositoryPath = new RegExp(`^/repos/${owner}/${repo}(?=/|$)`, 'i');
  const knownRepository = express.Router();
  for (const routes of [
    repositoryRoutes,
    ciRoutes,
    commitRoutes,
    gitRoutes,
    archiveRoutes,
    contentsRoutes,
    environmentRoutes,
    alertRoutes,
    deploymentRoutes,
    actionsRoutes,
  ]) {
    knownRepository.use(routes(state));
  }
  app.use(repositoryPath, knownRepository);
  app.use(new RegExp(`^/${owner}/${repo}(?=/|$)`, 'i'), rawContentRoutes(state));

  app.use((_req, res) => sendNotFound(res, REST_DOCS));
  app.use(serverError);
  return app;
}

const serverError: ErrorRequestHandler = (_error, _req, res, _next) => {
  sendGitHubError(res, 500, 'Server Error');
};
