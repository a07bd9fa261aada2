import type { GitHubRepo } from './client.js';
import { hasStatus } from './errors.js';

/** A file's text at a commit, or null when the file is not there (or is not a file). */
export async function readFileAt(github: GitHubRepo, path: string, sha: string): Promise<string | null> {
  try {
    const { data } = await github.octokit.rest.repos.getContent({
      owner: github.owner,
      repo: github.repo,
      path,
      ref: sha,
    });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return null;
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (error) {
    if (hasStatus(error, 404)) return null;
    throw error;
  }
}

/** Paths of the files directly in a folder at a commit; empty when the folder does not exist. */
export async function listFolderAt(github: GitHubRepo, path: string, sha: string): Promise<string[]> {
  try {
    const { data } = await github.octokit.rest.repos.getContent({
      owner: github.owner,
      repo: github.repo,
      path,
      ref: sha,
    });
    return Array.isArray(data) ? data.filter((entry) => entry.type === 'file').map((entry) => entry.path) : [];
  } catch (error) {
    if (hasStatus(error, 404)) return [];
    throw error;
  }
}
