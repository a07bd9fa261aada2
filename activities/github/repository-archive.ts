import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import type { GitHubRepo } from './client.js';

/** What a visitor gets for each regular file of the archive: its path in the repository and, when read, its bytes. */
export interface ArchiveFile {
  path: string;
  size: number;
}

export interface ArchiveVisitor {
  /** Whether to read this file's bytes; a file not wanted is skipped without being held in memory. */
  wants(file: ArchiveFile): boolean;
  read(file: ArchiveFile, content: Buffer): void;
}

/** Drops the archive's single top folder (`{owner}-{repo}-{short sha}/`), leaving the path in the repository. */
function repositoryPath(name: string): string {
  return name.slice(name.indexOf('/') + 1);
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function visitEntries(entries: ReturnType<typeof extract>, visitor: ArchiveVisitor): Promise<void> {
  for await (const entry of entries) {
    const header: Header = entry.header;
    const file = { path: repositoryPath(header.name), size: header.size ?? 0 };
    // Folders, symlinks and submodules hold no file content of this repository.
    if (header.type === 'file' && visitor.wants(file)) visitor.read(file, await collect(entry));
    else entry.resume();
  }
}

/**
 * Every file of the commit, from one GitHub request: the tarball (`GET /tarball/{ref}`, which GitHub answers with a
 * redirect to its download host), gunzipped and read entry by entry as it arrives, so the whole archive is never in
 * memory.
 */
export async function visitCommitFiles(github: GitHubRepo, sha: string, visitor: ArchiveVisitor): Promise<void> {
  const response = await github.octokit.rest.repos.downloadTarballArchive({
    owner: github.owner,
    repo: github.repo,
    ref: sha,
    request: { parseSuccessResponseBody: false },
  });
  // With parseSuccessResponseBody off, Octokit hands back fetch's body stream untouched.
  const body = Readable.fromWeb(response.data as unknown as WebReadableStream<Uint8Array>);
  const entries = extract();
  await Promise.all([pipeline(body, createGunzip(), entries), visitEntries(entries, visitor)]);
}
