import type { components } from '@octokit/openapi-types';
import { gitBlobSha } from '../../git/git-objects.js';
import { diffLines } from '../../git/line-diff.js';
import type { CommitRecord, Repository } from '../../git/repository.js';
import { legacyNodeId } from '../../ids.js';
import { githubTimestamp } from '../../timestamps.js';
import type { GitHubLinks } from '../links.js';
import { DEVELOPER, simpleUser } from './users.js';

export type CommitPayload = components['schemas']['commit'];
export type DiffEntry = components['schemas']['diff-entry'];
export type CommitComparison = components['schemas']['commit-comparison'];

/** A commit as `GET /commits/{ref}` returns it; `files` and `stats` only when asked for, as in compare lists. */
export function commitPayload(
  links: GitHubLinks,
  repository: Repository,
  commit: CommitRecord,
  options: { withFiles: boolean },
): CommitPayload {
  const gitUser = { name: commit.author.name, email: commit.author.email, date: githubTimestamp(commit.date) };
  const account = simpleUser(links, DEVELOPER);
  const payload: CommitPayload = {
    sha: commit.sha,
    node_id: legacyNodeId('Commit', commit.sha),
    commit: {
      author: gitUser,
      committer: gitUser,
      message: commit.message,
      tree: { sha: commit.treeSha, url: links.api(`/git/trees/${commit.treeSha}`) },
      url: links.api(`/git/commits/${commit.sha}`),
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: links.api(`/commits/${commit.sha}`),
    html_url: links.html(`/commit/${commit.sha}`),
    comments_url: links.api(`/commits/${commit.sha}/comments`),
    author: account,
    committer: account,
    parents: commit.parentSha
      ? [
          {
            sha: commit.parentSha,
            url: links.api(`/commits/${commit.parentSha}`),
            html_url: links.html(`/commit/${commit.parentSha}`),
          },
        ]
      : [],
  };
  if (!options.withFiles) return payload;
  const parent = commit.parentSha ? repository.commit(commit.parentSha) : undefined;
  const files = diffEntries(links, parent?.files ?? new Map(), commit.files, commit.sha);
  const additions = files.reduce((sum, file) => sum + file.additions, 0);
  const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
  return { ...payload, stats: { total: additions + deletions, additions, deletions }, files };
}

/** The changed files between two trees, in path order, with patches; links point at `commitSha`. */
function diffEntries(
  links: GitHubLinks,
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  commitSha: string,
): DiffEntry[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.flatMap((path): DiffEntry[] => {
    const previous = before.get(path);
    const current = after.get(path);
    if (previous === current) return [];
    const diff = diffLines(previous ?? '', current ?? '');
    return [
      {
        // GitHub reports the removed blob's SHA for deletions.
        sha: gitBlobSha(current ?? previous ?? ''),
        filename: path,
        status: previous === undefined ? 'added' : current === undefined ? 'removed' : 'modified',
        additions: diff.additions,
        deletions: diff.deletions,
        changes: diff.additions + diff.deletions,
        blob_url: links.blobHtml(commitSha, path),
        raw_url: links.raw(commitSha, path),
        contents_url: links.contents(path, commitSha),
        patch: diff.patch,
      },
    ];
  });
}

/** GitHub's three-dot comparison: changes on `head` since it forked from `base`. */
export function comparisonPayload(
  links: GitHubLinks,
  repository: Repository,
  base: CommitRecord,
  head: CommitRecord,
  basehead: string,
): CommitComparison {
  // All commits have one parent, so the commits on either side are the history down to the merge base.
  const mergeBase = repository.mergeBase(base.sha, head.sha) ?? base;
  const ahead = commitsSince(repository.history(head.sha), mergeBase.sha);
  const behindBy = commitsSince(repository.history(base.sha), mergeBase.sha).length;
  const aheadBy = ahead.length;
  const status =
    aheadBy === 0 && behindBy === 0 ? 'identical' : behindBy === 0 ? 'ahead' : aheadBy === 0 ? 'behind' : 'diverged';
  return {
    url: links.api(`/compare/${basehead}`),
    html_url: links.html(`/compare/${basehead}`),
    permalink_url: links.html(
      `/compare/${links.owner}:${base.sha.slice(0, 7)}...${links.owner}:${head.sha.slice(0, 7)}`,
    ),
    diff_url: links.html(`/compare/${basehead}.diff`),
    patch_url: links.html(`/compare/${basehead}.patch`),
    base_commit: commitPayload(links, repository, base, { withFiles: false }),
    merge_base_commit: commitPayload(links, repository, mergeBase, { withFiles: false }),
    status,
    ahead_by: aheadBy,
    behind_by: behindBy,
    total_commits: aheadBy,
    commits: [...ahead].reverse().map((commit) => commitPayload(links, repository, commit, { withFiles: false })),
    // GitHub lists at most 300 changed files in a comparison, without saying that more were left out.
    files: diffEntries(links, mergeBase.files, head.files, head.sha).slice(0, COMPARE_MAX_FILES),
  };
}

const COMPARE_MAX_FILES = 300;

/** The commits of a newest-first history above `sha`. */
function commitsSince(history: readonly CommitRecord[], sha: string): CommitRecord[] {
  const index = history.findIndex((commit) => commit.sha === sha);
  return index === -1 ? [...history] : history.slice(0, index);
}
