import type { ResolvedRef } from '../../domain/resolved-ref.js';
import type { GitHubRepo } from './client.js';
import { hasStatus, withGitHubErrors } from './errors.js';

async function refExists(github: GitHubRepo, ref: string): Promise<boolean> {
  try {
    await github.octokit.rest.git.getRef({ owner: github.owner, repo: github.repo, ref });
    return true;
  } catch (error) {
    if (hasStatus(error, 404)) return false;
    throw error;
  }
}

export function gitRefActivities(github: GitHubRepo) {
  return {
    /** The commit a branch, tag or SHA names, or null when the repository has no such ref. */
    async resolveGitRef(ref: string): Promise<ResolvedRef | null> {
      return withGitHubErrors(`resolving git ref ${ref}`, async () => {
        // All three at once: resolving is on the critical path of every validation.
        const [commit, isBranch, isTag] = await Promise.all([
          github.octokit.rest.repos
            .getCommit({ owner: github.owner, repo: github.repo, ref, per_page: 1 })
            .then((response) => response.data.sha)
            .catch((error: unknown) => {
              if (hasStatus(error, 404, 422)) return null;
              throw error;
            }),
          refExists(github, `heads/${ref}`),
          refExists(github, `tags/${ref}`),
        ]);
        if (commit === null) return null;
        if (isBranch) return { ref, sha: commit, kind: 'branch', fullRef: `refs/heads/${ref}` };
        if (isTag) return { ref, sha: commit, kind: 'tag', fullRef: `refs/tags/${ref}` };
        return { ref, sha: commit, kind: 'commit', fullRef: null };
      });
    },
  };
}
