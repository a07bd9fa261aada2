import type { GitHubRepo } from './client.js';
import { withGitHubErrors } from './errors.js';

/** GitHub lists up to 250 commits per comparison page; 100 a page keeps each answer small. */
const COMMITS_PER_PAGE = 100;
/** Comparisons read at once: a few, so a long history never bursts into GitHub's secondary rate limit. */
const CONCURRENT_COMPARISONS = 4;

export interface CommitTimesInput {
  /** `base...head` commit pairs. */
  comparisons: string[];
  /**
   * A comparison listing more commits than this is left out of `times` after its first page, so a huge one costs one
   * request (the deployment recording its commits at go-live keeps its memo small). Absent: every commit is read.
   */
  maxCommits?: number;
}

export interface CommitTimesResult {
  /**
   * Per comparison, the committer time of each commit ahead of its base (none when head is behind or equal); a
   * comparison over `maxCommits` is absent.
   */
  times: Record<string, string[]>;
  /** GitHub requests made, for the budget. */
  requests: number;
}

/** The commits one comparison lists, page by page until GitHub's `total_commits` are read; null over `maxCommits`. */
async function commitTimes(
  github: GitHubRepo,
  basehead: string,
  maxCommits: number,
  count: () => void,
): Promise<string[] | null> {
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
    if (data.total_commits > maxCommits) return null;
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
    async readCommitTimes({
      comparisons,
      maxCommits = Number.POSITIVE_INFINITY,
    }: CommitTimesInput): Promise<CommitTimesResult> {
      let requests = 0;
      const times: Record<string, string[]> = {};
      const queue = [...comparisons];
      const reader = async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          const basehead = next;
          const listed = await withGitHubErrors(`comparing ${basehead}`, () =>
            commitTimes(github, basehead, maxCommits, () => requests++),
          );
          if (listed) times[basehead] = listed;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENT_COMPARISONS }, reader));
      return { times, requests };
    },
  };
}
