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
}

/** What the environment runs: its newest deployment whose newest status is success. */
export function currentDeployment(newestFirst: readonly DeploymentRecordSummary[]): DeploymentRecordSummary | null {
  return newestFirst.find((record) => record.latestState === 'success') ?? null;
}

/**
 * The version to roll back to when none is named: the newest earlier deployment that once succeeded and runs other
 * code than the current one (redeploying the same commit would change nothing).
 */
export function previousSuccessfulDeployment(
  newestFirst: readonly DeploymentRecordSummary[],
  current: DeploymentRecordSummary,
): DeploymentRecordSummary | null {
  const older = newestFirst.slice(newestFirst.indexOf(current) + 1);
  return older.find((record) => record.everSucceeded && record.sha !== current.sha) ?? null;
}
