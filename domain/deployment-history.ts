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

/** What the environment runs: its newest deployment whose newest status is success. */
export function currentDeployment(newestFirst: readonly DeploymentRecordSummary[]): DeploymentRecordSummary | null {
  return newestFirst.find((record) => record.latestState === 'success') ?? null;
}

/**
 * The version to roll back to when none is named: the newest earlier deployment that once succeeded and runs other
 * code than the current one (redeploying the same commit would change nothing). When the current deployment is itself
 * a rollback to an earlier version, the search starts below that version's own earlier deployment, so a second
 * rollback goes further back instead of returning to the version just rolled away from.
 */
export function previousSuccessfulDeployment(
  newestFirst: readonly DeploymentRecordSummary[],
  current: DeploymentRecordSummary,
): DeploymentRecordSummary | null {
  let older = newestFirst.slice(newestFirst.indexOf(current) + 1);
  if (current.rollback) {
    const original = older.findIndex((record) => record.sha === current.sha && record.everSucceeded);
    if (original >= 0) older = older.slice(original + 1);
  }
  return older.find((record) => record.everSucceeded && record.sha !== current.sha) ?? null;
}
