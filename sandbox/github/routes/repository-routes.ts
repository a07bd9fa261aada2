import type { components } from '@octokit/openapi-types';
import { Router } from 'express';
import { legacyNodeId } from '../../ids.js';
import type { SandboxState } from '../../sandbox-state.js';
import { paginate } from '../pagination.js';
import { fullRepository } from '../payloads/repository.js';

type ShortBranch = components['schemas']['short-branch'];
type Tag = components['schemas']['tag'];

export function repositoryRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;

  router.get('/', (_req, res) => {
    res.json(fullRepository(links, state.world.repository));
  });

  router.get('/branches', (req, res) => {
    const { repository } = state.world;
    const branches = repository.branches().map(
      ([name, sha]): ShortBranch => ({
        name,
        commit: { sha, url: links.api(`/commits/${sha}`) },
        protected: name === repository.defaultBranch,
        protection_url: links.api(`/branches/${encodeURIComponent(name)}/protection`),
      }),
    );
    res.json(paginate(req, res, links.apiUrl, branches));
  });

  router.get('/tags', (req, res) => {
    const tags = state.world.repository.tags().map(
      ([name, sha]): Tag => ({
        name,
        commit: { sha, url: links.api(`/commits/${sha}`) },
        zipball_url: links.api(`/zipball/refs/tags/${encodeURIComponent(name)}`),
        tarball_url: links.api(`/tarball/refs/tags/${encodeURIComponent(name)}`),
        node_id: legacyNodeId('Ref', `refs/tags/${name}`),
      }),
    );
    res.json(paginate(req, res, links.apiUrl, tags));
  });

  return router;
}
