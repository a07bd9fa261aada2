import type { GitHubRepo } from './client.js';

/** Path → blob SHA of every file under a folder at a commit (nested folders included); empty when there is none. */
export type FolderListing = ReadonlyMap<string, string>;

type TreeEntries = Array<{ path?: string; type?: string; sha?: string }>;

function blobsUnder(entries: TreeEntries, prefix: string): Map<string, string> {
  return new Map(
    entries
      .filter((entry) => entry.type === 'blob' && entry.sha !== undefined && entry.path?.startsWith(prefix))
      .map((entry) => [entry.path as string, entry.sha as string]),
  );
}

/**
 * Reads the folder's files from the commit's git tree: one recursive listing of the whole tree, filtered to the
 * folder. Unlike the compare API (300 files at most) or the contents API (1,000), nothing is cut short at any size of
 * diff. GitHub cuts a recursive listing past 100,000 entries; then the folder is reached by walking down to it, one
 * request per path segment, and listed alone.
 */
export async function filesUnderFolderAt(github: GitHubRepo, folder: string, sha: string): Promise<FolderListing> {
  const repo = { owner: github.owner, repo: github.repo };
  const prefix = `${folder}/`;
  const { data: whole } = await github.octokit.rest.git.getTree({ ...repo, tree_sha: sha, recursive: 'true' });
  if (!whole.truncated) return blobsUnder(whole.tree, prefix);
  let treeSha = sha;
  for (const segment of folder.split('/')) {
    const { data } = await github.octokit.rest.git.getTree({ ...repo, tree_sha: treeSha });
    const next = data.tree.find((entry) => entry.path === segment && entry.type === 'tree');
    if (!next?.sha) return new Map();
    treeSha = next.sha;
  }
  const { data } = await github.octokit.rest.git.getTree({ ...repo, tree_sha: treeSha, recursive: 'true' });
  if (data.truncated) throw new Error(`GitHub truncated the git tree of ${folder}, so not every file in it is listed`);
  return blobsUnder(
    data.tree.map((entry) => ({ ...entry, path: `${prefix}${entry.path}` })),
    prefix,
  );
}

/** A blob's text, by its SHA. */
export async function readBlobText(github: GitHubRepo, blobSha: string): Promise<string> {
  const { data } = await github.octokit.rest.git.getBlob({ owner: github.owner, repo: github.repo, file_sha: blobSha });
  return Buffer.from(data.content, 'base64').toString('utf8');
}
