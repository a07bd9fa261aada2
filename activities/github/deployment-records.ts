import { ApplicationFailure } from '@temporalio/common';
import type { DeploymentKind } from '../../domain/deployment.js';
import { type DeploymentRecordSummary, environmentVersions } from '../../domain/deployment-history.js';
import type { Environment } from '../../domain/environment.js';
import type { GitHubRepo } from './client.js';
import { hasStatus, withGitHubErrors } from './errors.js';

const HISTORY_DEPTH = 30;

export type DeploymentRecordState = 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface NewDeploymentRecord {
  deploymentId: string;
  kind: DeploymentKind;
  environment: Environment;
  /** The branch or tag deployed (what Actions is dispatched on). */
  ref: string;
  sha: string;
  description: string;
}

export interface DeploymentRecordStatus {
  recordId: number;
  state: DeploymentRecordState;
  description: string;
  logUrl?: string;
}

/** A field this product put in a deployment's payload (GitHub may hand the payload back as a JSON string). */
function payloadField(payload: unknown, field: 'deployment_id' | 'kind'): string | undefined {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const found = (value as Record<string, unknown> | null)?.[field];
  return typeof found === 'string' ? found : undefined;
}

type GitHubDeployment = Awaited<ReturnType<GitHubRepo['octokit']['rest']['repos']['listDeployments']>>['data'][number];

function listEnvironmentDeployments(github: GitHubRepo, environment: Environment): Promise<GitHubDeployment[]> {
  return github.octokit.rest.repos
    .listDeployments({ owner: github.owner, repo: github.repo, environment, per_page: HISTORY_DEPTH })
    .then(({ data }) => data);
}

async function summarize(github: GitHubRepo, deployment: GitHubDeployment): Promise<DeploymentRecordSummary> {
  const { data: statuses } = await github.octokit.rest.repos.listDeploymentStatuses({
    owner: github.owner,
    repo: github.repo,
    deployment_id: deployment.id,
    per_page: 100,
  });
  return {
    id: deployment.id,
    ref: deployment.ref,
    sha: deployment.sha,
    createdAt: deployment.created_at,
    latestState: statuses[0]?.state ?? null,
    everSucceeded: statuses.some((status) => status.state === 'success'),
    rollback: payloadField(deployment.payload, 'kind') === 'rollback',
  };
}

/** The environment's deployments, newest first, each with what its statuses say: what `environmentVersions` reads. */
export function readDeploymentHistory(
  github: GitHubRepo,
  environment: Environment,
): Promise<DeploymentRecordSummary[]> {
  return withGitHubErrors(`reading the ${environment} deployment history`, async () => {
    const deployments = await listEnvironmentDeployments(github, environment);
    return Promise.all(deployments.map((deployment) => summarize(github, deployment)));
  });
}

/**
 * What the environment runs now, by `environmentVersions`' own rule, reading statuses newest first only until the rule
 * has its answer: the rule's "now" is the newest live record, so the records before it are all it needs. Usually the
 * newest deployment is live, and this costs two requests instead of one per deployment in the history.
 */
export function readCurrentDeployment(
  github: GitHubRepo,
  environment: Environment,
): Promise<DeploymentRecordSummary | null> {
  return withGitHubErrors(`reading what ${environment} runs`, async () => {
    const read: DeploymentRecordSummary[] = [];
    for (const deployment of await listEnvironmentDeployments(github, environment)) {
      read.push(await summarize(github, deployment));
      const { current } = environmentVersions(read);
      if (current) return current;
    }
    return null;
  });
}

export function deploymentRecordActivities(github: GitHubRepo, environmentUrls: Record<Environment, string>) {
  const repo = { owner: github.owner, repo: github.repo };
  return {
    /** The environment's deployments, newest first, each with what its statuses say. */
    listDeploymentHistory(environment: Environment): Promise<DeploymentRecordSummary[]> {
      return readDeploymentHistory(github, environment);
    },

    /**
     * Records the deployment on GitHub, once: a retry finds the record an earlier attempt made (by the deployment id
     * in its payload) instead of making another.
     */
    async createDeploymentRecord(record: NewDeploymentRecord): Promise<{ recordId: number; createdAt: string }> {
      return withGitHubErrors(`creating the GitHub deployment record for ${record.ref}`, async () => {
        const { data: existing } = await github.octokit.rest.repos.listDeployments({
          ...repo,
          environment: record.environment,
          sha: record.sha,
          per_page: 100,
        });
        const earlier = existing.find(
          (deployment) => payloadField(deployment.payload, 'deployment_id') === record.deploymentId,
        );
        if (earlier) return { recordId: earlier.id, createdAt: earlier.created_at };
        try {
          const response = await github.octokit.rest.repos.createDeployment({
            ...repo,
            ref: record.ref,
            environment: record.environment,
            task: 'deploy',
            auto_merge: false,
            // A rollback is an emergency on a version that was already live; anything else needs green CI.
            ...(record.kind === 'rollback' ? { required_contexts: [] } : {}),
            payload: { deployment_id: record.deploymentId, kind: record.kind },
            description: record.description,
            production_environment: record.environment === 'production',
          });
          if (!('id' in response.data))
            throw new Error(`GitHub did not create the deployment: ${response.data.message}`);
          return { recordId: response.data.id, createdAt: response.data.created_at };
        } catch (error) {
          if (hasStatus(error, 409)) {
            throw ApplicationFailure.nonRetryable(
              `GitHub refused to record a deployment of ${record.ref}: ${(error as Error).message}. Fix the commit's CI first (validate_deployment shows which check fails)`,
              'DeploymentRecordConflict',
            );
          }
          throw error;
        }
      });
    },

    async setDeploymentRecordStatus(status: DeploymentRecordStatus & { environment: Environment }): Promise<void> {
      await withGitHubErrors(`setting the GitHub deployment ${status.recordId} to ${status.state}`, () =>
        github.octokit.rest.repos.createDeploymentStatus({
          ...repo,
          deployment_id: status.recordId,
          state: status.state,
          description: status.description.slice(0, 140),
          environment_url: environmentUrls[status.environment],
          ...(status.logUrl ? { log_url: status.logUrl } : {}),
          auto_inactive: true,
        }),
      );
    },
  };
}
