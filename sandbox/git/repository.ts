import { ObjectStore, sha1Hex } from './git-objects.js';

export interface GitIdentity {
  name: string;
  email: string;
  /** The GitHub account the commit is attributed to. */
  login: string;
}

export interface CommitRecord {
  sha: string;
  treeSha: string;
  parentSha: string | null;
  message: string;
  author: GitIdentity;
  date: Date;
  /** The full tree at this commit, flattened to path → content. */
  files: ReadonlyMap<string, string>;
}

export interface NewCommit {
  message: string;
  author: GitIdentity;
  date: Date;
  /** Paths to write on top of the parent's tree; null deletes the path. */
  changes: Readonly<Record<string, string | null>>;
}

const ABBREVIATED_SHA = /^[0-9a-f]{7,40}$/;

/** Commits, branches and lightweight tags of one repository. */
export class Repository {
  readonly objects = new ObjectStore();
  readonly #commits = new Map<string, CommitRecord>();
  readonly #branches = new Map<string, string>();
  readonly #tags = new Map<string, string>();
  // Feeds each commit SHA so identical commits on different branches still get distinct SHAs.
  #sequence = 0;
  /** Most entries a recursive tree listing holds before GitHub cuts it (`truncated: true`); lowered by tests. */
  recursiveTreeLimit = 100_000;

  constructor(readonly defaultBranch: string) {}

  commit(sha: string): CommitRecord | undefined {
    return this.#commits.get(sha);
  }

  /** Appends a commit to `branch`, creating the branch from the default branch's head when it is new. */
  commitOnBranch(branch: string, commit: NewCommit): CommitRecord {
    const parentSha = this.#branches.get(branch) ?? this.#branches.get(this.defaultBranch) ?? null;
    const files = new Map(parentSha === null ? [] : this.#commits.get(parentSha)?.files);
    for (const [path, content] of Object.entries(commit.changes)) {
      if (content === null) files.delete(path);
      else files.set(path, content);
    }
    const treeSha = this.objects.writeTree(files);
    this.#sequence += 1;
    const sha = sha1Hex(`${this.#sequence}\n${parentSha ?? ''}\n${treeSha}\n${commit.message}`);
    const record: CommitRecord = {
      sha,
      treeSha,
      parentSha,
      message: commit.message,
      author: commit.author,
      date: commit.date,
      files,
    };
    this.#commits.set(sha, record);
    this.#branches.set(branch, sha);
    return record;
  }

  setTag(name: string, sha: string): void {
    this.#tags.set(name, sha);
  }

  branches(): Array<[name: string, sha: string]> {
    return [...this.#branches].sort(([a], [b]) => a.localeCompare(b));
  }

  /** Newest versions first, the order GitHub lists tags in. */
  tags(): Array<[name: string, sha: string]> {
    return [...this.#tags].sort(([a], [b]) => b.localeCompare(a, 'en', { numeric: true }));
  }

  /** Every ref as its full name (`refs/heads/main`, `refs/tags/v1.0.0`), branches first. */
  refs(): Array<[ref: string, sha: string]> {
    return [
      ...this.branches().map(([name, sha]): [string, string] => [`refs/heads/${name}`, sha]),
      ...[...this.#tags]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, sha]): [string, string] => [`refs/tags/${name}`, sha]),
    ];
  }

  /** Looks up a fully qualified ref name (`heads/main` or `refs/heads/main`). */
  qualifiedRef(ref: string): string | undefined {
    const name = ref.startsWith('refs/') ? ref.slice('refs/'.length) : ref;
    if (name.startsWith('heads/')) return this.#branches.get(name.slice('heads/'.length));
    if (name.startsWith('tags/')) return this.#tags.get(name.slice('tags/'.length));
    return undefined;
  }

  /**
   * A branch or tag by name (`main`, `refs/heads/main`, `v1.0.0`, `refs/tags/v1.0.0`), never a SHA: what a
   * workflow dispatch takes. `name` is the short name GitHub reports as the run's `head_branch`.
   */
  namedRef(ref: string): { name: string; sha: string } | undefined {
    const qualified = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
    if (qualified?.[2]) {
      const sha = this.qualifiedRef(ref);
      return sha === undefined ? undefined : { name: qualified[2], sha };
    }
    const sha = this.#branches.get(ref) ?? this.#tags.get(ref);
    return sha === undefined ? undefined : { name: ref, sha };
  }

  /** Resolves what GitHub accepts as a commit-ish: qualified ref, branch, tag, full or abbreviated SHA. */
  resolve(ref: string): CommitRecord | undefined {
    const sha = this.qualifiedRef(ref) ?? this.#branches.get(ref) ?? this.#tags.get(ref) ?? this.#shaFromPrefix(ref);
    return sha === undefined ? undefined : this.#commits.get(sha);
  }

  /** The commit and its ancestors, newest first. */
  history(sha: string): CommitRecord[] {
    const commits: CommitRecord[] = [];
    for (
      let next = this.#commits.get(sha);
      next;
      next = next.parentSha ? this.#commits.get(next.parentSha) : undefined
    ) {
      commits.push(next);
    }
    return commits;
  }

  mergeBase(a: string, b: string): CommitRecord | undefined {
    const ancestorsOfA = new Set(this.history(a).map((commit) => commit.sha));
    return this.history(b).find((commit) => ancestorsOfA.has(commit.sha));
  }

  #shaFromPrefix(ref: string): string | undefined {
    const prefix = ref.toLowerCase();
    if (!ABBREVIATED_SHA.test(prefix)) return undefined;
    const matches = [...this.#commits.keys()].filter((sha) => sha.startsWith(prefix));
    return matches.length === 1 ? matches[0] : undefined;
  }
}
