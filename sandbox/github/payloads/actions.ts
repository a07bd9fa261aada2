import type { components } from '@octokit/openapi-types';
import type { WorkflowRunRecord } from '../../actions/actions-store.js';
import { CD_WORKFLOW } from '../../actions/cd-workflow.js';
import type { JobView } from '../../actions/run-progress.js';
import type { Repository } from '../../git/repository.js';
import { legacyNodeId } from '../../ids.js';
import { githubTimestamp } from '../../timestamps.js';
import type { GitHubLinks } from '../links.js';
import { minimalRepository } from './repository.js';
import { simpleUser } from './users.js';

export type Workflow = components['schemas']['workflow'];
export type WorkflowRun = components['schemas']['workflow-run'];
export type Job = components['schemas']['job'];
export type WorkflowDispatchResponse = components['schemas']['workflow-dispatch-response'];

export function workflowPayload(links: GitHubLinks, createdAt: Date): Workflow {
  return {
    id: CD_WORKFLOW.id,
    node_id: legacyNodeId('Workflow', CD_WORKFLOW.id),
    name: CD_WORKFLOW.name,
    path: CD_WORKFLOW.path,
    state: 'active',
    created_at: githubTimestamp(createdAt),
    updated_at: githubTimestamp(createdAt),
    url: links.api(`/actions/workflows/${CD_WORKFLOW.id}`),
    html_url: links.blobHtml('main', CD_WORKFLOW.path),
    badge_url: links.html(`/workflows/${CD_WORKFLOW.name}/badge.svg`),
  };
}

export function workflowRunPayload(links: GitHubLinks, repository: Repository, run: WorkflowRunRecord): WorkflowRun {
  const url = links.api(`/actions/runs/${run.id}`);
  const commit = repository.commit(run.headSha);
  const gitUser = commit ? { name: commit.author.name, email: commit.author.email } : null;
  const actor = simpleUser(links, run.actor);
  return {
    id: run.id,
    name: CD_WORKFLOW.name,
    node_id: legacyNodeId('WorkflowRun', run.id),
    check_suite_id: run.checkSuiteId,
    check_suite_node_id: legacyNodeId('CheckSuite', run.checkSuiteId),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: CD_WORKFLOW.path,
    run_number: run.runNumber,
    run_attempt: 1,
    referenced_workflows: [],
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: CD_WORKFLOW.id,
    url,
    html_url: links.html(`/actions/runs/${run.id}`),
    pull_requests: [],
    created_at: githubTimestamp(run.createdAt),
    updated_at: githubTimestamp(run.updatedAt),
    actor,
    triggering_actor: actor,
    ...(run.startedAt ? { run_started_at: githubTimestamp(run.startedAt) } : {}),
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: links.api(`/check-suites/${run.checkSuiteId}`),
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: links.api(`/actions/workflows/${CD_WORKFLOW.id}`),
    head_commit: commit
      ? {
          id: commit.sha,
          tree_id: commit.treeSha,
          message: commit.message,
          timestamp: githubTimestamp(commit.date),
          author: gitUser,
          committer: gitUser,
        }
      : null,
    repository: minimalRepository(links),
    head_repository: minimalRepository(links),
    display_title: CD_WORKFLOW.name,
  };
}

const nullableTimestamp = (date: Date | null): string | null => (date ? githubTimestamp(date) : null);

export function jobPayload(links: GitHubLinks, run: WorkflowRunRecord, job: JobView): Job {
  const { id } = job.record;
  // Hosted runners pick up jobs that run; skipped and never-started jobs have none.
  const runner = job.startedAt !== null && job.steps.length > 0 ? (id % 20) + 1 : null;
  return {
    id,
    run_id: run.id,
    run_url: links.api(`/actions/runs/${run.id}`),
    run_attempt: 1,
    node_id: legacyNodeId('CheckRun', id),
    head_sha: run.headSha,
    url: links.api(`/actions/jobs/${id}`),
    html_url: links.html(`/actions/runs/${run.id}/job/${id}`),
    status: job.status,
    conclusion: job.conclusion,
    created_at: githubTimestamp(run.createdAt),
    // GitHub reports the creation time until a runner picks the job up.
    started_at: githubTimestamp(job.startedAt ?? run.createdAt),
    completed_at: nullableTimestamp(job.completedAt),
    name: job.record.name,
    steps: job.steps.map((step) => ({
      name: step.template.name,
      status: step.status,
      conclusion: step.conclusion,
      number: step.number,
      started_at: nullableTimestamp(step.startedAt),
      completed_at: nullableTimestamp(step.completedAt),
    })),
    // Each job is a check run of the run's check suite, with the same id.
    check_run_url: links.api(`/check-runs/${id}`),
    labels: ['ubuntu-latest'],
    runner_id: runner,
    runner_name: runner === null ? null : `GitHub Actions ${runner}`,
    runner_group_id: runner === null ? null : 0,
    runner_group_name: runner === null ? null : 'GitHub Actions',
    workflow_name: CD_WORKFLOW.name,
    head_branch: run.headBranch,
  };
}

export function dispatchResponsePayload(links: GitHubLinks, run: WorkflowRunRecord): WorkflowDispatchResponse {
  return {
    workflow_run_id: run.id,
    run_url: links.api(`/actions/runs/${run.id}`),
    html_url: links.html(`/actions/runs/${run.id}`),
  };
}
