/** One GitHub Deployment record of an environment, with what its statuses say about it. */
export interface DeploymentRecordSummary {
  id: number;
  ref: string;
  sha: string;
  createdAt: string;
  /** The newest status's state; null when the record has none yet. */
  latestState: string | null;
  /** A `success` status at any time: superseded deployments turn `inactive` but were good versions. */
  everSucceeded: boolean;
  /** Made by a rollback (this product's records say so in their payload). */
  rollback: boolean;
}

/** What an environment runs now, and what it ran before that (the version a rollback goes back to). */
export interface EnvironmentVersions {
  current: DeploymentRecordSummary | null;
  previous: DeploymentRecordSummary | null;
}

/**
 * The one rule for "what runs now" and "what ran before it", read from the environment's deployments (newest first).
 * Now: the newest deployment whose newest status is success. Before: replay the deployments that ever succeeded,
 * oldest first, as a stack of versions that ran: a deploy of other code pushes its version, a rollback goes back down
 * to the version it restored (pushing it only when it is not on the stack). What ran before is the entry below the
 * top. So a rollback after a rollback never goes forward to the version just rolled away from, however often the same
 * version was promoted and rolled back; failed deployments, which never ran, change nothing.
 */
export function environmentVersions(newestFirst: readonly DeploymentRecordSummary[]): EnvironmentVersions {
  const current = newestFirst.find((record) => record.latestState === 'success') ?? null;
  if (!current) return { current: null, previous: null };
  const ran: DeploymentRecordSummary[] = [];
  for (const record of newestFirst.slice(newestFirst.indexOf(current)).reverse()) {
    if (!record.everSucceeded) continue;
    const top = ran.at(-1);
    if (top?.sha === record.sha) continue;
    const restored = record.rollback ? ran.findLastIndex((earlier) => earlier.sha === record.sha) : -1;
    if (restored >= 0) ran.splice(restored + 1);
    else ran.push(record);
  }
  const previous = ran.at(-2) ?? null;
  return { current, previous: previous && previous.sha !== current.sha ? previous : null };
}
