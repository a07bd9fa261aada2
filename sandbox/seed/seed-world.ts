import { ActionsStore } from '../actions/actions-store.js';
import { AlertStore } from '../alerts/alert-store.js';
import { buildCodeScanningAlert } from '../alerts/code-scanning-alerts.js';
import { buildDependabotAlert } from '../alerts/dependabot-alerts.js';
import { healthyAppInstance } from '../apps/app-instance.js';
import { CiStore } from '../ci/ci-store.js';
import type { AppEnvironment } from '../control/control-inputs.js';
import { DeploymentStore } from '../deployments/deployment-store.js';
import { EnvironmentStore } from '../environments/environment-store.js';
import { FaultStore } from '../faults/fault-store.js';
import type { GitIdentity } from '../git/repository.js';
import { Repository } from '../git/repository.js';
import type { GitHubLinks } from '../github/links.js';
import { DEVELOPER, GITHUB_ACTIONS_BOT } from '../github/payloads/users.js';
import { RateLimitBucket } from '../github/rate-limit.js';
import { RequestLog } from '../github/request-log.js';
import { IdSequence } from '../ids.js';
import type { SandboxWorld } from '../sandbox-world.js';
import { daysBefore } from '../timestamps.js';
import { SCHEDULER_HISTORY } from './scheduler-history.js';

export const DEVELOPER_IDENTITY: GitIdentity = {
  name: 'Sandbox Developer',
  email: `${DEVELOPER.id}+${DEVELOPER.login}@users.noreply.github.com`,
  login: DEVELOPER.login,
};

const DEPLOYED_TAG = 'v1.0.0';

export interface SeedContext {
  links: GitHubLinks;
  appUrls: Record<AppEnvironment, string>;
  now: Date;
}

/** The state the sandbox starts in and returns to on reset. */
export function seedWorld({ links, appUrls, now }: SeedContext): SandboxWorld {
  // A large first id makes ids look like GitHub's; one shared sequence keeps them all distinct.
  const ids = new IdSequence(1_842_000_000);
  const repository = new Repository('main');
  const ci = new CiStore(ids);
  for (const seed of SCHEDULER_HISTORY) {
    const date = daysBefore(now, seed.daysAgo);
    const commit = repository.commitOnBranch('main', {
      message: seed.message,
      author: DEVELOPER_IDENTITY,
      date,
      changes: seed.changes,
    });
    if (seed.tag) repository.setTag(seed.tag, commit.sha);
    ci.recordGreenCi(commit.sha, date);
  }
  const deployed = repository.resolve(DEPLOYED_TAG);
  const head = repository.resolve(repository.defaultBranch);
  if (!deployed || !head) throw new Error('the seed history must tag v1.0.0 and have a main branch');
  const apps = {
    staging: healthyAppInstance('staging', DEPLOYED_TAG, deployed.sha),
    production: healthyAppInstance('production', DEPLOYED_TAG, deployed.sha),
  };
  // cd.yml came with the first commit.
  const firstCommit = repository.history(head.sha).at(-1) ?? head;

  const environments = new EnvironmentStore(ids);
  const deployments = new DeploymentStore(ids);
  for (const environment of ['staging', 'production'] as const) {
    environments.put(
      environment,
      { secrets: ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY'], variables: { APP_ENV: environment } },
      daysBefore(now, 30),
    );
    const deployedAt = daysBefore(now, environment === 'staging' ? 27 : 26);
    const deployment = deployments.create({
      sha: deployed.sha,
      ref: DEPLOYED_TAG,
      task: 'deploy',
      environment,
      description: `Deploy ${DEPLOYED_TAG} to ${environment}`,
      payload: {},
      creator: GITHUB_ACTIONS_BOT,
      createdAt: deployedAt,
      productionEnvironment: environment === 'production',
      transientEnvironment: false,
    });
    deployments.addStatus(deployment, {
      state: 'success',
      description: 'Deployment finished successfully.',
      environmentUrl: appUrls[environment],
      logUrl: links.html(`/actions/runs/${ids.next()}`),
      creator: GITHUB_ACTIONS_BOT,
      createdAt: deployedAt,
    });
  }

  // One medium Dependabot alert and one code-scanning note: visible in the demo, below any blocking threshold.
  const alerts = new AlertStore();
  alerts.dependabot.push(
    buildDependabotAlert(
      alerts.nextNumber('dependabot'),
      {
        severity: 'medium',
        package: 'jinja2',
        ecosystem: 'pip',
        ghsa_id: 'GHSA-h75v-3vvj-5mfj',
        cve_id: 'CVE-2024-34064',
        summary: 'Jinja vulnerable to HTML attribute injection when passing user input as keys to xmlattr filter',
        description:
          'The `xmlattr` filter in affected versions of Jinja accepts keys containing non-attribute characters. ' +
          'XML/HTML attributes cannot contain spaces, `/`, `>`, or `=`, as each would then be interpreted as starting ' +
          'a separate attribute. If an application accepts keys (as opposed to only values) as user input, and ' +
          'renders these in pages that other users see as well, an attacker could use this to inject other ' +
          'attributes and perform XSS.',
        cvss_score: 5.4,
        vulnerable_version_range: '< 3.1.4',
        first_patched_version: '3.1.4',
        manifest_path: 'backend/requirements.txt',
      },
      links,
      daysBefore(now, 10),
    ),
  );
  alerts.codeScanning.push(
    buildCodeScanningAlert(
      alerts.nextNumber('codeScanning'),
      { severity: 'note', path: 'backend/app/main.py', start_line: 1 },
      { ref: `refs/heads/${repository.defaultBranch}`, commitSha: head.sha },
      links,
      daysBefore(now, 3),
    ),
  );

  return {
    ids,
    repository,
    ci,
    alerts,
    environments,
    deployments,
    actions: new ActionsStore(ids, apps, firstCommit.date),
    apps,
    faults: new FaultStore(),
    requestLog: new RequestLog(),
    rateLimits: { authenticated: new RateLimitBucket(5000), anonymous: new RateLimitBucket(60) },
  };
}
