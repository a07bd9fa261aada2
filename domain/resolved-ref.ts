/** A git ref pinned to one commit, so every check of a validation judges the same code. */
export interface ResolvedRef {
  ref: string;
  sha: string;
  kind: 'branch' | 'tag' | 'commit';
  /** `refs/heads/x` or `refs/tags/x`; null for a bare SHA. */
  fullRef: string | null;
}

export function unresolvedRefMessage(ref: string): string {
  return `Git ref '${ref}' does not resolve to a commit in the repository`;
}
