import type { Environment } from './environment.js';

/** What an environment runs now, per its newest successful GitHub Deployment; null when none is recorded. */
export interface DeployedVersion {
  environment: Environment;
  current: { sha: string; ref: string; deploymentId: number } | null;
  /** How long finding it took, so the check that uses it can report its whole duration. */
  lookup_ms: number;
}
