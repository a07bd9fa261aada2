import { Router } from 'express';
import type { SandboxState } from '../../sandbox-state.js';
import { paginate } from '../pagination.js';
import { checkRunPayload, combinedStatusPayload } from '../payloads/checks.js';
import { pathParam, queryParam } from '../request-params.js';
import { commitOrUnprocessable } from './resolve-commit.js';

const CHECK_RUNS_DOCS = 'https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference';
const COMBINED_STATUS_DOCS =
  'https://docs.github.com/rest/commits/statuses#get-the-combined-status-for-a-specific-reference';

/** Check runs and the combined commit status. Mounted before the commit routes, whose `/commits/*ref` would swallow these. */
export function ciRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;

  router.get('/commits/*ref/check-runs', (req, res) => {
    const commit = commitOrUnprocessable(state, res, pathParam(req, 'ref'), CHECK_RUNS_DOCS);
    if (!commit) return;
    const checkName = queryParam(req, 'check_name');
    const status = queryParam(req, 'status');
    const runs = state.world.ci
      .checkRuns(commit.sha)
      .filter(
        (run) => (checkName === undefined || run.name === checkName) && (status === undefined || run.status === status),
      )
      .map((run) => checkRunPayload(links, commit.sha, run));
    const page = paginate(req, res, links.apiUrl, runs);
    res.json({ total_count: runs.length, check_runs: page });
  });

  router.get('/commits/*ref/status', (req, res) => {
    const commit = commitOrUnprocessable(state, res, pathParam(req, 'ref'), COMBINED_STATUS_DOCS);
    if (!commit) return;
    const combined = combinedStatusPayload(links, commit.sha, state.world.ci.statuses(commit.sha));
    res.json({ ...combined, statuses: paginate(req, res, links.apiUrl, combined.statuses) });
  });

  return router;
}
