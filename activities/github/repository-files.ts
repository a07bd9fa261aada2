import type { GitHubRepo } from './client.js';
import { nullWhenStatus } from './errors.js';

/** The contents API's answer for a path at a commit, or null when there is nothing at that path. */
async function contentAt(github: GitHubRepo, path: string, sha: string) {
  const response = await nullWhenStatus(
    github.octokit.rest.repos.getContent({ owner: github.owner, repo: github.repo, path, ref: sha }),
    404,
  );
  return response?.data ?? null;
}

/** A file's text at a commit, or null when the file is not there (or is not a file). */
export async function readFileAt(github: GitHubRepo, path: string, sha: string): Promise<string | null> {
  const data = await contentAt(github, path, sha);
  if (!data || Array.isArray(data) || data.type !== 'file' || !('content' in data)) return null;
  return Buffer.from(data.content, 'base64').toString('utf8');
}

/** Paths of the files directly in a folder at a commit; empty when the folder does not exist. */
export async function listFolderAt(github: GitHubRepo, path: string, sha: string): Promise<string[]> {
  const data = await contentAt(github, path, sha);
  return Array.isArray(data) ? data.filter((entry) => entry.type === 'file').map((entry) => entry.path) : [];
}
