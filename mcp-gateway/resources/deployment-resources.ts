import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { ENVIRONMENTS, type Environment } from '../../domain/environment.js';
import { listDeployments } from '../deployment-client.js';
import { type EnvironmentStateSources, readEnvironmentState } from '../environment-state.js';
import { deploymentStatus } from '../tools/get-deployment-status.js';
import { answerCompletions, type Completers } from './completions.js';

/** Deployments offered by `resources/list` and id completion: the newest ones, as list_deployments shows them. */
const LISTED_DEPLOYMENTS = 50;

export const ENVIRONMENT_URI = 'deployments://environments/{environment}';
export const DEPLOYMENT_URI = 'deployments://deployments/{deployment_id}';

function json(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}

function single(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * Context a client can attach: each environment's current state and each deployment's state, as resource templates
 * with `list` and completion of their variables. They answer from the functions the tools use (readEnvironmentState,
 * the status tool's deploymentStatus, listDeployments), never a second copy.
 */
export function registerDeploymentResources(server: McpServer, sources: EnvironmentStateSources): void {
  const recentIds = async () =>
    (await listDeployments(sources.temporal, { includeFailed: true }, LISTED_DEPLOYMENTS)).deployments;
  const completers: Completers = {
    [ENVIRONMENT_URI]: { environment: (value) => ENVIRONMENTS.filter((environment) => environment.startsWith(value)) },
    [DEPLOYMENT_URI]: {
      deployment_id: async (value) =>
        (await recentIds()).map((deployment) => deployment.deployment_id).filter((id) => id.startsWith(value)),
    },
  };

  server.registerResource(
    'environment',
    new ResourceTemplate(ENVIRONMENT_URI, {
      list: async () => ({
        resources: ENVIRONMENTS.map((environment) => ({
          uri: ENVIRONMENT_URI.replace('{environment}', environment),
          name: `${environment} environment`,
          mimeType: 'application/json',
        })),
      }),
      complete: completers[ENVIRONMENT_URI],
    }),
    {
      title: 'Environment state',
      description:
        'What an environment runs now (version, commit, since when, by which deployment), what it reports itself, ' +
        'its newest deployment and its health.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const environment = single(variables.environment);
      if (!(ENVIRONMENTS as readonly string[]).includes(environment))
        throw new Error(`Invalid environment: ${environment}. Must be 'staging' or 'production'`);
      return json(uri, await readEnvironmentState(sources, environment as Environment));
    },
  );

  server.registerResource(
    'deployment',
    new ResourceTemplate(DEPLOYMENT_URI, {
      list: async () => ({
        resources: (await recentIds()).map((deployment) => ({
          uri: DEPLOYMENT_URI.replace('{deployment_id}', encodeURIComponent(deployment.deployment_id)),
          name: deployment.deployment_id,
          title: `${deployment.kind} of ${deployment.version ?? '(previous version)'} to ${deployment.environment}: ${deployment.status}`,
          mimeType: 'application/json',
        })),
      }),
      complete: completers[DEPLOYMENT_URI],
    }),
    {
      title: 'Deployment state',
      description:
        "One deployment's state, as get_deployment_status returns it: status, step, checks, logs, approval, health.",
      mimeType: 'application/json',
    },
    async (uri, variables) =>
      json(uri, await deploymentStatus(decodeURIComponent(single(variables.deployment_id)), sources)),
  );
  answerCompletions(server, completers);
}
