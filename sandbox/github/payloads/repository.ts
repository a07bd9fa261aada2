import type { components } from '@octokit/openapi-types';
import type { Repository } from '../../git/repository.js';
import { legacyNodeId } from '../../ids.js';
import { githubTimestamp } from '../../timestamps.js';
import type { GitHubLinks } from '../links.js';
import { ORGANIZATION, simpleUser } from './users.js';

export type FullRepository = components['schemas']['full-repository'];
export type MinimalRepository = components['schemas']['minimal-repository'];

const REPOSITORY_ID = 782_341_556;
const CREATED_AT = '2024-03-01T08:55:12Z';

export function minimalRepository(links: GitHubLinks): MinimalRepository {
  return repositoryIdentity(links);
}

/** The fields every repository payload shares: identity, owner and the URL templates. */
function repositoryIdentity(links: GitHubLinks) {
  const api = links.api();
  return {
    id: REPOSITORY_ID,
    node_id: legacyNodeId('Repository', REPOSITORY_ID),
    name: links.repo,
    full_name: links.fullName,
    private: true,
    owner: simpleUser(links, ORGANIZATION),
    html_url: links.html(),
    description: 'On-call shift scheduler (FastAPI, PostgreSQL, Redis, Celery)',
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `${links.html().replace(/^https?:/, 'git:')}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${new URL(links.apiUrl).hostname}:${links.fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    hooks_url: `${api}/hooks`,
    clone_url: `${links.html()}.git`,
    svn_url: links.html(),
  };
}

export function fullRepository(links: GitHubLinks, repository: Repository): FullRepository {
  const head = repository.resolve(repository.defaultBranch);
  const pushedAt = head ? githubTimestamp(head.date) : CREATED_AT;
  return {
    ...repositoryIdentity(links),
    mirror_url: null,
    homepage: null,
    language: 'Python',
    forks_count: 0,
    stargazers_count: 3,
    watchers_count: 3,
    size: 184,
    default_branch: repository.defaultBranch,
    open_issues_count: 2,
    is_template: false,
    topics: ['fastapi', 'scheduling'],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'private',
    pushed_at: pushedAt,
    created_at: CREATED_AT,
    updated_at: pushedAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: false,
    allow_auto_merge: false,
    delete_branch_on_merge: true,
    allow_update_branch: true,
    allow_forking: false,
    web_commit_signoff_required: false,
    subscribers_count: 4,
    network_count: 0,
    license: null,
    organization: simpleUser(links, ORGANIZATION),
    forks: 0,
    open_issues: 2,
    watchers: 3,
  };
}
