import type { GitHubRepo } from './client.js';
import { withGitHubErrors } from './errors.js';

/** GitHub lists up to 250 commits per comparison page; 100 a page keeps each answer small. */
const COMMITS_PER_PAGE = 100;
/** Comparisons read at once: a few, so a long history never bursts into GitHub's secondary rate limit. */
const CONCURRENT_COMPARISONS = 4;

export interface CommitTimesInput {
  /** `base...head` commit pairs. */
  comparisons: string[];
}

export interface CommitTimesResult {
  /** Per comparison, the committer time of each commit ahead of its base (none when head is behind or equal). */
  times: Record<string, string[]>;
  /** GitHub requests made, for the budget. */
  requests: number;
}

/** The commits one comparison lists, page by page until GitHub's `total_commits` are read. */
async function commitTimes(github: GitHubRepo, basehead: string, count: () => void): Promise<string[]> {
  const times: string[] = [];
  for (let page = 1; ; page++) {
    count();
    const { data } = await github.octokit.rest.repos.compareCommitsWithBasehead({
      owner: github.owner,
      repo: github.repo,
      basehead,
      per_page: COMMITS_PER_PAGE,
      page,
    });
    for (const commit of data.commits) {
      const when = commit.commit.committer?.date ?? commit.commit.author?.date;
      if (when) times.push(when);
    }
    if (data.commits.length < COMMITS_PER_PAGE || times.length >= data.total_commits) return times;
  }
}

export function commitTimesActivities(github: GitHubRepo) {
  return {
    /** The commit times of each comparison (lead time for changes); their answers never change for two commits. */
    async readCommitTimes({ comparisons }: CommitTimesInput): Promise<CommitTimesResult> {
      let requests = 0;
      const times: Record<string, string[]> = {};
      const queue = [...comparisons];
      const reader = async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          const basehead = next;
          times[basehead] = await withGitHubErrors(`comparing ${basehead}`, () =>
            commitTimes(github, basehead, () => requests++),
          );
        }
      };
      await Promise.all(Array.from({ length: CONCURRENT_COMPARISONS }, reader));
      return { times, requests };
    },
  };
}
