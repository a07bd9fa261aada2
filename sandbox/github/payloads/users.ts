import type { components } from '@octokit/openapi-types';
import { legacyNodeId } from '../../ids.js';
import type { GitHubLinks } from '../links.js';

export type SimpleUser = components['schemas']['simple-user'];
export type Integration = NonNullable<components['schemas']['integration']>;

export interface Account {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export const ORGANIZATION: Account = { login: 'sandbox-org', id: 160_034_218, type: 'Organization' };
export const DEVELOPER: Account = { login: 'sandbox-dev', id: 160_034_419, type: 'User' };
export const GITHUB_ACTIONS_BOT: Account = { login: 'github-actions[bot]', id: 41_898_282, type: 'Bot' };
const GITHUB_ACCOUNT: Account = { login: 'github', id: 9919, type: 'Organization' };

export function simpleUser(links: GitHubLinks, account: Account): SimpleUser {
  const url = links.userApi(account.login);
  return {
    login: account.login,
    id: account.id,
    node_id: legacyNodeId(account.type, account.id),
    avatar_url: links.avatar(account.id),
    gravatar_id: '',
    url,
    html_url: links.userHtml(account.login),
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: account.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The GitHub Actions app, which owns every check run the sandbox reports. */
export function githubActionsApp(links: GitHubLinks): Integration {
  return {
    id: 15368,
    slug: 'github-actions',
    node_id: 'MDM6QXBwMTUzNjg=',
    owner: simpleUser(links, GITHUB_ACCOUNT),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${links.apiUrl}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: {
      actions: 'write',
      checks: 'write',
      contents: 'write',
      deployments: 'write',
      metadata: 'read',
      statuses: 'write',
    },
    events: ['check_run', 'check_suite', 'create', 'delete', 'deployment', 'push', 'workflow_dispatch'],
  };
}
