import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { describeBake } from '../../domain/bake-policy.js';
import { describeCanary } from '../../domain/canary-policy.js';
import { type DeploymentRecordSummary, environmentVersions } from '../../domain/deployment-history.js';
import type { DeploymentRequest } from '../../domain/deployment-model.js';
import type { DeploymentPlan } from '../../domain/deployment-tools.js';
import { unresolvedRefMessage } from '../../domain/resolved-ref.js';
import { GITHUB_OPTIONS } from '../activity-options.js';

const github = proxyActivities<Activities>(GITHUB_OPTIONS);

/** What a deployment will do, and what to go back to if it fails; shared by the deployment and its dry run. */
export interface PlannedDeployment {
  plan: DeploymentPlan;
  /** The branch or tag Actions is dispatched on, and the commit it must deliver. */
  target: { ref: string; sha: string } | null;
  /** What the environment ran before: the automatic rollback's target. */
  current: DeploymentRecordSummary | null;
}

function steps(request: DeploymentRequest, rollbackTo: string | null): string[] {
  const { environment } = request;
  return [
    'verify the version resolves to a commit',
    ...(request.kind === 'promotion' && !request.skipSmokeTests ? ['run the full smoke tests on staging'] : []),
    ...(request.kind === 'promotion' ? ['wait for an approval signal with a valid admin token'] : []),
    `record a GitHub deployment for ${environment}`,
    ...(request.canary
      ? [describeCanary(request.canary)]
      : [
          `dispatch cd.yml (environment=${environment}, skip_tests=${request.skipTests})`,
          'wait for the Actions run to finish',
        ]),
    `check that ${environment} reports the deployed commit`,
    ...(request.skipSmokeTests ? [] : [`run the full smoke tests on ${environment}`]),
    ...(request.bake && request.bake.seconds > 0 ? [describeBake(request.bake)] : []),
    ...(request.kind === 'rollback'
      ? []
      : [
          rollbackTo
            ? `on failure, roll back automatically to ${rollbackTo}`
            : 'on failure, nothing to roll back to (no earlier successful deployment)',
        ]),
  ];
}

/** A deploy or promotion ships the named ref. */
async function planForward(request: DeploymentRequest, history: DeploymentRecordSummary[]): Promise<PlannedDeployment> {
  const version = request.version ?? '';
  const { current } = environmentVersions(history);
  const resolved = await github.resolveGitRef(version);
  const blockers: string[] = [];
  if (!resolved) blockers.push(unresolvedRefMessage(version));
  else if (resolved.kind === 'commit') {
    blockers.push(`${version} is a bare commit SHA; GitHub Actions dispatches branches and tags only: tag it first`);
  }
  return {
    plan: {
      kind: request.kind,
      environment: request.environment,
      versions: {
        from_version: current?.ref ?? null,
        from_sha: current?.sha ?? null,
        to_version: version,
        to_sha: resolved?.sha ?? '',
      },
      steps: steps(request, current?.ref ?? null),
      blockers,
    },
    target: resolved && blockers.length === 0 ? { ref: resolved.ref, sha: resolved.sha } : null,
    current,
  };
}

/** A rollback goes from what runs to the named version, or to the previous successful one. */
async function planRollback(
  request: DeploymentRequest,
  history: DeploymentRecordSummary[],
): Promise<PlannedDeployment> {
  const { environment } = request;
  const ran = environmentVersions(history);
  const { current } = ran;
  const blockers: string[] = [];
  const fromVersion = request.automaticRollbackOf?.fromVersion ?? current?.ref ?? null;
  let targetRef: string | null = request.version;
  let previous: DeploymentRecordSummary | null = null;
  if (!targetRef) {
    previous = ran.previous;
    if (!current) blockers.push(`Nothing to roll back: ${environment} has no successful deployment on record`);
    else if (!previous) {
      blockers.push(
        `Nothing to roll back to: ${environment} has no earlier successful deployment than ${current.ref} (${current.sha.slice(0, 7)})`,
      );
    }
    targetRef = previous?.ref ?? null;
  }
  const resolved = targetRef ? await github.resolveGitRef(targetRef) : null;
  if (targetRef && !resolved) blockers.push(unresolvedRefMessage(targetRef));
  if (resolved?.kind === 'commit') {
    blockers.push(`${targetRef} is a bare commit SHA; GitHub Actions dispatches branches and tags only: tag it first`);
  }
  const expectedSha = previous?.sha ?? request.automaticRollbackOf?.toSha;
  if (resolved && expectedSha && resolved.sha !== expectedSha) {
    // A branch that moved since would ship other code than the version that was live: refuse, do not guess.
    blockers.push(
      `The previous version ${targetRef} was commit ${expectedSha.slice(0, 7)}, but ${targetRef} now points at ${resolved.sha.slice(0, 7)}; name the version with target_version`,
    );
  }
  if (resolved && !request.automaticRollbackOf && current && resolved.sha === current.sha) {
    blockers.push(`${environment} already runs ${targetRef} (${resolved.sha.slice(0, 7)}); nothing to roll back`);
  }
  return {
    plan: {
      kind: 'rollback',
      environment,
      versions: {
        from_version: fromVersion,
        from_sha: current?.sha ?? null,
        to_version: targetRef ?? '',
        to_sha: resolved?.sha ?? '',
      },
      steps: steps(request, null),
      blockers,
    },
    target: resolved && blockers.length === 0 ? { ref: resolved.ref, sha: resolved.sha } : null,
    current,
  };
}

export async function planDeploymentSteps(request: DeploymentRequest): Promise<PlannedDeployment> {
  const history = await github.listDeploymentHistory(request.environment);
  return request.kind === 'rollback' ? planRollback(request, history) : planForward(request, history);
}
