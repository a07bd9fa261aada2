import type { Response } from 'express';
import type { CommitRecord } from '../../git/repository.js';
import type { SandboxState } from '../../sandbox-state.js';
import { sendGitHubError } from '../errors.js';

/** Resolves a commit-ish, answering GitHub's 422 for an unknown one (GitHub does not say 404 here). */
export function commitOrUnprocessable(
  state: SandboxState,
  res: Response,
  ref: string,
  documentationUrl: string,
): CommitRecord | undefined {
  const commit = state.world.repository.resolve(ref);
  if (!commit) sendGitHubError(res, 422, `No commit found for SHA: ${ref}`, documentationUrl);
  return commit;
}
