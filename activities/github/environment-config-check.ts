import { performance } from 'node:perf_hooks';
import { type CheckOutcome, outcome } from '../../domain/check.js';
import type { Environment } from '../../domain/environment.js';
import { CHECK_NAMES } from '../../domain/validation.js';
import { elapsedMs } from '../elapsed.js';
import type { GitHubRepo } from './client.js';
import { nullWhenStatus, withGitHubErrors } from './errors.js';

export interface EnvironmentRequirements {
  requiredSecrets: string[];
  requiredVariables: string[];
}

async function environmentSettings(github: GitHubRepo, environment: Environment) {
  const scope = { owner: github.owner, repo: github.repo, environment_name: environment };
  // Each list at its documented page maximum: 100 for secrets, 30 for variables (GitHub's REST description).
  const found = await nullWhenStatus(
    Promise.all([
      github.octokit.rest.repos.getEnvironment({
        owner: github.owner,
        repo: github.repo,
        environment_name: environment,
      }),
      github.octokit.paginate(github.octokit.rest.actions.listEnvironmentSecrets, { ...scope, per_page: 100 }),
      github.octokit.paginate(github.octokit.rest.actions.listEnvironmentVariables, { ...scope, per_page: 30 }),
    ]),
    404,
  );
  if (!found) return null;
  const [, secrets, variables] = found;
  return { secrets: secrets.map((secret) => secret.name), variables: variables.map((variable) => variable.name) };
}

export function environmentConfigActivities(github: GitHubRepo, requirements: EnvironmentRequirements) {
  return {
    /** The GitHub environment the CD workflow deploys with exists and holds the secrets and variables it needs. */
    async checkEnvironmentConfig(environment: Environment): Promise<CheckOutcome> {
      const startedAt = performance.now();
      const settings = await withGitHubErrors(`reading the ${environment} environment`, () =>
        environmentSettings(github, environment),
      );
      const base = { check_name: CHECK_NAMES.environmentConfig, duration_ms: elapsedMs(startedAt) };
      if (!settings) {
        const message = `GitHub environment '${environment}' does not exist; create it under Settings → Environments`;
        return outcome({ ...base, status: 'failed', message, details: {} }, [`${base.check_name}: ${message}`]);
      }
      const missingSecrets = requirements.requiredSecrets.filter((name) => !settings.secrets.includes(name));
      const missingVariables = requirements.requiredVariables.filter((name) => !settings.variables.includes(name));
      // Names only: GitHub never returns secret values, and nothing here would keep them if it did.
      const details = {
        secrets_present: settings.secrets,
        variables_present: settings.variables,
        missingSecrets,
        missingVariables,
      };
      if (missingSecrets.length > 0 || missingVariables.length > 0) {
        const missing = [
          ...missingSecrets.map((name) => `secret ${name}`),
          ...missingVariables.map((name) => `variable ${name}`),
        ].join(', ');
        const message = `Environment '${environment}' is missing ${missing}`;
        return outcome({ ...base, status: 'failed', message, details }, [`${base.check_name}: ${message}`]);
      }
      const message = `Environment '${environment}' exists with ${requirements.requiredSecrets.length} required secret(s) and ${requirements.requiredVariables.length} required variable(s)`;
      return outcome({ ...base, status: 'passed', message, details });
    },
  };
}
