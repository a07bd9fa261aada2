import type { components } from '@octokit/openapi-types';
import type { CheckRunRecord, CommitStatusRecord } from '../../ci/ci-store.js';
import { legacyNodeId } from '../../ids.js';
import { githubTimestamp } from '../../timestamps.js';
import type { GitHubLinks } from '../links.js';
import { minimalRepository } from './repository.js';
import { githubActionsApp } from './users.js';

export type CheckRun = components['schemas']['check-run'];
export type CombinedCommitStatus = components['schemas']['combined-commit-status'];
export type SimpleCommitStatus = components['schemas']['simple-commit-status'];

export function checkRunPayload(links: GitHubLinks, sha: string, run: CheckRunRecord): CheckRun {
  const jobUrl = links.html(`/actions/runs/${run.workflowRunId}/job/${run.id}`);
  return {
    id: run.id,
    name: run.name,
    node_id: legacyNodeId('CheckRun', run.id),
    head_sha: sha,
    external_id: '',
    url: links.api(`/check-runs/${run.id}`),
    html_url: jobUrl,
    details_url: jobUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: githubTimestamp(run.startedAt),
    completed_at: run.completedAt ? githubTimestamp(run.completedAt) : null,
    output: {
      title: run.conclusion === 'failure' ? 'Process completed with exit code 1.' : null,
      summary: null,
      text: null,
      annotations_count: run.conclusion === 'failure' ? 1 : 0,
      annotations_url: links.api(`/check-runs/${run.id}/annotations`),
    },
    check_suite: { id: run.checkSuiteId },
    app: githubActionsApp(links),
    pull_requests: [],
  };
}

/** Only the latest status of each context counts; no status at all is `pending`, as on GitHub. */
export function combinedStatusPayload(
  links: GitHubLinks,
  sha: string,
  statuses: readonly CommitStatusRecord[],
): CombinedCommitStatus {
  const states = statuses.map((status) => status.state);
  const state = states.some((value) => value === 'failure' || value === 'error')
    ? 'failure'
    : states.length === 0 || states.includes('pending')
      ? 'pending'
      : 'success';
  return {
    state,
    statuses: statuses.map((status) => commitStatusPayload(links, sha, status)),
    sha,
    total_count: statuses.length,
    repository: minimalRepository(links),
    commit_url: links.api(`/commits/${sha}`),
    url: links.api(`/commits/${sha}/status`),
  };
}

function commitStatusPayload(links: GitHubLinks, sha: string, status: CommitStatusRecord): SimpleCommitStatus {
  return {
    url: links.api(`/statuses/${sha}`),
    avatar_url: links.avatar(44_036_562),
    id: status.id,
    node_id: legacyNodeId('StatusContext', status.id),
    state: status.state,
    description: status.description,
    target_url: links.html(`/actions/runs/${status.id}`),
    context: status.context,
    created_at: githubTimestamp(status.createdAt),
    updated_at: githubTimestamp(status.updatedAt),
  };
}
