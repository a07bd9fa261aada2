import { performance } from 'node:perf_hooks';
import type { DeployedVersion } from '../../domain/deployed-version.js';
import type { Environment } from '../../domain/environment.js';
import { elapsedMs } from '../elapsed.js';
import type { GitHubRepo } from './client.js';
import { withGitHubErrors } from './errors.js';

const DEPLOYMENTS_TO_SEARCH = 20;

/** What the environment runs now, as its GitHub Deployments record it: the newest deployment whose status is success. */
async function currentDeployment(github: GitHubRepo, environment: Environment) {
  const { data: deployments } = await github.octokit.rest.repos.listDeployments({
    owner: github.owner,
    repo: github.repo,
    environment,
    per_page: DEPLOYMENTS_TO_SEARCH,
  });
  for (const deployment of deployments) {
    const { data: statuses } = await github.octokit.rest.repos.listDeploymentStatuses({
      owner: github.owner,
      repo: github.repo,
      deployment_id: deployment.id,
      per_page: 1,
    });
    if (statuses[0]?.state === 'success') return deployment;
  }
  return null;
}

export function deployedVersionActivities(github: GitHubRepo) {
  return {
    async findDeployedVersion(environment: Environment): Promise<DeployedVersion> {
      const startedAt = performance.now();
      const deployment = await withGitHubErrors(`reading the ${environment} deployments`, () =>
        currentDeployment(github, environment),
      );
      return {
        environment,
        current: deployment ? { sha: deployment.sha, ref: deployment.ref, deploymentId: deployment.id } : null,
        lookup_ms: elapsedMs(startedAt),
      };
    },
  };
}
