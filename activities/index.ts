import type { WorkerConfig } from '../domain/config.js';
import type { SeverityThresholds } from '../domain/security.js';
import { auditActivities } from './audit/audit-activities.js';
import type { AuditLog } from './audit/audit-log.js';
import { actionsRunActivities } from './github/actions-runs.js';
import { ciCheckActivities } from './github/ci-checks.js';
import type { GitHubRepo } from './github/client.js';
import { commitTimesActivities } from './github/commit-times.js';
import { deployedVersionActivities } from './github/deployed-version.js';
import { deploymentRecordActivities } from './github/deployment-records.js';
import { environmentConfigActivities } from './github/environment-config-check.js';
import { gitRefActivities } from './github/git-refs.js';
import { migrationsCheckActivities } from './github/migrations-check.js';
import { securitySourceActivities } from './github/security-sources.js';
import { healthProbeActivities } from './health/health-probe.js';
import { prometheusActivities } from './metrics/prometheus-query.js';

export interface ActivityDependencies {
  github: GitHubRepo;
  config: WorkerConfig;
  audit: AuditLog;
}

/** Every activity the workflows call, built from the clients the caller hands in (tests hand in their own). */
export function createActivities({ github, config, audit }: ActivityDependencies) {
  return {
    ...gitRefActivities(github),
    ...ciCheckActivities(github, config.imageBuildCheck),
    ...deployedVersionActivities(github),
    ...migrationsCheckActivities(github, config),
    ...environmentConfigActivities(github, {
      requiredSecrets: config.requiredEnvironmentSecrets,
      requiredVariables: config.requiredEnvironmentVariables,
    }),
    ...securitySourceActivities(github, config.secretScan),
    ...healthProbeActivities(config),
    ...deploymentRecordActivities(github, config.environmentUrls),
    ...actionsRunActivities(github, config.actions),
    ...commitTimesActivities(github),
    ...auditActivities(audit, config.adminTokens),
    ...prometheusActivities(),
    /** The worker's configured thresholds, read by the scan workflow so policy stays configuration. */
    async securityThresholds(): Promise<SeverityThresholds> {
      return config.severityThresholds;
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
