import { createHash } from 'node:crypto';

export function sha1Hex(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

/** The SHA git itself would give this content, so blob SHAs match a real clone. */
export function gitBlobSha(content: string): string {
  return sha1Hex(`blob ${Buffer.byteLength(content)}\0${content}`);
}

export interface TreeEntry {
  name: string;
  mode: '100644' | '040000';
  type: 'blob' | 'tree';
  sha: string;
  /** Only blobs have a size, as in GitHub's tree payloads. */
  size?: number;
}

/** Content-addressed blobs and trees shared by every commit, like a git object database. */
export class ObjectStore {
  readonly #blobs = new Map<string, string>();
  readonly #trees = new Map<string, readonly TreeEntry[]>();

  blob(sha: string): string | undefined {
    return this.#blobs.get(sha);
  }

  tree(sha: string): readonly TreeEntry[] | undefined {
    return this.#trees.get(sha);
  }

  /** Stores a flat path → content map as nested trees and returns the root tree SHA. */
  writeTree(files: ReadonlyMap<string, string>): string {
    return this.#writeDirectory([...files].map(([path, content]) => [path.split('/'), content]));
  }

  #writeDirectory(files: ReadonlyArray<readonly [string[], string]>): string {
    const blobs = new Map<string, string>();
    const subdirectories = new Map<string, Array<readonly [string[], string]>>();
    for (const [segments, content] of files) {
      const [name, ...rest] = segments;
      if (name === undefined) continue;
      if (rest.length === 0) {
        blobs.set(name, content);
      } else {
        const children = subdirectories.get(name) ?? [];
        children.push([rest, content]);
        subdirectories.set(name, children);
      }
    }
    const entries: TreeEntry[] = [];
    for (const [name, content] of blobs) {
      const sha = gitBlobSha(content);
      this.#blobs.set(sha, content);
      entries.push({ name, mode: '100644', type: 'blob', sha, size: Buffer.byteLength(content) });
    }
    for (const [name, children] of subdirectories) {
      entries.push({ name, mode: '040000', type: 'tree', sha: this.#writeDirectory(children) });
    }
    entries.sort((a, b) => compareGitTreeNames(a, b));
    const sha = gitTreeSha(entries);
    this.#trees.set(sha, entries);
    return sha;
  }
}

// Git orders tree entries as if directory names ended with '/'.
function compareGitTreeNames(a: TreeEntry, b: TreeEntry): number {
  const left = a.type === 'tree' ? `${a.name}/` : a.name;
  const right = b.type === 'tree' ? `${b.name}/` : b.name;
  return left < right ? -1 : left > right ? 1 : 0;
}

function gitTreeSha(entries: readonly TreeEntry[]): string {
  const body = Buffer.concat(
    entries.map((entry) =>
      Buffer.concat([
        Buffer.from(`${entry.mode === '040000' ? '40000' : entry.mode} ${entry.name}\0`),
        Buffer.from(entry.sha, 'hex'),
      ]),
    ),
  );
  return sha1Hex(Buffer.concat([Buffer.from(`tree ${body.length}\0`), body]));
}
