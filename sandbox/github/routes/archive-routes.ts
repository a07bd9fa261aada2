import { Router } from 'express';
import { archiveFolder, commitTarball } from '../../git/tarball.js';
import type { SandboxState } from '../../sandbox-state.js';
import { sendNotFound } from '../errors.js';
import { pathParam } from '../request-params.js';

const TARBALL_DOCS = 'https://docs.github.com/rest/repos/contents#download-a-repository-archive-tar';

/** Where archives are downloaded from, like GitHub's codeload host: the redirect's target, outside the REST API. */
export const CODELOAD_PATH = '/_sandbox/codeload';

/** `GET /tarball/{ref}`: like GitHub, one API request answered with a 302 to the download host. */
export function archiveRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;
  router.get('/tarball{/*ref}', (req, res) => {
    const { repository } = state.world;
    const commit = repository.resolve(pathParam(req, 'ref') || repository.defaultBranch);
    if (!commit) {
      sendNotFound(res, TARBALL_DOCS);
      return;
    }
    res.redirect(302, `${links.apiUrl}${CODELOAD_PATH}/${links.fullName}/legacy.tar.gz/${commit.sha}`);
  });
  return router;
}

/** The download host: the commit's gzipped tarball under its single top folder `{owner}-{repo}-{short sha}/`. */
export function codeloadRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;
  router.get('/:owner/:repo/legacy.tar.gz/:sha', (req, res) => {
    const commit = state.world.repository.commit(req.params.sha);
    if (!commit || req.params.owner !== links.owner || req.params.repo !== links.repo) {
      res.status(404).type('text/plain').send('404: Not Found');
      return;
    }
    const folder = archiveFolder(links.owner, links.repo, commit.sha);
    res.status(200).type('application/x-gzip');
    res.setHeader('content-disposition', `attachment; filename=${folder}.tar.gz`);
    commitTarball(commit, folder).pipe(res);
  });
  return router;
}
