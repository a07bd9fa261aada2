import type { components } from '@octokit/openapi-types';
import { Router } from 'express';
import { legacyNodeId } from '../../ids.js';
import type { SandboxState } from '../../sandbox-state.js';
import { sendNotFound } from '../errors.js';
import type { GitHubLinks } from '../links.js';
import { blobPayload, treePayload } from '../payloads/contents.js';
import { pathParam, queryParam } from '../request-params.js';

type GitRef = components['schemas']['git-ref'];

const GET_REF_DOCS = 'https://docs.github.com/rest/git/refs#get-a-reference';
const TREE_DOCS = 'https://docs.github.com/rest/git/trees#get-a-tree';
const BLOB_DOCS = 'https://docs.github.com/rest/git/blobs#get-a-blob';

export function gitRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;

  // Like GitHub, only fully qualified names (`heads/main`, `tags/v1.0.0`) work here, never a bare SHA.
  router.get('/git/ref/*ref', (req, res) => {
    const name = pathParam(req, 'ref').replace(/^refs\//, '');
    const sha = state.world.repository.qualifiedRef(name);
    if (!sha) {
      sendNotFound(res, GET_REF_DOCS);
      return;
    }
    res.json(gitRefPayload(links, `refs/${name}`, sha));
  });

  router.get('/git/matching-refs{/*ref}', (req, res) => {
    const prefix = `refs/${pathParam(req, 'ref').replace(/^refs\//, '')}`;
    const refs = state.world.repository
      .refs()
      .filter(([ref]) => ref.startsWith(prefix))
      .map(([ref, sha]) => gitRefPayload(links, ref, sha));
    res.json(refs);
  });

  // Accepts a tree SHA, or a commit-ish whose root tree is meant, as GitHub does.
  router.get('/git/trees/*tree', (req, res) => {
    const { repository } = state.world;
    const requested = pathParam(req, 'tree');
    const treeSha = repository.objects.tree(requested) ? requested : repository.resolve(requested)?.treeSha;
    if (!treeSha) {
      sendNotFound(res, TREE_DOCS);
      return;
    }
    const recursive = queryParam(req, 'recursive') !== undefined;
    res.json(treePayload(links, repository.objects, treeSha, recursive, repository.recursiveTreeLimit));
  });

  router.get('/git/blobs/:sha', (req, res) => {
    const content = state.world.repository.objects.blob(req.params.sha);
    if (content === undefined) {
      sendNotFound(res, BLOB_DOCS);
      return;
    }
    res.json(blobPayload(links, req.params.sha, content));
  });

  return router;
}

// The sandbox only has lightweight tags, so every ref points straight at a commit.
function gitRefPayload(links: GitHubLinks, ref: string, sha: string): GitRef {
  return {
    ref,
    node_id: legacyNodeId('Ref', ref),
    url: links.api(`/git/${ref}`),
    object: { type: 'commit', sha, url: links.api(`/git/commits/${sha}`) },
  };
}
