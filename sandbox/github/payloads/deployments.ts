import type { components } from '@octokit/openapi-types';
import type { DeploymentRecord, DeploymentStatusRecord } from '../../deployments/deployment-store.js';
import { legacyNodeId } from '../../ids.js';
import { githubTimestamp } from '../../timestamps.js';
import type { GitHubLinks } from '../links.js';
import { type Account, githubActionsApp, type Integration, simpleUser } from './users.js';

export type Deployment = components['schemas']['deployment'];
export type DeploymentStatus = components['schemas']['deployment-status'];

/** Records made by the Actions bot came through the GitHub Actions app; a person's come through none. */
function viaApp(links: GitHubLinks, creator: Account): Integration | null {
  return creator.type === 'Bot' ? githubActionsApp(links) : null;
}

export function deploymentPayload(links: GitHubLinks, deployment: DeploymentRecord): Deployment {
  const url = links.api(`/deployments/${deployment.id}`);
  return {
    url,
    id: deployment.id,
    node_id: legacyNodeId('Deployment', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.originalEnvironment,
    environment: deployment.environment,
    description: deployment.description,
    creator: simpleUser(links, deployment.creator),
    created_at: githubTimestamp(deployment.createdAt),
    updated_at: githubTimestamp(deployment.updatedAt),
    statuses_url: `${url}/statuses`,
    repository_url: links.api(),
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: viaApp(links, deployment.creator),
  };
}

export function deploymentStatusPayload(
  links: GitHubLinks,
  deployment: DeploymentRecord,
  status: DeploymentStatusRecord,
): DeploymentStatus {
  const deploymentUrl = links.api(`/deployments/${deployment.id}`);
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: legacyNodeId('DeploymentStatus', status.id),
    state: status.state,
    creator: simpleUser(links, status.creator),
    description: status.description,
    environment: deployment.environment,
    target_url: status.logUrl,
    created_at: githubTimestamp(status.createdAt),
    updated_at: githubTimestamp(status.createdAt),
    deployment_url: deploymentUrl,
    repository_url: links.api(),
    environment_url: status.environmentUrl,
    log_url: status.logUrl,
    performed_via_github_app: viaApp(links, status.creator),
  };
}
