import type { components } from '@octokit/openapi-types';
import { gitBlobSha, type ObjectStore, type TreeEntry } from '../../git/git-objects.js';
import { legacyNodeId } from '../../ids.js';
import { encodePath, type GitHubLinks } from '../links.js';

export type ContentFile = components['schemas']['content-file'];
export type ContentDirectory = components['schemas']['content-directory'];
export type GitTree = components['schemas']['git-tree'];
export type Blob = components['schemas']['blob'];

/** Base64 wrapped at 60 characters per line, the way GitHub encodes file and blob contents. */
function githubBase64(content: string): string {
  const encoded = Buffer.from(content).toString('base64');
  return `${encoded.match(/.{1,60}/g)?.join('\n') ?? ''}\n`;
}

export function fileContentPayload(links: GitHubLinks, ref: string, path: string, content: string): ContentFile {
  const sha = gitBlobSha(content);
  const entry = contentEntry(links, ref, path, { name: baseName(path), mode: '100644', type: 'blob', sha });
  return {
    ...entry,
    type: 'file',
    size: Buffer.byteLength(content),
    encoding: 'base64',
    content: githubBase64(content),
  };
}

export function directoryPayload(
  links: GitHubLinks,
  ref: string,
  directory: string,
  entries: readonly TreeEntry[],
): ContentDirectory {
  return entries.map((entry) => contentEntry(links, ref, directory ? `${directory}/${entry.name}` : entry.name, entry));
}

function contentEntry(links: GitHubLinks, ref: string, path: string, entry: TreeEntry): ContentDirectory[number] {
  const isFile = entry.type === 'blob';
  const url = links.contents(path, ref);
  const gitUrl = links.api(`/git/${isFile ? 'blobs' : 'trees'}/${entry.sha}`);
  const htmlUrl = links.html(`/${isFile ? 'blob' : 'tree'}/${ref}/${encodePath(path)}`);
  return {
    type: isFile ? 'file' : 'dir',
    size: entry.size ?? 0,
    name: entry.name,
    path,
    sha: entry.sha,
    url,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: isFile ? links.raw(ref, path) : null,
    _links: { self: url, git: gitUrl, html: htmlUrl },
  };
}

/**
 * A tree, optionally with every descendant listed depth-first under its full path, as git ls-tree -r -t does; a
 * recursive listing longer than `limit` is cut there and marked `truncated`, as GitHub does past 100,000 entries.
 */
export function treePayload(
  links: GitHubLinks,
  objects: ObjectStore,
  sha: string,
  recursive: boolean,
  limit: number,
): GitTree {
  const listing: GitTree['tree'] = [];
  const walk = (treeSha: string, prefix: string): void => {
    for (const entry of objects.tree(treeSha) ?? []) {
      const path = prefix + entry.name;
      const isBlob = entry.type === 'blob';
      listing.push({
        path,
        mode: entry.mode,
        type: entry.type,
        sha: entry.sha,
        ...(isBlob ? { size: entry.size } : {}),
        url: links.api(`/git/${isBlob ? 'blobs' : 'trees'}/${entry.sha}`),
      });
      if (!isBlob && recursive) walk(entry.sha, `${path}/`);
    }
  };
  walk(sha, '');
  const truncated = recursive && listing.length > limit;
  return { sha, url: links.api(`/git/trees/${sha}`), tree: truncated ? listing.slice(0, limit) : listing, truncated };
}

export function blobPayload(links: GitHubLinks, sha: string, content: string): Blob {
  return {
    sha,
    node_id: legacyNodeId('Blob', sha),
    size: Buffer.byteLength(content),
    url: links.api(`/git/blobs/${sha}`),
    content: githubBase64(content),
    encoding: 'base64',
  };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
