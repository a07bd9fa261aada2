import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { Environment } from '../domain/environment.js';
import { failureReason } from '../domain/failure-reason.js';
import type { HealthComponent, SmokeCheck } from '../domain/smoke-suites.js';

import { smokeProbeOptions } from './activity-options.js';

/**
 * Probes the components' health endpoints at once, each within `budgetMs` (queueing included). A probe's verdict is
 * its result, so a flaky service is never retried into passing; only a probe lost with its worker runs again, and one
 * that never finishes is a failed probe. Shared by the smoke tests and the bake window.
 */
export function probeComponents(
  environment: Environment,
  components: readonly HealthComponent[],
  budgetMs: number,
  onProbed: (component: HealthComponent) => void = () => undefined,
): Promise<SmokeCheck[]> {
  const startedAt = Date.now();
  const probes = proxyActivities<Activities>(smokeProbeOptions(budgetMs));
  return Promise.all(
    components.map((component) =>
      probes
        .probeHealth({ environment, component, budgetMs })
        .catch(
          (error: unknown): SmokeCheck => ({
            check_name: component,
            status: 'failed',
            message: `${component} probe did not finish: ${failureReason(error)}`,
            details: {},
            duration_ms: Date.now() - startedAt,
          }),
        )
        .finally(() => onProbed(component)),
    ),
  );
}
