import { healthProbeActivities } from '../activities/health/health-probe.js';
import type { GatewayConfig } from '../domain/config.js';
import type { Environment } from '../domain/environment.js';
import { HEALTH_COMPONENTS, type HealthComponent } from '../domain/smoke-tests.js';

export type ComponentHealth = Record<HealthComponent, string>;

export interface HealthReading {
  health_checks: ComponentHealth;
  /** When the probes behind `health_checks` were made, and how long ago that was when this reading was handed out. */
  checked_at: string;
  age_ms: number;
}

export interface EnvironmentHealth {
  read(environment: Environment): Promise<HealthReading>;
}

interface Probed {
  startedAt: number;
  checks: Promise<ComponentHealth>;
}

/**
 * The environments' health for status reads: the same five GETs a smoke test makes, but straight from the gateway,
 * with no workflow and no audit line (a status read is not an operation), and shared: a probe round younger than
 * `maxAgeMs` (STATUS_HEALTH_MAX_AGE_SECONDS) answers every status call, so an assistant polling in a loop costs the
 * environment one round of probes per window. One instance per gateway process holds the last round of each
 * environment, nothing more.
 */
export function createEnvironmentHealth(settings: GatewayConfig['statusHealth']): EnvironmentHealth {
  // The smoke-test activity's probe is plain HTTP with no Temporal in it, so the gateway reuses it, not a copy.
  const { probeHealth } = healthProbeActivities(settings);
  const last = new Map<Environment, Probed>();

  async function probeAll(environment: Environment): Promise<ComponentHealth> {
    const probes = await Promise.all(
      HEALTH_COMPONENTS.map((component) => probeHealth({ environment, component, budgetMs: settings.probeTimeoutMs })),
    );
    return Object.fromEntries(
      probes.map((probe) => [probe.check_name, probe.status === 'passed' ? 'healthy' : `unhealthy: ${probe.message}`]),
    ) as ComponentHealth;
  }

  return {
    async read(environment) {
      const now = Date.now();
      let probed = last.get(environment);
      if (!probed || now - probed.startedAt > settings.maxAgeMs) {
        probed = { startedAt: now, checks: probeAll(environment) };
        last.set(environment, probed);
      }
      const health_checks = await probed.checks;
      return {
        health_checks,
        checked_at: new Date(probed.startedAt).toISOString(),
        age_ms: Date.now() - probed.startedAt,
      };
    },
  };
}

export function overallHealth(health: ComponentHealth): string {
  const values = Object.values(health);
  if (values.every((value) => value === 'healthy')) return 'healthy';
  return values.some((value) => value.startsWith('unhealthy')) ? 'unhealthy' : 'unknown';
}
