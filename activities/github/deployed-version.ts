import { performance } from 'node:perf_hooks';
import type { DeployedVersion } from '../../domain/deployed-version.js';
import type { Environment } from '../../domain/environment.js';
import { elapsedMs } from '../elapsed.js';
import type { GitHubRepo } from './client.js';
import { readCurrentDeployment } from './deployment-records.js';

export function deployedVersionActivities(github: GitHubRepo) {
  return {
    /** What the environment runs now, by the same rule deployments and rollbacks plan with. */
    async findDeployedVersion(environment: Environment): Promise<DeployedVersion> {
      const startedAt = performance.now();
      const current = await readCurrentDeployment(github, environment);
      return {
        environment,
        current: current ? { sha: current.sha, ref: current.ref, deploymentId: current.id } : null,
        lookup_ms: elapsedMs(startedAt),
      };
    },
  };
}
