import type { components } from '@octokit/openapi-types';
import type { EnvironmentRecord } from '../../environments/environment-store.js';
import { legacyNodeId } from '../../ids.js';
import { githubTimestamp } from '../../timestamps.js';
import type { GitHubLinks } from '../links.js';

export type Environment = components['schemas']['environment'];
export type ActionsSecret = components['schemas']['actions-secret'];
export type ActionsVariable = components['schemas']['actions-variable'];

export function environmentPayload(links: GitHubLinks, environment: EnvironmentRecord): Environment {
  return {
    id: environment.id,
    node_id: legacyNodeId('Environment', environment.id),
    name: environment.name,
    url: links.api(`/environments/${encodeURIComponent(environment.name)}`),
    html_url: links.html(`/deployments/activity_log?environments_filter=${encodeURIComponent(environment.name)}`),
    created_at: githubTimestamp(environment.createdAt),
    updated_at: githubTimestamp(environment.updatedAt),
    protection_rules: [],
    deployment_branch_policy: null,
  };
}

/** Names and dates only: the API never reveals secret values. */
export function environmentSecrets(environment: EnvironmentRecord): ActionsSecret[] {
  return [...environment.secrets]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, dates]) => ({
      name,
      created_at: githubTimestamp(dates.createdAt),
      updated_at: githubTimestamp(dates.updatedAt),
    }));
}

export function environmentVariables(environment: EnvironmentRecord): ActionsVariable[] {
  return [...environment.variables]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, variable]) => ({
      name,
      value: variable.value,
      created_at: githubTimestamp(variable.createdAt),
      updated_at: githubTimestamp(variable.updatedAt),
    }));
}
