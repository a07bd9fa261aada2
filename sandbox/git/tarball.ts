import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { CommitRecord } from './repository.js';

/** The single top folder of GitHub's archives: `{owner}-{repo}-{7-character sha}`. */
export function archiveFolder(owner: string, repo: string, sha: string): string {
  return `${owner}-${repo}-${sha.slice(0, 7)}`;
}

/** Folders of a path, outermost first (`a/b/c.txt` → `a`, `a/b`), as git archive lists them before their files. */
function parentFolders(path: string): string[] {
  const segments = path.split('/').slice(0, -1);
  return segments.map((_, index) => segments.slice(0, index + 1).join('/'));
}

/**
 * The commit's tree as GitHub's tarball holds it: every folder and file under the one top folder, in path order,
 * gzipped. (GitHub's also opens with a pax global header naming the commit; tar-stream cannot write one, and a
 * reader skips it anyway.)
 */
export function commitTarball(commit: CommitRecord, folder: string): NodeJS.ReadableStream {
  const archive = pack();
  const mtime = commit.date;
  archive.entry({ name: `${folder}/`, type: 'directory', mode: 0o775, mtime });
  const written = new Set<string>();
  for (const path of [...commit.files.keys()].sort()) {
    for (const parent of parentFolders(path)) {
      if (written.has(parent)) continue;
      written.add(parent);
      archive.entry({ name: `${folder}/${parent}/`, type: 'directory', mode: 0o775, mtime });
    }
    archive.entry({ name: `${folder}/${path}`, mode: 0o664, mtime }, commit.files.get(path) ?? '');
  }
  archive.finalize();
  return archive.pipe(createGzip());
}
