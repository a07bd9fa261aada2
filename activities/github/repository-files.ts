import type { GitHubRepo } from './client.js';

/** Path → blob SHA of every file under a folder at a commit (nested folders included); empty when there is none. */
export type FolderListing = ReadonlyMap<string, string>;

/**
 * Reads the folder's git tree at the commit: one request per path segment to walk down to it, then one recursive
 * listing of the folder alone. Unlike the compare API (300 files at most) or the contents API (1,000), nothing is cut
 * short at any size of repository or diff; GitHub only truncates a tree of 100,000 entries, which is reported.
 */
export async function filesUnderFolderAt(github: GitHubRepo, folder: string, sha: string): Promise<FolderListing> {
  const repo = { owner: github.owner, repo: github.repo };
  let treeSha = sha;
  for (const segment of folder.split('/').filter((part) => part.length > 0)) {
    const { data } = await github.octokit.rest.git.getTree({ ...repo, tree_sha: treeSha });
    const next = data.tree.find((entry) => entry.path === segment && entry.type === 'tree');
    if (!next?.sha) return new Map();
    treeSha = next.sha;
  }
  const { data } = await github.octokit.rest.git.getTree({ ...repo, tree_sha: treeSha, recursive: 'true' });
  if (data.truncated) throw new Error(`GitHub truncated the git tree of ${folder}, so not every file in it is listed`);
  return new Map(
    data.tree
      .filter((entry) => entry.type === 'blob' && entry.path !== undefined && entry.sha !== undefined)
      .map((entry) => [`${folder}/${entry.path}`, entry.sha as string]),
  );
}

/** A blob's text, by its SHA. */
export async function readBlobText(github: GitHubRepo, blobSha: string): Promise<string> {
  const { data } = await github.octokit.rest.git.getBlob({ owner: github.owner, repo: github.repo, file_sha: blobSha });
  return Buffer.from(data.content, 'base64').toString('utf8');
}
