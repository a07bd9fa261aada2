import type { Environment } from '../../domain/environment.js';
import type { GitHubRepo } from './client.js';

export interface DeployedVersion {
  sha: string;
  ref: string;
  deploymentId: number;
}

const DEPLOYMENTS_TO_SEARCH = 20;

/** What the environment runs now, as its GitHub Deployments record it: the newest deployment whose status is success. */
export async function currentDeployment(github: GitHubRepo, environment: Environment): Promise<DeployedVersion | null> {
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
    if (statuses[0]?.state === 'success') {
      return { sha: deployment.sha, ref: deployment.ref, deploymentId: deployment.id };
    }
  }
  return null;
}
