import { Router } from 'express';
import type { SandboxState } from '../../sandbox-state.js';
import { sendGitHubError, sendNotFound } from '../errors.js';
import { directoryPayload, fileContentPayload } from '../payloads/contents.js';
import { pathParam, queryParam } from '../request-params.js';

const CONTENTS_DOCS = 'https://docs.github.com/rest/repos/contents#get-repository-content';

export function contentsRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;

  router.get('/contents{/*path}', (req, res) => {
    const { repository } = state.world;
    const ref = queryParam(req, 'ref') ?? repository.defaultBranch;
    const commit = repository.resolve(ref);
    if (!commit) {
      sendGitHubError(res, 404, `No commit found for the ref ${ref}`, CONTENTS_DOCS);
      return;
    }
    const path = pathParam(req, 'path').replace(/\/+$/, '');
    const content = commit.files.get(path);
    if (content !== undefined) {
      res.json(fileContentPayload(links, ref, path, content));
      return;
    }
    const treeSha = treeAt(state, commit.treeSha, path);
    const entries = treeSha ? repository.objects.tree(treeSha) : undefined;
    if (!entries) {
      sendNotFound(res, CONTENTS_DOCS);
      return;
    }
    res.json(directoryPayload(links, ref, path, entries));
  });

  return router;
}

/** Raw file bytes at `/{owner}/{repo}/raw/{ref}/{path}`, where the payloads' `download_url` and `raw_url` point. */
export function rawContentRoutes(state: SandboxState): Router {
  const router = Router({ mergeParams: true });

  router.get('/raw/:ref/*path', (req, res) => {
    const content = state.world.repository.resolve(req.params.ref)?.files.get(pathParam(req, 'path'));
    if (content === undefined) {
      res.status(404).type('text/plain').send('404: Not Found');
      return;
    }
    res.type('text/plain').send(content);
  });

  return router;
}

function treeAt(state: SandboxState, rootTreeSha: string, directory: string): string | undefined {
  let treeSha: string | undefined = rootTreeSha;
  for (const segment of directory === '' ? [] : directory.split('/')) {
    treeSha = state.world.repository.objects
      .tree(treeSha)
      ?.find((entry) => entry.type === 'tree' && entry.name === segment)?.sha;
    if (!treeSha) return undefined;
  }
  return treeSha;
}
