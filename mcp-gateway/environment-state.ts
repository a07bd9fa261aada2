import type { Client } from '@temporalio/client';
import { healthProbeActivities } from '../activities/health/health-probe.js';
import type { GatewayConfig } from '../domain/config.js';
import type { DeploymentInfo } from '../domain/deployment.js';
import type { Environment } from '../domain/environment.js';
import { lastLiveDeployment } from './delivery-metrics/deployment-history.js';
import { listDeployments } from './deployment-client.js';
import { type ComponentHealth, type EnvironmentHealth, overallHealth } from './environment-health.js';

export interface EnvironmentState {
  environment: Environment;
  /** What runs now by the product's record: the newest deployment or rollback that went live. */
  version: string | null;
  commit: string | null;
  live_since: string | null;
  live_deployment_id: string | null;
  /** What the environment itself says it runs (its version endpoint), or why it could not say. */
  reported: { version: string | null; sha: string | null } | { error: string };
  /** The newest deployment of the environment, whatever its status (a running one included). */
  last_deployment: DeploymentInfo | null;
  health_status: string;
  health_checks: ComponentHealth;
  health_checked_at: string;
}

export interface EnvironmentStateSources {
  temporal: Client;
  health: EnvironmentHealth;
  config: Pick<GatewayConfig, 'statusHealth'>;
}

/**
 * An environment's state for the environment resource and the dashboard: Temporal visibility for what went live and
 * what ran last, the shared health probes, and the environment's own version endpoint. No workflow, no GitHub.
 */
export async function readEnvironmentState(
  { temporal, health, config }: EnvironmentStateSources,
  environment: Environment,
): Promise<EnvironmentState> {
  const { readRunningVersion } = healthProbeActivities(config.statusHealth);
  const [live, recent, reading, running] = await Promise.all([
    lastLiveDeployment(temporal, environment),
    listDeployments(temporal, { environment, includeFailed: true }, 1),
    health.read(environment),
    readRunningVersion(environment),
  ]);
  return {
    environment,
    version: live?.version ?? null,
    commit: live?.git_ref ?? null,
    live_since: live?.completed_at ?? null,
    live_deployment_id: live?.deployment_id ?? null,
    reported: running.ok ? { version: running.version, sha: running.sha } : { error: running.reason },
    last_deployment: recent.deployments[0] ?? null,
    health_status: overallHealth(reading.health_checks),
    health_checks: reading.health_checks,
    health_checked_at: reading.checked_at,
  };
}
