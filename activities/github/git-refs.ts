import type { ResolvedRef } from '../../domain/resolved-ref.js';
import type { GitHubRepo } from './client.js';
import { nullWhenStatus, withGitHubErrors } from './errors.js';

async function refExists(github: GitHubRepo, ref: string): Promise<boolean> {
  return (
    (await nullWhenStatus(github.octokit.rest.git.getRef({ owner: github.owner, repo: github.repo, ref }), 404)) !==
    null
  );
}

export function gitRefActivities(github: GitHubRepo) {
  return {
    /** The commit a branch, tag or SHA names, or null when the repository has no such ref. */
    async resolveGitRef(ref: string): Promise<ResolvedRef | null> {
      return withGitHubErrors(`resolving git ref ${ref}`, async () => {
        // All three at once: resolving is on the critical path of every validation. GitHub answers an unknown ref
        // with 422; its 404 means the repository itself is missing or hidden, which must not read as "no such ref".
        const [commit, isBranch, isTag] = await Promise.all([
          nullWhenStatus(
            github.octokit.rest.repos.getCommit({ owner: github.owner, repo: github.repo, ref, per_page: 1 }),
            422,
          ),
          refExists(github, `heads/${ref}`),
          refExists(github, `tags/${ref}`),
        ]);
        if (commit === null) return null;
        const sha = commit.data.sha;
        if (isBranch) return { ref, sha, kind: 'branch', fullRef: `refs/heads/${ref}` };
        if (isTag) return { ref, sha, kind: 'tag', fullRef: `refs/tags/${ref}` };
        return { ref, sha, kind: 'commit', fullRef: null };
      });
    },
  };
}
