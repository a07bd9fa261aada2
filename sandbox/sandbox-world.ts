import { AlertStore } from './alerts/alert-store.js';
import type { AppInstance } from './apps/app-instance.js';
import { CiStore } from './ci/ci-store.js';
import type { AppEnvironment } from './control/control-inputs.js';
import { DeploymentStore } from './deployments/deployment-store.js';
import { EnvironmentStore } from './environments/environment-store.js';
import { FaultStore } from './faults/fault-store.js';
import { Repository } from './git/repository.js';
import { RateLimitBucket } from './github/rate-limit.js';
import { RequestLog } from './github/request-log.js';
import { IdSequence } from './ids.js';

/**
 * Everything the sandbox simulates, replaced as a whole on reset. A new simulated feature (e.g. Actions
 * workflow runs) becomes one more store here plus its own route module.
 */
export interface SandboxWorld {
  ids: IdSequence;
  repository: Repository;
  ci: CiStore;
  alerts: AlertStore;
  environments: EnvironmentStore;
  deployments: DeploymentStore;
  apps: Record<AppEnvironment, AppInstance>;
  faults: FaultStore;
  requestLog: RequestLog;
  rateLimits: { authenticated: RateLimitBucket; anonymous: RateLimitBucket };
}

export function emptyWorld(apps: Record<AppEnvironment, AppInstance>): SandboxWorld {
  // Large starting id so ids look like GitHub's; one sequence keeps every id unique.
  const ids = new IdSequence(1_842_000_000);
  return {
    ids,
    repository: new Repository('main'),
    ci: new CiStore(ids),
    alerts: new AlertStore(),
    environments: new EnvironmentStore(ids),
    deployments: new DeploymentStore(ids),
    apps,
    faults: new FaultStore(),
    requestLog: new RequestLog(),
    rateLimits: { authenticated: new RateLimitBucket(5000), anonymous: new RateLimitBucket(60) },
  };
}
