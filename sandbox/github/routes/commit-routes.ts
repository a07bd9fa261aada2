import { Router } from 'express';
import type { SandboxState } from '../../sandbox-state.js';
import { sendNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { commitPayload, comparisonPayload } from '../payloads/commits.js';
import { pathParam } from '../request-params.js';
import { commitOrUnprocessable } from './resolve-commit.js';

const GET_COMMIT_DOCS = 'https://docs.github.com/rest/commits/commits#get-a-commit';
const COMPARE_DOCS = 'https://docs.github.com/rest/commits/commits#compare-two-commits';

export function commitRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;

  router.get('/commits/*ref', (req, res) => {
    const commit = commitOrUnprocessable(state, res, pathParam(req, 'ref'), GET_COMMIT_DOCS);
    if (!commit) return;
    const payload = commitPayload(links, state.world.repository, commit, { withFiles: true });
    // GitHub pages a commit's files (300 per page by default); `stats` still count them all.
    const files = paginate(req, res, links.apiUrl, payload.files ?? [], { defaultPerPage: 300, maxPerPage: 300 });
    res.json({ ...payload, files });
  });

  router.get('/compare/*basehead', (req, res) => {
    const basehead = pathParam(req, 'basehead');
    const [baseRef, headRef, ...rest] = basehead.split('...');
    const { repository } = state.world;
    const base = baseRef ? repository.resolve(baseRef) : undefined;
    const head = headRef ? repository.resolve(headRef) : undefined;
    if (!base || !head || rest.length > 0) {
      sendNotFound(res, COMPARE_DOCS);
      return;
    }
    res.json(comparisonPayload(links, repository, base, head, basehead));
  });

  return router;
}
